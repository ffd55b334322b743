//! The report's words in Norwegian (bokmål) and English. Names from
//! `portfolio.yaml` (phases, segments, goals) are shown as written there.

use crate::domain::model::{Level, State};
use crate::domain::process::bilingual;
use crate::report::DueKind;

/// The Norwegian labels (kept as a constant for tests and callers).
pub const NB: Labels = Labels::NB;
/// The English labels.
pub const EN: Labels = Labels::EN;

bilingual! {
    /// Every label the report prints.
    pub struct Labels {
        lang: "nb", "en";
        title: "Statusrapport", "Status report";
        as_of: "Per", "As of";
        commit: "commit", "commit";
        work_tree: "arbeidskatalogen (ingen commit)", "the work tree (no commit)";
        since: "siden", "since";
        filtered: "Utvalg", "Selection";
        no_history: "Historikk mangler", "History missing";
        uncommitted: "Endringer som ikke er committet, er ikke med i rapporten", "Changes not yet committed are not in this report";
        key_figures: "Nøkkeltall", "Key figures";
        status_risk: "Status og risiko", "Status and risk";
        all_tiltak: "Alle tiltak", "All tiltak";
        attention: "Trenger oppmerksomhet", "Needs attention";
        changes: "Endringer", "Changes";
        goals: "Strategiske mål og bærekraftsmål", "Strategy goals and SDGs";
        milestones: "Milepæler og leveranser", "Milestones and deliveries";
        flow: "Flyt", "Flow";
        data_quality: "Datakvalitet", "Data quality";
        id: "ID", "ID";
        tiltak: "Tiltak", "Tiltak";
        title_col: "Tittel", "Title";
        phase: "Fase", "Phase";
        segment: "Segment", "Segment";
        product_group: "Produktgruppe", "Product group";
        owner: "Ansvarlig", "Owner";
        status: "Status", "Status";
        risk: "Risiko", "Risk";
        next_milestone: "Neste milepæl", "Next milestone";
        reason: "Årsak", "Reason";
        mitigation: "Risikoreduserende tiltak", "Mitigation";
        active: "Aktive", "Active";
        on_hold: "På vent", "On hold";
        stopped: "Stoppet", "Stopped";
        total: "Totalt", "Total";
        count: "Antall", "Count";
        overall: "Hele porteføljen", "Whole portfolio";
        green: "grønn", "green";
        yellow: "gul", "yellow";
        red: "rød", "red";
        unknown: "ikke satt", "not set";
        previous_round: "forrige runde", "last round";
        before: "Før", "Before";
        in_brackets: "Tall i parentes: forrige runde.", "In brackets: the previous round.";
        after: "Nå", "Now";
        new: "Nye tiltak", "New tiltak";
        gates: "Faseoverganger", "Gates passed";
        completed: "Fullført", "Completed";
        put_on_hold: "Satt på vent", "Put on hold";
        resumed: "Gjenopptatt", "Resumed";
        removed: "Slettet (skulle vært stoppet)", "Deleted (should have been stopped)";
        status_changes: "Statusendringer", "Status changes";
        risk_changes: "Risikoendringer", "Risk changes";
        no_changes: "Ingen endringer i perioden.", "No changes in the period.";
        use_since: "Bruk --since for å se endringer siden forrige rapporteringsrunde.", "Use --since to see changes since the previous reporting round.";
        date: "Dato", "Date";
        decided_by: "Besluttet av", "Decided by";
        forced: "tvunget", "forced";
        moved_back: "flyttet tilbake", "moved back";
        overdue: "Forsinket", "Overdue";
        upcoming: "Neste 90 dager", "Next 90 days";
        kind: "Type", "Kind";
        milestone: "milepæl", "milestone";
        delivery: "leveranse", "delivery";
        name: "Navn", "Name";
        days: "Dager", "Days";
        days_late: "dager forsinket", "days late";
        in_days: "om dager", "in days";
        entered: "I fasen siden", "In phase since";
        days_in_phase: "Dager i fase", "Days in phase";
        median_days: "Median dager i fasen", "Median days in phase";
        stays: "Ferdige opphold", "Finished stays";
        current_median: "Median dager hittil", "Median days so far";
        current: "I fasen nå", "In phase now";
        strategic_goals: "Strategiske mål", "Strategy goals";
        sdgs: "Bærekraftsmål (FN)", "UN Sustainable Development Goals";
        goal: "Mål", "Goal";
        stale: "Utdatert status", "Stale status";
        stale_limit: "grense", "limit";
        last_updated: "Sist oppdatert", "Last updated";
        never: "aldri", "never";
        validation: "Valideringsfunn", "Validation findings";
        error: "feil", "error";
        errors: "feil", "errors";
        warning: "advarsel", "warning";
        warnings: "advarsler", "warnings";
        none: "Ingen.", "None.";
        no_segment: "(uten segment)", "(no segment)";
        no_group: "(uten produktgruppe)", "(no product group)";
        more: "flere", "more";
        state_active: "aktiv", "active";
        state_on_hold: "på vent", "on hold";
        state_stopped: "stoppet", "stopped";
        state_closed: "avsluttet", "closed";
        chart_funnel: "Aktive tiltak per fase", "Active tiltak per phase";
        chart_levels: "Status og risiko per segment", "Status and risk per segment";
        chart_milestones: "Milepæler de neste 90 dagene", "Milestones in the next 90 days";
        generated_by: "Laget med portfolio", "Made with portfolio";
        board: "Tavle", "Board";
        finding: "Funn", "Finding";
        contents: "Innhold", "Contents";
        code: "Kode", "Code";
        location: "Fil og linje", "File and line";
        error_one: "feil", "error";
        warning_one: "advarsel", "warning";
        page: "Side", "Page";
        of: "av", "of";
        previous_note: "tall i parentes er fra forrige runde", "figures in brackets are from the last round";
        chart_table: "Samme tall står i tabellen under.", "The same figures are in the table below.";
        file: "Fil", "File";
        message: "Melding", "Message";
        decimal: ",", ".";
        thousands: "\u{a0}", ",";
        benefits: "Gevinster", "Benefits";
        benefit: "Gevinst", "Benefit";
        benefit_type: "Type", "Type";
        indicator: "Indikator", "Indicator";
        baseline: "Nullpunkt", "Baseline";
        latest: "Siste måling", "Latest";
        target: "Mål", "Target";
        realised: "Realisert", "Realised";
        on_track: "I rute", "On track";
        behind: "Bak plan", "Behind";
        unmeasured: "Ikke målt på et år", "Not measured for a year";
        by_type: "Per gevinsttype", "By benefit type";
        no_benefit_records: "Ingen gevinster er registrert med indikator og mål", "No benefits are recorded with indicator and target";
        text_only: "tiltak beskriver gevinstene bare som tekst", "tiltak describe their benefits as text only";
        risk_register: "Risikoregister", "Risk register";
        risk_matrix: "Risikomatrise: åpne risikoer etter sannsynlighet og konsekvens", "Risk matrix: open risks by probability and consequence";
        probability: "Sannsynlighet", "Probability";
        consequence: "Konsekvens", "Consequence";
        top_risks: "De ti største risikoene", "The ten highest risks";
        score: "Poeng", "Score";
        residual: "Etter tiltak", "After mitigation";
        no_risks: "Ingen åpne risikoer i registrene", "No open risks in the registers";
        economy: "Økonomi", "Economy";
        by_year: "Investering per år", "Investment per year";
        year: "År", "Year";
        investment: "Investering", "Investment";
        operations: "Drift", "Operations";
        granted: "Bevilget", "Granted";
        spent: "Påløpt", "Spent";
        forecast: "Prognose", "Forecast";
        deviations: "Prognose avviker mer enn 10 % fra investeringen", "Forecast deviates more than 10 % from the investment";
        deviation: "Avvik", "Deviation";
        no_budgets: "Ingen tiltak har budsjett", "No tiltak has a budget";
        schedule: "Tid / milepæler", "Time / milestones";
        round: "runde", "round";
        no_earlier_round: "Ingen tidligere rapporteringsrunde er lukket: dette er den første, og det er ingenting å sammenligne med.", "No earlier reporting round is closed: this is the first, and there is nothing to compare with.";
        not_reported: "Ikke rapportert i runde", "Not reported in round";
        due: "frist", "due";
        organization: "Virksomhet", "Organization";
        days_to_due: "Frist", "Due";
        days_left: "dager igjen", "days left";
        days_overdue: "dager over fristen", "days overdue";
        due_today: "frist i dag", "due today";
        all_reported: "Alle aktive tiltak har rapportert.", "Every active tiltak has reported.";
    }
}

