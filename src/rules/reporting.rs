//! What owners must say when things are not green: status reasons, risk mitigation, why a tiltak is on hold or stopped.

use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::domain::model::{Level, State};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// What owners must say when things are not green: status reasons, risk mitigation, why a tiltak is on hold or stopped.
pub(super) fn check(def: &ProcessDefinition, t: &Tiltak, _ctx: &Context, out: &mut Vec<Diagnostic>) {
    let path = t.path.as_path();
    let fm = &t.fm;
    let at = |key: &str| Some(t.key_location(key));
    let segment = t.fm.segment.as_deref().and_then(|s| def.segment(s));
    let status_reason = def.reporting.status_reason || segment.is_some_and(|s| s.status_reason);
    let risk_mitigation = def.reporting.risk_mitigation || segment.is_some_and(|s| s.risk_mitigation);
    if let Some(status) = &fm.status
        && status_reason
        && matches!(status.level, Some(Level::Yellow | Level::Red))
        && status.reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::StatusReasonMissing,
                path,
                format!("status is {} but `status.reason` is missing", status.level.map_or("", |l| l.as_str())),
            )
            .at(at("status"))
            .with_hint("say why in `status.reason`"),
        );
    }
    if let Some(risk) = &fm.risk
        && risk_mitigation
        && matches!(risk.level, Some(Level::Yellow | Level::Red))
        && risk.mitigation.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::RiskMitigationMissing,
                path,
                format!("risk is {} but `risk.mitigation` is missing", risk.level.map_or("", |l| l.as_str())),
            )
            .at(at("risk"))
            .with_hint("describe planned and implemented measures in `risk.mitigation`"),
        );
    }

    if matches!(fm.state, Some(State::OnHold | State::Stopped))
        && fm.state_reason.as_deref().is_none_or(|r| r.trim().is_empty())
    {
        out.push(
            Diagnostic::error(
                Code::StateReasonMissing,
                path,
                format!("state is {} but `state_reason` is missing", fm.state()),
            )
            .at(at("state"))
            .with_hint("say why in `state_reason`"),
        );
    }
}
