//! The site's navigation and its pages other than the tiltak pages: the
//! report, the board, the decision log, and the report of each product
//! group and segment.

use std::fmt::Write as _;

use super::Site;
use super::tiltak::Write;
use crate::domain::model::State;
use crate::domain::process::{Language, bilingual};
use crate::error::Result;
use crate::render::html::{self, Extras, esc};
use crate::report::layout::{Block, Cell, RowStyle, Span, Table, Tag, TagKind};
use crate::report::{self, HistoryInput, Input, Snapshot};
use crate::store::view::Filters;

bilingual! {
    /// The site's own words; the rest are the report's.
    pub struct SiteWords {
        site: "Porteføljen", "The portfolio";
        overview: "Oversikt", "Overview";
        groups: "Produktgrupper", "Product groups";
        segments: "Segmenter", "Segments";
        back: "Tilbake til", "Back to";
        description: "Beskrivelse", "Description";
        no_description: "Tiltaket har ingen beskrivelse.", "The tiltak has no description.";
        unreadable: "Filen kunne ikke leses; se datakvalitet.", "The file could not be read; see data quality.";
        state: "Tilstand", "State";
        created: "Opprettet", "Created";
        priority: "Prioritet", "Priority";
        timeframe: "Tidsramme", "Timeframe";
        dependencies: "Avhengigheter", "Dependencies";
        prerequisites: "Nytteforutsetninger", "Benefit prerequisites";
        links: "Lenker", "Links";
        criterion: "Kriterium", "Criterion";
        why: "Hvorfor", "Why";
        exit_criteria: "Kriterier for å gå videre", "Exit criteria";
        closing: "avsluttet", "closed";
        no_criteria: "Fasen har ingen kriterier.", "The phase has no criteria.";
        history: "Historikk og beslutninger", "History and decisions";
        no_entries: "Ingen beslutninger registrert.", "No decisions recorded.";
        done: "ferdig", "done";
        not_done: "ikke ferdig", "not done";
        none_in_phase: "Ingen tiltak i fasen.", "No tiltak in this phase.";
        register_closed: "lukket", "closed";
        unit: "Enhet", "Unit";
        amount: "Beløp", "Amount";
    }
}

pub fn words(language: Language) -> &'static SiteWords {
    SiteWords::for_language(language)
}

/// The site's style, after the report's: navigation, the Markdown body,
/// and no navigation on paper.
pub const STYLE: &str = r#"nav.site { border-bottom: 1px solid var(--line); margin: 0 0 1rem; padding: 0 0 .5rem; }
nav.site ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.2rem; }
nav.site ul ul { display: inline-flex; gap: .25rem .9rem; margin-left: .4rem; }
nav.site .label { font-weight: 600; color: var(--muted); }
nav.site a { display: inline-block; padding: .1rem 0; }
nav.site a[aria-current="page"] { font-weight: 700; color: var(--ink); text-decoration: none; }
nav.crumbs { margin: 0 0 .6rem; color: var(--muted); }
nav.crumbs ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
/* A tiltak's fields hold long values: the value goes under its name when
   the two do not fit side by side, and long addresses break (320 px). */
.meta div { flex-wrap: wrap; min-width: 0; }
.meta dd { min-width: 0; overflow-wrap: anywhere; }
.markdown { overflow-wrap: break-word; }
.markdown pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: .5rem .7rem; border: 1px solid var(--line); }
.markdown blockquote { border-left: 4px solid var(--line); margin: .5rem 0; padding: 0 .9rem; }
.markdown ul { padding-left: 1.4rem; }
.markdown .task { font-size: 1.1em; }
@media print { nav.site, nav.crumbs { display: none; } }
"#;

/// Where a page stands in the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Here<'a> {
    Index,
    Board,
    Log,
    Page(&'a str),
    Tiltak,
}