impl Labels {
    /// `n` and the word for one or for many: "1 advarsel", "2 advarsler".
    pub fn count(n: usize, one: &str, many: &str) -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    }

    /// "1 feil" / "2 feil", "1 error" / "2 errors".
    pub fn errors_n(&self, n: usize) -> String {
        Labels::count(n, self.error, self.errors)
    }

    /// "1 advarsel" / "2 advarsler", "1 warning" / "2 warnings".
    pub fn warnings_n(&self, n: usize) -> String {
        Labels::count(n, self.warning, self.warnings)
    }

    /// A diagnostic's severity in the report's language.
    pub fn severity(&self, severity: crate::diag::Severity) -> &'static str {
        match severity {
            crate::diag::Severity::Error => self.error,
            crate::diag::Severity::Warning => self.warning,
        }
    }

    pub fn level(&self, level: Option<Level>) -> &'static str {
        match level {
            Some(Level::Green) => self.green,
            Some(Level::Yellow) => self.yellow,
            Some(Level::Red) => self.red,
            None => self.unknown,
        }
    }

    pub fn state(&self, state: State) -> &'static str {
        match state {
            State::Active => self.state_active,
            State::OnHold => self.state_on_hold,
            State::Stopped => self.state_stopped,
            State::Closed => self.state_closed,
        }
    }

    pub fn due_kind(&self, kind: DueKind) -> &'static str {
        match kind {
            DueKind::Milestone => self.milestone,
            DueKind::Delivery => self.delivery,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(NB.warnings_n(1), "1 advarsel");
        assert_eq!(NB.warnings_n(2), "2 advarsler");
        assert_eq!(NB.errors_n(1), "1 feil");
        assert_eq!(EN.errors_n(1), "1 error");
        assert_eq!(EN.errors_n(0), "0 errors");
        assert_eq!(EN.warnings_n(1), "1 warning");
    }
}
