//! The style sheet: system fonts, AA contrast, A4 print. Inline, as the
//! page fetches nothing.

use std::fmt::Write as _;

use crate::report::i18n::Labels;

/// The style sheet: system fonts, AA contrast, A4 print.
pub fn css(l: &Labels) -> String {
    let mut css = String::from(CSS);
    let _ = writeln!(
        css,
        "@page {{ size: A4; margin: 15mm; @bottom-right {{ content: \"{} \" counter(page) \" {} \" counter(pages); font: 8pt system-ui, \"Segoe UI\", Roboto, Arial, \"Liberation Sans\", sans-serif; color: #4a5360; }} }}",
        l.page, l.of
    );
    css
}

const CSS: &str = r#":root { color-scheme: light; --ink: #1b1f24; --muted: #4a5360; --line: #c9d1da; --soft: #f3f5f8; --accent: #1f3a5f; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 28px 32px 48px; color: var(--ink); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .6rem; color: var(--accent); }
h1 .kicker { display: block; font-size: .85rem; font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); }
h2 { font-size: 1.35rem; color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin: 2.2rem 0 .8rem; }
h3 { font-size: 1.08rem; margin: 1.3rem 0 .4rem; }
p { margin: .4rem 0 .8rem; }
a { color: #1a4f8b; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
.report-header { border-bottom: 1px solid var(--line); padding-bottom: .8rem; }
.meta { display: flex; flex-wrap: wrap; gap: .2rem 2rem; margin: 0; }
.meta div { display: flex; gap: .4rem; }
.meta dt { font-weight: 600; }
.meta dt::after { content: ":"; }
.meta dd { margin: 0; }
.notice { border-left: 5px solid #8a5a00; background: #fff7e0; padding: .5rem .8rem; }
.toc { margin: 1rem 0 0; }
.toc h2 { font-size: 1rem; border: 0; margin: 0 0 .3rem; padding: 0; color: var(--ink); }
.toc ol { margin: 0; padding-left: 1.4rem; columns: 3 14rem; column-gap: 2rem; }
.toc li { margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1.3rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: .2rem 0 .35rem; }
.caption-note, .prev, .muted { color: var(--muted); font-weight: normal; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--soft); border-bottom: 2px solid #8c96a3; font-weight: 600; vertical-align: bottom; }
tbody th { font-weight: 600; white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
tr.total th, tr.total td { font-weight: 700; background: var(--soft); }
tr.inactive td, tr.inactive th { color: var(--muted); }
table.tiltak td:nth-child(2) { min-width: 12rem; }
.date { white-space: nowrap; }
.lvl { display: inline-block; white-space: nowrap; padding: 0 .45em; border: 1px solid; border-radius: .7em; font-size: .92em; line-height: 1.35; font-weight: 600; }
.lvl-green { color: #14532d; background: #e6f4ea; border-color: #5e9c6e; }
.lvl-yellow { color: #663c00; background: #fff1c7; border-color: #b88a00; }
.lvl-red { color: #8f1414; background: #fde7e7; border-color: #d46a6a; }
.lvl-none { color: #3f4652; background: #eef0f3; border-color: #98a1ad; }
.tag { display: inline-block; font-size: .8em; padding: 0 .4em; border: 1px solid #98a1ad; border-radius: 3px; color: var(--muted); white-space: nowrap; }
.tag-warn { color: #663c00; border-color: #b88a00; }
.kpis { list-style: none; display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; margin: .4rem 0 1rem; }
.kpis li { border: 1px solid var(--line); border-top: 4px solid var(--accent); background: var(--soft); padding: .5rem 1rem; min-width: 8.5rem; }
.kpi-num { display: block; font-size: 1.9rem; font-weight: 700; line-height: 1.1; color: var(--accent); }
.kpi-label { color: var(--muted); }
figure.chart { margin: .4rem 0 .8rem; }
figure.chart figcaption { margin-bottom: .3rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 13px; fill: #1b1f24; }
svg .small { font-size: 11.5px; }
svg .strong { font-weight: 600; }
svg .muted { fill: #4a5360; }
svg .val-in { fill: #fff; font-weight: 700; }
svg .val { font-weight: 700; }
svg .bar-fill { fill: #2f5d8a; }
svg .axis, svg .grid { stroke: #98a1ad; stroke-width: 1; }
svg .grid { stroke-dasharray: 3 3; }
svg .stripe { fill: #f3f5f8; }
svg .mark { fill: #1f3a5f; stroke: #fff; stroke-width: 1.5; }
svg .f-green { fill: #2e7d32; stroke: #fff; stroke-width: 1; }
svg .f-yellow { fill: #f0c330; stroke: #fff; stroke-width: 1; }
svg .f-red { fill: #b42318; stroke: #fff; stroke-width: 1; }
svg .f-none { fill: #d5d9df; stroke: #fff; stroke-width: 1; }
svg .t-green, svg .t-red { fill: #fff; font-weight: 700; font-size: 12px; }
svg .t-yellow, svg .t-none { fill: #1b1f24; font-weight: 700; font-size: 12px; }
svg .big { font-size: 22px; }
svg .faint { opacity: .45; }
svg .cell { stroke: #fff; stroke-width: 2; }
.card { border: 1px solid var(--line); border-left: 6px solid; border-radius: 3px; padding: .45rem .9rem .6rem; margin: .7rem 0; }
.card-red { border-left-color: #b42318; }
.card-yellow { border-left-color: #c99a00; }
.card h3 { margin: .15rem 0 .4rem; }
.card .id { color: var(--muted); margin-right: .3rem; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
.card dt { font-weight: 600; }
.card dd { margin: 0; }
.bar-track { display: inline-block; width: 8rem; height: .75em; background: #e3e7ec; vertical-align: middle; margin-right: .4rem; }
.n { display: inline-block; min-width: 2.2em; text-align: right; margin-right: .5rem; font-weight: 600; }
.bar { display: block; height: 100%; background: #2f5d8a; }
table.goals td:nth-child(3) { white-space: nowrap; }
.ids { font-size: .88em; color: var(--muted); }
.hint { color: var(--muted); font-size: .92em; }
code.path { overflow-wrap: anywhere; }
.keep { white-space: nowrap; }
table.counts { width: auto; min-width: 60%; }
table.counts td.num, table.counts th.num { min-width: 6.5rem; }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: .5rem; color: var(--muted); font-size: .9em; }
@media (max-width: 700px) { body { padding: 16px; } .toc ol { columns: 1; } }
/* Reflow (WCAG 1.4.10): below 40em a table is a list of rows, each cell
   under its column's name, so nothing scrolls sideways at 320 px. */
@media (max-width: 40em) {
  table, thead, tbody, tr, th, td, caption { display: block; }
  table, table.counts { width: 100%; min-width: 0; }
  thead tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  tbody tr { border: 1px solid var(--line); border-radius: 3px; margin: 0 0 .5rem; padding: .3rem .5rem; }
  tbody th, tbody td, tbody td.num { border: 0; padding: .1rem 0; white-space: normal; text-align: left; }
  tbody th { font-size: 1.02em; }
  tbody td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  table.counts td.num, table.counts th.num { min-width: 0; display: inline-block; margin-right: 1rem; }
  table.tiltak td:nth-child(2) { min-width: 0; }
  .bar-track { width: 5rem; }
  .kpis li { min-width: 0; flex: 1 1 7rem; }
  .meta { gap: .2rem 1rem; }
  body { overflow-wrap: break-word; }
}
/* Forced colours (Windows high contrast): the charts' own fills and white
   labels would vanish against the user's colours; use the system's. */
@media (forced-colors: active) {
  figure.chart svg { forced-color-adjust: none; background: Canvas; }
  svg text, svg .muted, svg .val, svg .t-green, svg .t-red, svg .t-yellow, svg .t-none { fill: CanvasText; }
  svg .val-in { fill: Canvas; }
  svg .bar-fill { fill: CanvasText; }
  svg .axis, svg .grid { stroke: CanvasText; }
  svg .stripe { fill: Canvas; }
  svg .mark { fill: CanvasText; stroke: Canvas; }
  svg .f-green, svg .f-yellow, svg .f-red, svg .f-none { fill: Canvas; stroke: CanvasText; stroke-width: 1.5; }
  .bar { forced-color-adjust: none; background: CanvasText; }
  .bar-track { forced-color-adjust: none; background: Canvas; border: 1px solid CanvasText; }
  .lvl, .tag, .card, .kpis li { border-color: CanvasText; }
}
@media print {
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { font-size: 18pt; }
  h2 { font-size: 13pt; margin-top: 1.4em; }
  h3 { font-size: 11pt; }
  h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  tr, figure, .card, .kpis, svg { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .toc ol { columns: 3; }
  th, td { padding: .2em .4em; }
}
"#;
