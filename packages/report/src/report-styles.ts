/**
 * The report's stylesheet, inlined into report.html: system fonts only (nothing is loaded), a
 * single column that fits a phone, two columns from 1100 px, and a print layout.
 */
export const reportStyles = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; --panel: #f6f6f4; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1240px; padding: 1rem 1.25rem 3rem; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0 0.25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2.25rem 0 0.5rem; padding-top: 0.5rem; border-top: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.35rem; overflow-wrap: anywhere; }
h4 { font-size: 0.95rem; margin: 1rem 0 0.25rem; overflow-wrap: anywhere; }
p, li { max-width: 80ch; }
a { color: var(--accent); }
code { font: 0.85em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.caption-line { color: var(--muted); margin: 0 0 0.75rem; }
.caution { border-left: 4px solid #D55E00; background: #fdf3ec; padding: 0.4rem 0.75rem; margin: 0.5rem 0; }
.caution::before { content: "Note: "; font-weight: 600; }
nav.toc { background: var(--panel); padding: 0.5rem 0.9rem; border-radius: 6px; margin: 1rem 0; }
nav.toc ol { margin: 0.25rem 0; padding-left: 1.25rem; columns: 2 16rem; }
figure { margin: 1rem 0 1.5rem; max-width: 100%; break-inside: avoid; }
figure > figcaption { color: var(--muted); font-size: 0.9rem; max-width: 80ch; margin-top: 0.35rem; }
figure .chart { overflow-x: auto; }
figure .chart svg { max-width: 100%; height: auto; }
.figure-title { font-weight: 600; margin: 0 0 0.25rem; }
.pair-of-figures { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0 1.5rem; }
@media (min-width: 1100px) { .pair-of-figures { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); } }
.table-scroll { overflow-x: auto; margin: 0.5rem 0 1rem; max-width: 100%; }
table { border-collapse: collapse; font-size: 0.88rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mark { font-weight: 700; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
details { margin: 0.4rem 0; }
details > summary { cursor: pointer; }
details.factor { border: 1px solid var(--rule); border-radius: 6px; padding: 0.4rem 0.8rem; }
details.factor[open] { background: #fcfcfb; }
details.factor > summary { font-weight: 600; }
.example { border-top: 1px dashed var(--rule); padding: 0.5rem 0 0.75rem; }
.example-head { font-weight: 600; margin: 0.25rem 0; overflow-wrap: anywhere; }
.kind { display: inline-block; padding: 0 0.4rem; border-radius: 4px; border: 1px solid currentColor; font-size: 0.8rem; margin-right: 0.35rem; }
.kind.concordant { color: #005a8c; }
.kind.discordant { color: #a44500; }
.responses { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; }
@media (min-width: 800px) { .responses { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
.response { background: var(--panel); border-radius: 6px; padding: 0.5rem 0.7rem; }
.response.preferred { outline: 2px solid #009E73; }
.response-head { font-weight: 600; margin-bottom: 0.25rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; font-size: 0.9rem; }
.fold > summary { color: var(--muted); }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); padding-top: 0.5rem; }
@media (max-width: 600px) { body { padding: 0.75rem; font-size: 14px; } h1 { font-size: 1.35rem; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  figure, table, .example { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
  details > summary { list-style: none; }
  .response.preferred { outline: 1.5pt solid #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