impl Site<'_> {
    pub fn sw(&self) -> &'static SiteWords {
        words(self.language)
    }

    /// The `<nav>` on every page; `up` leads from the page to the top.
    pub fn nav(&self, here: Here<'_>, up: &str) -> String {
        let sw = self.sw();
        let mut out = format!("<nav class=\"site\" aria-label=\"{}\">\n<ul>\n", esc(sw.site));
        let item = |out: &mut String, href: &str, text: &str, current: bool| {
            let current = if current { " aria-current=\"page\"" } else { "" };
            let _ = writeln!(out, "<li><a href=\"{up}{}\"{current}>{}</a></li>", esc(href), esc(text));
        };
        item(&mut out, "index.html", sw.overview, here == Here::Index);
        item(&mut out, "board.html", self.l.board, here == Here::Board);
        item(&mut out, "log.html", self.w.log, here == Here::Log);
        for (label, list) in [
            (sw.groups, self.groups.iter().map(|(n, f)| (n.as_str(), f.as_str())).collect::<Vec<_>>()),
            (sw.segments, self.segments.iter().map(|(_, n, f)| (n.as_str(), f.as_str())).collect()),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(out, "<li><span class=\"label\">{}:</span>\n<ul>\n", esc(label));
            for (name, file) in list {
                item(&mut out, file, name, here == Here::Page(file));
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n</nav>\n");
        out
    }

    /// The report of the tiltak `filters` select.
    fn report(&self, filters: Filters) -> report::Report {
        let v = &self.view;
        let in_range = |_: &crate::git::CommitInfo| false;
        let input = Input {
            now: Snapshot { def: &v.portfolio.def, tiltak: &v.portfolio.tiltak, diagnostics: &v.portfolio.diagnostics },
            date: v.date,
            commit: v.commit,
            uncommitted: false,
            language: self.language,
            filters,
            previous: None,
            previous_round: None,
            round: self.rounds.tagged.as_deref(),
            // The round open on the site's day, for who has not reported.
            open_round: self.rounds.open.as_ref(),
            history: match &self.history {
                Ok((h, stays)) => Ok(HistoryInput { events: &h.events, stays, in_range: &in_range }),
                Err(why) => Err((*why).to_owned()),
            },
        };
        report::build(&input, None)
    }

    fn report_page(&self, out: &mut html::Out<'_>, filters: Filters, here: Here<'_>) {
        let built = self.report(filters);
        let nav = self.nav(here, "");
        let link = |id: &str| self.link(id, "");
        let extras = Extras { style: STYLE, nav: &nav, link: Some(&link), ..Extras::default() };
        html::render_to(out, &built, self.l, &extras);
    }

    /// Write the pages other than the tiltak pages, in order; how many.
    pub fn report_pages(&self, write: &Write<'_>) -> Result<usize> {
        // Each page's report and blocks are tens of megabytes at ten
        // thousand tiltak, freed in pieces that glibc would keep for the
        // next: handed back after each page, they do not add up.
        let write = |name: &str, render: &mut dyn FnMut(&mut html::Out<'_>)| {
            let written = write(name, render);
            crate::util::parallel::release_free_memory();
            written
        };
        write("index.html", &mut |out| self.report_page(out, Filters::default(), Here::Index))?;
        write("board.html", &mut |out| self.board(out))?;
        write("log.html", &mut |out| self.log_page(out))?;
        for (g, file) in &self.groups {
            let filters = || Filters { group: Some(g.clone()), segment: None };
            write(file, &mut |out| self.report_page(out, filters(), Here::Page(file)))?;
        }
        for (id, _, file) in &self.segments {
            let filters = || Filters { group: None, segment: Some(id.clone()) };
            write(file, &mut |out| self.report_page(out, filters(), Here::Page(file)))?;
        }
        Ok(3 + self.groups.len() + self.segments.len())
    }

    /// What every page but the report says of when: date and commit.
    pub fn as_of(&self) -> (Block, String) {
        let v = &self.view;
        let mut value = vec![Span::Text(format!("{} · ", v.date))];
        let mut footer = v.date.to_string();
        match v.commit {
            Some(c) => {
                value.extend([Span::Text(format!("{} ", self.l.commit)), Span::Code(c.short.clone())]);
                footer = format!("{} {} · {} {}", self.l.as_of, v.date, self.l.commit, c.short);
            }
            None => value.push(Span::Text(self.l.work_tree.to_owned())),
        }
        (Block::Meta { term: self.l.as_of.to_owned(), sep: " ", value }, footer)
    }

    /// The board: one section per phase, its tiltak in a table (active
    /// first, then on hold, then stopped; by ID within each).
    fn board(&self, out: &mut html::Out<'_>) {
        let p = &self.view.portfolio;
        let l = self.l;
        let (as_of, footer) = self.as_of();
        let mut blocks = vec![Block::Title { name: p.def.name.clone(), title: l.board.to_owned() }, as_of];
        let columns = crate::report::board::columns(&p.def, p.tiltak.iter());
        for (i, (phase, cards)) in p.def.phases.iter().zip(columns).enumerate() {
            let title = phase.name.clone();
            match PHASE_IDS.get(i) {
                Some(id) => {
                    blocks.push(Block::Section { id, number: i + 1, title: title.clone(), count: Some(cards.len()) })
                }
                None => blocks.push(Block::SubHeading(format!("{title} ({})", cards.len()))),
            }
            if cards.is_empty() {
                blocks.push(Block::Note(self.sw().none_in_phase.to_owned()));
                continue;
            }
            let rows: Vec<Vec<Cell>> = cards
                .iter()
                .map(|t| {
                    let state = t.fm.state();
                    let tags = if state == State::Active {
                        Vec::new()
                    } else {
                        vec![Tag { label: l.state(state).to_owned(), detail: None, kind: TagKind::State }]
                    };
                    vec![
                        Cell::Text(t.id().to_owned()),
                        Cell::Tagged(t.title().to_owned(), tags),
                        Cell::Level(t.fm.status_level()),
                        Cell::Level(t.fm.risk.as_ref().and_then(|r| r.level)),
                    ]
                })
                .collect();
            let mut table = crate::report::layout::table(&title, &[l.id, l.title_col, l.status, l.risk], &[1], rows);
            table.styles = cards
                .iter()
                .map(|t| if t.fm.state() == State::Active { RowStyle::Normal } else { RowStyle::Muted })
                .collect();
            blocks.push(Block::Table(table));
        }
        self.page(out, &blocks, &format!("{} – {}", p.def.name, l.board), Here::Board, &footer);
    }

    /// The decision log: every decision, newest first.
    fn log_page(&self, out: &mut html::Out<'_>) {
        let p = &self.view.portfolio;
        let (as_of, footer) = self.as_of();
        let mut blocks = vec![Block::Title { name: p.def.name.clone(), title: self.w.log.to_owned() }, as_of];
        if let &Err(why) = &self.history {
            blocks.push(Block::Notice { title: self.l.no_history.to_owned(), text: Some(why.to_owned()) });
        }
        // Made a row at a time: the entries are tens of thousands.
        let titles = crate::report::log::titles(&p.tiltak);
        let title = |id: &str| titles.get(&id.to_ascii_uppercase()).copied();
        let events = self.history.as_ref().map_or(&[][..], |(h, _)| &h.events[..]);
        let log = crate::report::log::newest_first(&p.def, events, 0..events.len(), &title);
        blocks.push(Block::Section { id: "log", number: 1, title: self.w.entries.to_owned(), count: Some(log.len()) });
        if log.len() == 0 {
            blocks.push(Block::Note(self.w.no_decisions.to_owned()));
        } else {
            blocks.push(Block::Table(crate::report::log::into_table(log, self.w, self.l)));
        }
        self.page(out, &blocks, &format!("{} – {}", p.def.name, self.w.log), Here::Log, &footer);
    }

    /// A page of blocks at the top of the site.
    fn page(&self, out: &mut html::Out<'_>, blocks: &[Block], title: &str, here: Here<'_>, footer: &str) {
        let nav = self.nav(here, "");
        let link = |id: &str| self.link(id, "");
        let extras = Extras { style: STYLE, nav: &nav, link: Some(&link), footer: Some(footer), ..Extras::default() };
        html::page_to(out, blocks, self.l, self.language, title, &extras);
    }
}

/// Section ids of the board's phases (a process with more phases shows the
/// rest under plain headings).
const PHASE_IDS: [&str; 12] = [
    "phase-1", "phase-2", "phase-3", "phase-4", "phase-5", "phase-6", "phase-7", "phase-8", "phase-9", "phase-10",
    "phase-11", "phase-12",
];

/// A table of text rows (criteria, milestones, findings).
pub fn text_table(caption: &str, headers: &[&str], wrap: &[usize], rows: Vec<Vec<String>>) -> Table {
    crate::report::layout::table(
        caption,
        headers,
        wrap,
        rows.into_iter().map(|r| r.into_iter().map(Cell::Text).collect()).collect(),
    )
}
