//! The words of the office's cycle — reporting rounds, the meeting's agenda
//! and the decision log — in Norwegian (bokmål) and English. The report's
//! own words (levels, states, columns) stay in `i18n`.

use crate::domain::process::bilingual;

bilingual! {
    /// Every word the round, agenda and log print.
    pub struct Words {
        round: "Rapporteringsrunde", "Reporting round";
        period: "Periode", "Period";
        judged_at: "Vurdert per", "Judged as of";
        closed_at: "lukket med", "closed by";
        open_now: "åpen", "open";
        summary: "Oppsummering", "Summary";
        reported: "Rapportert", "Reported";
        on_time: "i tide", "on time";
        late: "for sent", "late";
        missing: "Ikke rapportert", "Not reported";
        exempt: "På vent og stoppet (skylder ingen rapport)", "On hold and stopped (owe no report)";
        standing: "Rapportering", "Report";
        reported_on: "Rapportert dato", "Reported on";
        days_late: "dager for sent", "days late";
        still_owe: "Skylder rapport", "Still owe a report";
        no_organization: "(uten virksomhet)", "(no organization)";
        no_owner: "(uten ansvarlig)", "(no owner)";
        log: "Beslutningslogg", "Decision log";
        entries: "Beslutninger", "Decisions";
        what: "Hva", "What";
        who: "Besluttet av", "Decided by";
        why: "Begrunnelse", "Reason";
        no_decisions: "Ingen beslutninger i perioden.", "No decisions in the period.";
        gate_forward: "faseovergang", "gate";
        gate_skip: "faseovergang, hoppet over fase", "gate, skipped a phase";
        gate_back: "flyttet tilbake", "moved back";
        gate_hand: "flyttet for hånd", "moved by hand";
        created: "nytt tiltak", "new tiltak";
        deleted: "slettet", "deleted";
        hold: "satt på vent", "put on hold";
        stop: "stoppet", "stopped";
        resume: "gjenopptatt", "resumed";
        close: "avsluttet", "closed";
        until: "til", "until";
        agenda: "Saksliste", "Agenda";
        meeting: "Møte", "Meeting";
        gate_requests: "Ønskede faseoverganger", "Gate requests";
        branch: "Gren", "Branch";
        moves: "Flytting", "Move";
        criteria: "Kriterier", "Criteria";
        met: "oppfylt", "met";
        unmet: "ikke oppfylt", "not met";
        check_base: "check --base", "check --base";
        passes: "består", "passes";
        fails: "feiler", "fails";
        no_requests: "Ingen grener med faseoverganger.", "No branches that move a tiltak.";
        new_proposals: "Nye forslag", "New proposals";
        on_branch: "på gren", "on branch";
        merged: "i hovedlinjen", "on the main line";
        status_to_discuss: "Status til diskusjon", "Status to discuss";
        turned: "Ble gul eller rød", "Turned yellow or red";
        red_now: "Røde", "Red";
        overdue: "Forsinkede milepæler", "Overdue milestones";
        days_on_hold: "Dager på vent", "Days on hold";
        decided: "Besluttet siden forrige møte", "Decided since the last meeting";
        findings: "Funn", "Findings";
    }
}

impl Words {}
