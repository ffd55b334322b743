//! Rules on the phase moves in a range of history (`check --base`).

use crate::diag::{Code, Diagnostic, Location};
use crate::domain::process::ProcessDefinition;
use crate::domain::tiltak::Tiltak;

/// Rules on the phase moves in a range of history (`check --base`): one
/// phase forward only with the left phase's exit criteria met now (or a
/// `Forced:` trailer); a skip or a move back only with a `Forced:` or
/// `Reason:` trailer; a tiltak must be stopped, never deleted.
pub fn history_rules(
    def: &ProcessDefinition,
    events: &[crate::domain::history::Event],
    tiltak: &[Tiltak],
) -> Vec<Diagnostic> {
    use crate::domain::history::EventKind;
    let mut out = Vec::new();
    let name = |p: Option<usize>| p.map_or("(no phase)", |i| def.phases[i].name.as_str());
    for event in events {
        let current = tiltak.iter().find(|t| t.id().eq_ignore_ascii_case(&event.id));
        let path = match (current, event.kind.clone()) {
            (Some(t), _) => t.path.clone(),
            (None, EventKind::Deleted { phase }) => std::path::Path::new(&def.tiltak_dir)
                .join(phase.map_or("", |p| def.phases[p].folder.as_str()))
                .join(&event.file),
            (None, _) => std::path::PathBuf::from(&def.tiltak_dir).join(&event.file),
        };
        let commit = &event.commit;
        let reason = event.decision.why();
        match event.kind {
            EventKind::Moved { from: Some(from), to: Some(to) } if to == from + 1 => {
                if event.decision.forced.is_some() {
                    continue;
                }
                let evaluation = current.and_then(|t| t.evaluation(from));
                let unmet: Vec<&str> = match evaluation {
                    Some(e) => e
                        .criteria
                        .iter()
                        .filter(|c| !c.outcome.is_met())
                        .map(|c| def.phases[from].criteria[c.criterion].text.as_str())
                        .collect(),
                    None => def.phases[from].criteria.iter().map(|c| c.text.as_str()).collect(),
                };
                if !unmet.is_empty() && current.is_some() {
                    out.push(
                        Diagnostic::error(
                            Code::IllegalPhaseMove,
                            &path,
                            format!(
                                "{} moved {} → {} in {}, but {} of the exit criteria of {} are not met: {}",
                                event.id,
                                name(Some(from)),
                                name(Some(to)),
                                commit.short,
                                unmet.len(),
                                name(Some(from)),
                                unmet.join("; ")
                            ),
                        )
                        .at(evaluation.and_then(|e| e.section).or(Some(Location::new(1, 1))))
                        .with_hint(format!(
                            "tick them with their evidence under `## {}`, or move it back",
                            def.criteria_heading(&def.phases[from])
                        )),
                    );
                }
            }
            EventKind::Moved { from, to } => {
                if reason.is_none() {
                    let what = match (from, to) {
                        (Some(f), Some(t)) if t < f => "moves back",
                        (Some(_), Some(_)) => "skips a phase",
                        _ => "moves outside the phase folders",
                    };
                    out.push(
                        Diagnostic::error(
                            Code::IllegalPhaseMove,
                            &path,
                            format!("{} {what} ({} → {}) in {} without a reason", event.id, name(from), name(to), commit.short),
                        )
                        .at(Some(Location::new(1, 1)))
                        .with_hint("use `portfolio advance --to … --force --reason …` (forward) or `--reason …` (back), which records the reason"),
                    );
                }
            }
            EventKind::Deleted { .. } => out.push(
                Diagnostic::error(Code::TiltakDeleted, &path, format!("{} was deleted in {}", event.id, commit.short))
                    .with_hint("a tiltak is never deleted: restore the file and use `portfolio stop <ID> --reason …`"),
            ),
            // A tiltak proposed past the first phase skipped every gate before it.
            EventKind::Created { phase: Some(phase) } if phase > 0 && event.decision.why().is_none() => out.push(
                Diagnostic::error(
                    Code::CreatedPastFirstPhase,
                    &path,
                    format!(
                        "{} was added directly in {} in {}, past every gate before it",
                        event.id,
                        name(Some(phase)),
                        commit.short
                    ),
                )
                .at(Some(Location::new(1, 1)))
                .with_hint(format!(
                    "propose it in {} with `portfolio new`, or record why in the commit (a `Forced: <reason>` trailer)",
                    name(Some(0))
                )),
            ),
            EventKind::Created { .. } | EventKind::StateChanged { .. } => {}
        }
    }
    out
}
