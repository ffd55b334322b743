//! One page per tiltak: its fields, its Markdown body, the criteria of its
//! phase with ✔/✘ and why, milestones, benefits, risks, money, history and
//! findings. The view holds front matter only; each page reads its file
//! from the commit again and lets it go once written, so memory stays
//! bounded however many tiltak there are.

use std::collections::HashMap;
use std::path::Path;

use super::Site;
use super::pages::{Here, STYLE, text_table};
use crate::diag::Diagnostic;
use crate::domain::benefits::Benefits;
use crate::domain::model::{Level, State};
use crate::domain::tiltak::Tiltak;
use crate::error::Result;
use crate::render::html::{self, Extras, esc};
use crate::report::layout::{Block, Cell, Span, Tag, TagKind};
use crate::report::log::LogEntry;

/// Writes one page: its file name, and what renders its HTML into the file.
pub type Write<'a> = dyn Fn(&str, &mut dyn FnMut(&mut html::Out<'_>)) -> Result<()> + Sync + 'a;

impl Site<'_> {
    /// Every tiltak page, on every core; how many were written.
    pub fn tiltak_pages(&self, write: &Write<'_>) -> Result<usize> {
        let v = &self.view;
        let p = &v.portfolio;
        let mut findings: HashMap<&Path, Vec<&Diagnostic>> = HashMap::new();
        for d in &p.diagnostics {
            findings.entry(d.path.as_path()).or_default().push(d);
        }
        // Each tiltak's decisions, as places in the history's events, by
        // the first file of its ID (a duplicate ID's files show the same):
        // its log entries are made for its page and go with it.
        let events = self.history.as_ref().map_or(&[][..], |(h, _)| &h.events[..]);
        let first = |id: &str| self.by_id.get(&id.to_ascii_uppercase()).copied();
        let mut decisions: Vec<(usize, usize)> =
            events.iter().enumerate().filter_map(|(n, e)| Some((first(&e.id)?, n))).collect();
        decisions.sort_unstable();
        // The entries' titles, as the log's: the last file's, for a duplicate ID.
        let mut titled: Vec<usize> = (0..p.tiltak.len()).collect();
        for (i, t) in p.tiltak.iter().enumerate() {
            if let Some(f) = first(t.id()) {
                titled[f] = i;
            }
        }
        let indices: Vec<usize> = (0..p.tiltak.len()).collect();
        let results = crate::util::parallel::parallel_map_with(
            &indices,
            || None,
            |handle: &mut Option<Option<Result<crate::git::Repo>>>, &i| {
                let t = &p.tiltak[i];
                let text = self.read(handle, i);
                let empty = Vec::new();
                let findings = findings.get(t.path.as_path()).unwrap_or(&empty);
                let mut log = first(t.id()).map(|f| {
                    let from = decisions.partition_point(|d| d.0 < f);
                    let to = decisions.partition_point(|d| d.0 <= f);
                    let which = decisions[from..to].iter().map(|d| d.1);
                    let title = p.tiltak[titled[f]].title();
                    crate::report::log::newest_first(&p.def, events, which, &|_| Some(title)).collect::<Vec<_>>()
                });
                write(&self.pages[i], &mut |out| {
                    self.tiltak_page(out, t, text.as_deref(), findings, log.take().unwrap_or_default())
                })
            },
        );
        let mut n = 0;
        for r in results {
            r?;
            n += 1;
        }
        Ok(n)
    }

    /// The tiltak's file as of the view: from the commit (from disk when
    /// the work tree holds the commit's tiltak unchanged, as `report` reads
    /// them, the same bytes without inflating Git's objects; `handle` is
    /// the thread's repository, opened when a file must be read from Git),
    /// or from disk for a folder without commits. `None` when it cannot be
    /// read (its findings say why).
    fn read(&self, handle: &mut Option<Option<Result<crate::git::Repo>>>, i: usize) -> Option<String> {
        let v = &self.view;
        let t = &v.portfolio.tiltak[i];
        let bytes = match v.commit {
            Some(_) => {
                // A file in the commit: not a link, not a folder.
                // The blob the load listed for the file (so no page looks
                // it up from the top tree).
                let blob = (*v.portfolio.blobs.get(i)?)?;
                let on_disk = if v.from_disk { std::fs::read(v.portfolio.root.join(&t.path)).ok() } else { None };
                match on_disk {
                    Some(bytes) => bytes,
                    None => {
                        let repo = handle.get_or_insert_with(|| v.place.as_ref().map(crate::git::Place::open));
                        repo.as_ref()?.as_ref().ok()?.blob(blob).ok()?
                    }
                }
            }
            None => {
                let path = v.portfolio.root.join(&t.path);
                let meta = std::fs::symlink_metadata(&path).ok()?;
                if !meta.is_file() || meta.len() > crate::domain::tiltak::MAX_FILE_SIZE {
                    return None;
                }
                std::fs::read(path).ok()?
            }
        };
        crate::store::portfolio::decode(&bytes, &t.path).ok()
    }

    fn tiltak_page(
        &self,
        out: &mut html::Out<'_>,
        t: &Tiltak,
        text: Option<&str>,
        findings: &[&Diagnostic],
        log: Vec<LogEntry>,
    ) {
        let p = &self.view.portfolio;
        let def = &p.def;
        let (l, sw) = (self.l, self.sw());
        // The view kept the evaluation of the criteria of the tiltak's own
        // phase (`Reading::Evaluated`); the body is rendered from the text.
        let fm = &t.fm;
        let body = text.and_then(|text| crate::text::frontmatter::split(text).ok().map(|s| s.body));

        let mut blocks = vec![Block::Title { name: t.title().to_owned(), title: format!("{} {}", l.tiltak, t.id()) }];
        let mut field = |term: &str, value: Option<String>| {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                blocks.push(Block::Meta { term: term.to_owned(), sep: ": ", value: vec![Span::Text(v)] });
            }
        };
        field(
            l.phase,
            t.phase
                .map(|i| format!("{}. {} ({} {} {})", i + 1, def.phases[i].name, i + 1, self.l.of, def.phases.len())),
        );
        field(
            sw.state,
            Some(match &fm.state_reason {
                Some(r) if fm.state() != State::Active => format!("{} – {r}", l.state(fm.state())),
                _ => l.state(fm.state()).to_owned(),
            }),
        );
        field(l.owner, fm.owner.clone());
        field(self.l.organization, fm.organization.clone());
        field(sw.created, fm.created.map(|d| d.to_string()));
        field(l.segment, fm.segment.as_ref().map(|s| def.segment(s).map_or_else(|| s.clone(), |s| s.name.clone())));
        field(l.product_group, fm.product_group.clone());
        field(sw.priority, fm.priority.map(|p| p.to_string()));
        field(
            l.status,
            fm.status.as_ref().map(|st| {
                let mut v = level(l, st.level);
                if let Some(r) = &st.reason {
                    v.push_str(&format!(" – {r}"));
                }
                if let Some(u) = st.updated {
                    v.push_str(&format!(" ({} {u})", l.last_updated.to_lowercase()));
                }
                v
            }),
        );
        field(
            l.risk,
            fm.risk.as_ref().map(|r| {
                let mut v = level(l, r.level);
                if let Some(d) = &r.description {
                    v.push_str(&format!(" – {d}"));
                }
                if let Some(m) = &r.mitigation {
                    v.push_str(&format!("; {}: {m}", l.mitigation.to_lowercase()));
                }
                v
            }),
        );
        field(
            sw.timeframe,
            fm.timeframe.as_ref().map(|tf| {
                let d = |d: Option<crate::domain::model::Date>| d.map(|d| d.to_string()).unwrap_or_default();
                format!("{} – {}", d(tf.start), d(tf.end))
            }),
        );
        field(
            l.next_milestone,
            fm.next_milestone().map(|m| {
                format!("{} ({})", m.name.as_deref().unwrap_or("?"), m.date.map(|d| d.to_string()).unwrap_or_default())
            }),
        );
        field(
            sw.dependencies,
            fm.dependencies.as_ref().map(|d| d.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ")),
        );
        let goals = |ids: &Option<Vec<u32>>, named: &[crate::domain::process::Goal]| {
            ids.as_ref().map(|ids| {
                ids.iter()
                    .map(|id| {
                        named
                            .iter()
                            .find(|g| g.id == *id)
                            .map_or_else(|| id.to_string(), |g| format!("{id} {}", g.name))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        };
        field(l.strategic_goals, goals(&fm.strategic_goals, &def.strategic_goals));
        field(l.sdgs, goals(&fm.sdgs, &def.sdgs));
        field(
            l.benefits,
            fm.benefits.as_ref().and_then(|b| match b {
                Benefits::Text(t) => Some(t.clone()),
                Benefits::Records(_) => None,
            }),
        );
        field(sw.prerequisites, fm.benefit_prerequisites.clone());
        for o in fm.okr.iter().flatten() {
            let krs = o.key_results.join("; ");
            field(
                "OKR",
                Some(format!(
                    "{}{}",
                    o.objective.as_deref().unwrap_or("–"),
                    if krs.is_empty() { String::new() } else { format!(": {krs}") }
                )),
            );
        }
        field(sw.links, fm.links.as_ref().map(|l| l.join(" · ")));

        self.criteria(&mut blocks, t, text.is_some());
        self.dated(&mut blocks, t);
        self.benefits(&mut blocks, t);
        self.risks(&mut blocks, t);
        self.money(&mut blocks, t);

        blocks.push(Block::Section { id: "history", number: 0, title: sw.history.to_owned(), count: Some(log.len()) });
        if let &Err(why) = &self.history {
            blocks.push(Block::Notice { title: l.no_history.to_owned(), text: Some(why.to_owned()) });
        } else if log.is_empty() {
            blocks.push(Block::Note(sw.no_entries.to_owned()));
        } else {
            blocks.push(Block::Table(crate::report::log::into_table(log, self.w, l)));
        }
        if !findings.is_empty() {
            blocks.push(Block::Section {
                id: "data-quality",
                number: 0,
                title: l.data_quality.to_owned(),
                count: Some(findings.len()),
            });
            let rows = findings
                .iter()
                .map(|d| {
                    vec![
                        format!("{} {}", l.severity(d.severity), d.code.as_str()),
                        d.location.map(|x| format!("{}:{}", x.line, x.column)).unwrap_or_default(),
                        d.message.clone(),
                    ]
                })
                .collect();
            let mut table = text_table(l.validation, &[l.finding, l.location, l.message], &[2], rows);
            if l.lang != "en" {
                table.english = vec![2];
            }
            blocks.push(Block::Table(table));
        }

        // The body, rendered safe, is the page's first section.
        let lead = match (body, text) {
            (Some(b), _) if !b.trim().is_empty() => {
                format!("<div class=\"markdown\">\n{}</div>\n", super::markdown::to_html(b, t.title()))
            }
            (_, Some(_)) => format!("<p>{}</p>\n", esc(sw.no_description)),
            (_, None) => format!("<p class=\"notice\">{}</p>\n", esc(sw.unreadable)),
        };
        let (_, footer) = self.as_of();
        let mut nav = self.nav(Here::Tiltak, "../");
        nav.push_str(&self.crumbs(t));
        let link = |id: &str| self.link(id, "../");
        let extras = Extras {
            style: STYLE,
            nav: &nav,
            lead: Some(("description", sw.description, &lead)),
            link: Some(&link),
            footer: Some(&footer),
        };
        let title = format!("{} {} – {}", t.id(), t.title(), def.name);
        html::page_to(out, &blocks, l, self.language, &title, &extras);
    }

    /// Back to the overview, and to the tiltak's group and segment.
    fn crumbs(&self, t: &Tiltak) -> String {
        let sw = self.sw();
        let norm = crate::text::normalize;
        let mut items = vec![("../index.html#all-tiltak".to_owned(), sw.overview.to_owned())];
        if let Some(g) = &t.fm.product_group
            && let Some((name, file)) = self.groups.iter().find(|(name, _)| norm(name) == norm(g))
        {
            items.push((format!("../{file}"), format!("{}: {name}", self.l.product_group)));
        }
        if let Some(s) = &t.fm.segment
            && let Some(seg) = self.view.portfolio.def.segment(s)
            && let Some((_, name, file)) = self.segments.iter().find(|(id, _, _)| *id == seg.id)
        {
            items.push((format!("../{file}"), format!("{}: {name}", self.l.segment)));
        }
        let mut out = format!("<nav class=\"crumbs\" aria-label=\"{}\">\n<ul>\n", esc(sw.back));
        for (href, text) in items {
            out.push_str(&format!("<li><a href=\"{}\">{}</a></li>\n", esc(&href), esc(&text)));
        }
        out.push_str("</ul>\n</nav>\n");
        out
    }

    /// The exit criteria of the tiltak's phase, each with ✔/✘ and why.
    fn criteria(&self, blocks: &mut Vec<Block>, t: &Tiltak, read: bool) {
        let (l, sw, def) = (self.l, self.sw(), &self.view.portfolio.def);
        let Some(i) = t.phase else { return };
        let phase = &def.phases[i];
        let next = def.phases.get(i + 1).map_or(sw.closing, |n| n.name.as_str());
        let title = format!("{}: {} → {next}", sw.exit_criteria, phase.name);
        let evaluation = t.evaluation(i);
        blocks.push(Block::Section {
            id: "criteria",
            number: 0,
            title,
            count: evaluation.map(|e| e.criteria.len()).or(Some(phase.criteria.len())),
        });
        if !read {
            blocks.push(Block::Note(sw.unreadable.to_owned()));
            return;
        }
        let Some(e) = evaluation.filter(|e| !e.criteria.is_empty()) else {
            blocks.push(Block::Note(sw.no_criteria.to_owned()));
            return;
        };
        let met = e.criteria.iter().filter(|c| c.outcome.is_met()).count();
        blocks.push(Block::Note(format!("{met} {} {} {}.", self.l.of, e.criteria.len(), self.w.met)));
        let rows = e
            .criteria
            .iter()
            .map(|c| {
                let mark =
                    if c.outcome.is_met() { format!("✔ {}", self.w.met) } else { format!("✘ {}", self.w.unmet) };
                vec![phase.criteria[c.criterion].text.clone(), mark, c.outcome.explain().unwrap_or_default()]
            })
            .collect();
        let mut table = text_table(&phase.name, &[sw.criterion, l.status, sw.why], &[0, 2], rows);
        if l.lang != "en" {
            table.english = vec![2];
        }
        blocks.push(Block::Table(table));
    }

    /// Milestones and deliveries, every one, done or not.
    fn dated(&self, blocks: &mut Vec<Block>, t: &Tiltak) {
        let (l, sw) = (self.l, self.sw());
        let items: Vec<(&str, &crate::domain::model::Milestone)> =
            t.fm.milestones
                .iter()
                .flatten()
                .map(|m| (l.milestone, m))
                .chain(t.fm.deliveries.iter().flatten().map(|m| (l.delivery, m)))
                .collect();
        if items.is_empty() {
            return;
        }
        blocks.push(Block::Section {
            id: "milestones",
            number: 0,
            title: l.milestones.to_owned(),
            count: Some(items.len()),
        });
        let rows = items
            .iter()
            .map(|(kind, m)| {
                vec![
                    m.name.clone().unwrap_or_default(),
                    (*kind).to_owned(),
                    m.date.map(|d| d.to_string()).unwrap_or_default(),
                    if m.done { format!("✔ {}", sw.done) } else { format!("○ {}", sw.not_done) },
                ]
            })
            .collect();
        blocks.push(Block::Table(text_table(l.milestones, &[l.name, l.kind, l.date, l.status], &[0], rows)));
    }

    /// The gevinstrealiseringsplan: each benefit, baseline → latest → target.
    fn benefits(&self, blocks: &mut Vec<Block>, t: &Tiltak) {
        let (l, sw) = (self.l, self.sw());
        let records = t.fm.benefits.as_ref().map(|b| b.records()).unwrap_or_default();
        if records.is_empty() {
            return;
        }
        blocks.push(Block::Section {
            id: "benefits",
            number: 0,
            title: l.benefits.to_owned(),
            count: Some(records.len()),
        });
        let num = |v: Option<f64>| v.map(|v| amount_text(v, l)).unwrap_or_default();
        let rows = records
            .iter()
            .map(|b| {
                let latest = b.measurements.last().and_then(|m| m.value).or(b.baseline.and_then(|m| m.value));
                vec![
                    b.id.clone().unwrap_or_default(),
                    b.indicator.clone().or(b.description.clone()).unwrap_or_default(),
                    b.kind.clone().unwrap_or_default(),
                    num(b.baseline.and_then(|m| m.value)),
                    num(latest),
                    num(b.target.and_then(|m| m.value)),
                    b.unit.clone().unwrap_or_default(),
                ]
            })
            .collect();
        let headers = [l.id, l.indicator, l.benefit_type, l.baseline, l.latest, l.target, sw.unit];
        blocks.push(Block::Table(text_table(l.benefits, &headers, &[1], rows)));
    }

    /// The risk register: probability × consequence, before and after.
    fn risks(&self, blocks: &mut Vec<Block>, t: &Tiltak) {
        let (l, sw) = (self.l, self.sw());
        let risks: Vec<&crate::domain::risks::RiskEntry> = t.fm.risks.iter().flatten().collect();
        if risks.is_empty() {
            return;
        }
        blocks.push(Block::Section {
            id: "risks",
            number: 0,
            title: l.risk_register.to_owned(),
            count: Some(risks.len()),
        });
        let rows: Vec<Vec<Cell>> = risks
            .iter()
            .map(|r| {
                let tags = if r.closed {
                    vec![Tag { label: sw.register_closed.to_owned(), detail: None, kind: TagKind::State }]
                } else {
                    Vec::new()
                };
                let n = |v: Option<u8>| Cell::OptNum(v.map(i64::from));
                vec![
                    Cell::Text(r.id.clone().unwrap_or_default()),
                    Cell::Tagged(r.description.clone().unwrap_or_default(), tags),
                    n(r.probability),
                    n(r.consequence),
                    n(r.score()),
                    n(r.residual_score()),
                    Cell::Text(r.mitigation.clone().unwrap_or_default()),
                    Cell::Text(r.owner.clone().unwrap_or_default()),
                ]
            })
            .collect();
        let headers = [l.id, l.risk, l.probability, l.consequence, l.score, l.residual, l.mitigation, l.owner];
        blocks.push(Block::Table(crate::report::layout::table(l.risk_register, &headers, &[1, 6], rows)));
    }

    /// The budget: investment, operations, granted, spent, forecast, by year.
    fn money(&self, blocks: &mut Vec<Block>, t: &Tiltak) {
        let (l, sw) = (self.l, self.sw());
        let Some(b) = &t.fm.budget else { return };
        let mut rows: Vec<Vec<Cell>> = [
            (l.investment, b.investment),
            (l.operations, b.operations),
            (l.granted, b.granted),
            (l.spent, b.spent),
            (l.forecast, b.forecast),
        ]
        .into_iter()
        .filter_map(|(term, v)| v.map(|v| vec![Cell::Text(term.to_owned()), Cell::Num(v.round() as i64)]))
        .collect();
        for (year, v) in b.by_year.iter().flatten() {
            rows.push(vec![Cell::Text(format!("{} {year}", l.year)), Cell::Num(v.round() as i64)]);
        }
        if rows.is_empty() {
            return;
        }
        blocks.push(Block::Section { id: "economy", number: 0, title: l.economy.to_owned(), count: None });
        let currency = b.currency.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
        let mut table =
            crate::report::layout::table(&format!("{}{currency}", l.economy), &[l.economy, sw.amount], &[], rows);
        table.compact = true;
        blocks.push(Block::Table(table));
    }
}

/// A level as text: its shape and word (never a colour alone).
fn level(l: &crate::report::i18n::Labels, level: Option<Level>) -> String {
    let shape = level.map_or("○", crate::render::level_symbol);
    format!("{shape} {}", l.level(level))
}

/// A measured value: whole numbers grouped, others as written.
fn amount_text(v: f64, l: &crate::report::i18n::Labels) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        crate::report::layout::number(v as i64, l)
    } else {
        format!("{v}").replace('.', l.decimal)
    }
}
