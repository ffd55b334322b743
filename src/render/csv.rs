//! The report's tiltak table as CSV: one row per tiltak, stable English
//! column names (the JSON keys), values as in the JSON.

use crate::report::Report;
use crate::report::i18n::Labels;

const HEADERS: &[&str] = &[
    "id",
    "title",
    "phase",
    "phase_name",
    "segment",
    "product_group",
    "owner",
    "organization",
    "priority",
    "state",
    "state_reason",
    "status",
    "status_reason",
    "status_updated",
    "risk",
    "risk_description",
    "risk_mitigation",
    "next_milestone",
    "next_milestone_date",
    "strategic_goals",
    "sdgs",
    "days_in_phase",
    "errors",
    "warnings",
    "path",
];

pub fn render(report: &Report, _: &Labels) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    let list = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(" ");
    let rows: Vec<Vec<String>> = report
        .tiltak
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                t.title.clone(),
                t.phase.as_ref().map(|p| p.id.clone()).unwrap_or_default(),
                t.phase.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                o(&t.segment),
                o(&t.product_group),
                o(&t.owner),
                o(&t.organization),
                o(&t.priority),
                t.state.as_str().to_owned(),
                o(&t.state_reason),
                t.status.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                o(&t.status_reason),
                o(&t.status_updated),
                t.risk.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                o(&t.risk_description),
                o(&t.risk_mitigation),
                t.next_milestone.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
                t.next_milestone.as_ref().map(|m| m.date.clone()).unwrap_or_default(),
                list(&t.strategic_goals),
                list(&t.sdgs),
                t.days_in_phase.map(|d| d.to_string()).unwrap_or_default(),
                t.errors.to_string(),
                t.warnings.to_string(),
                t.path.clone(),
            ]
        })
        .collect();
    crate::render::csv(HEADERS, &rows)
}
