import { drillDowns } from "./drill-down.js";
import {
  comparisonMarks,
  dumbbellFigure,
  type Figure,
  forestFigure,
  gapFigures,
  improvementFigures,
  jointFigure,
  judgeFigure,
  lengthFigures,
  orderedComparisonFactors,
  scatterFigure,
} from "./figures.js";
import { type Html, type HtmlValue, html, trustedMarkup } from "./html.js";
import {
  baselineCaption,
  baselineRows,
  baselineTitle,
  formatMetric,
  judgeCautions,
  judgeMetrics,
  judgesOf,
} from "./judge-diagnostics.js";
import {
  formatCount,
  formatInterval,
  formatPercent,
  formatScore,
  formatWithInterval,
} from "./number-format.js";
import { provenanceOf } from "./provenance.js";
import { reportStyles } from "./report-styles.js";
import type { ReportModel, ReportSource } from "./report-model.js";
import { summaryLines } from "./summary-lines.js";

/** Nothing may load or run: no script, no request of any kind; styles inline only. */
export const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

function figureBlock(figure: Figure): Html {
  return html`<figure id="${figure.id}"><p class="figure-title">${figure.title}</p><div class="chart">${trustedMarkup(figure.svg)}</div><figcaption>${figure.caption}</figcaption></figure>`;
}

function table(
  head: readonly (string | { text: string; num: true })[],
  rows: readonly (readonly HtmlValue[])[],
  numeric: readonly boolean[],
): Html {
  const th = head.map((h) =>
    typeof h === "string"
      ? html`<th scope="col">${h}</th>`
      : html`<th scope="col" class="num">${h.text}</th>`,
  );
  const body = rows.map(
    (row) =>
      html`<tr>${row.map((cell, i) => (numeric[i] ? html`<td class="num">${cell}</td>` : html`<td>${cell}</td>`))}</tr>`,
  );
  return html`<div class="table-scroll"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

interface Section {
  readonly id: string;
  readonly title: string;
  readonly body: Html;
}

function summarySection(model: ReportModel): Section {
  const sources = table(
    [
      "source",
      "role",
      "model",
      "folder",
      { text: "pairs", num: true },
      { text: "groups", num: true },
      "score",
    ],
    model.sources.map((s) => [
      s.label,
      s.role ?? "unknown",
      s.model ?? "—",
      html`<code>${s.folder}</code>`,
      formatCount(s.profile.pairs),
      formatCount(s.profile.groups),
      s.profile.variant,
    ]),
    [false, false, false, false, true, true, false],
  );
  const lines = summaryLines(model).map(
    (line) => html`<li><strong>${line.topic}:</strong> ${line.text}</li>`,
  );
  const notes = model.notes
    .filter((n) => n.factor === undefined)
    .map((n) => html`<p class="caution">${n.source}: ${n.text}.</p>`);
  return { id: "summary", title: "Summary", body: html`${sources}${notes}<ul>${lines}</ul>` };
}

function alignmentSection(model: ReportModel): Section | undefined {
  if (model.comparisons.length === 0) return undefined;
  const blocks = model.comparisons.map((entry, index) => {
    const marks = orderedComparisonFactors(entry.comparison).map((f) => {
      const m = comparisonMarks(f);
      return [
        f.factor,
        formatScore(f.a),
        formatScore(f.b),
        formatScore(f.gap),
        formatInterval(f.ci95),
        html`<span class="mark">${m.signDiffers ? "sign differs" : ""}</span>`,
        html`<span class="mark">${m.gapExcludesZero ? "gap ≠ 0" : ""}</span>`,
      ];
    });
    const gapTable = table(
      [
        "factor",
        { text: entry.comparison.reference.label, num: true },
        { text: entry.name, num: true },
        { text: "gap", num: true },
        { text: "95% CI", num: true },
        "sign",
        "interval",
      ],
      marks,
      [false, true, true, true, true, false, false],
    );
    return html`<h3>${entry.comparison.reference.label} → ${entry.name}</h3><p class="caption-line">From <code>${entry.folder}</code>.</p><div class="pair-of-figures">${figureBlock(dumbbellFigure(entry, index))}${figureBlock(scatterFigure(entry, index))}</div><details><summary>Every factor's gap, with its interval</summary>${gapTable}</details>`;
  });
  return { id: "alignment", title: "Human → model", body: html`${blocks}` };
}

function gapSection(model: ReportModel): Section | undefined {
  const figures = gapFigures(model);
  if (figures.length === 0) return undefined;
  return {
    id: "gap",
    title: "Generation–evaluation gap",
    body: html`<p>PROFILE's headline comparison: does a model weigh the factors more like people when it judges pairs than when it writes responses?</p>${figures.map(figureBlock)}`,
  };
}

function lengthSection(model: ReportModel): Section | undefined {
  const figures = [...lengthFigures(model), jointFigure(model)].filter((f): f is Figure => f !== undefined);
  if (figures.length === 0) return undefined;
  const notes = model.sources.flatMap((s) =>
    (s.profile.attribution?.notes ?? []).map((note) => html`<p class="caution">${s.label}: ${note}</p>`),
  );
  return {
    id: "length",
    title: "Length control and joint attribution",
    body: html`${figures.map(figureBlock)}${notes}`,
  };
}

function judgeSection(model: ReportModel): Section | undefined {
  const figure = judgeFigure(model);
  if (figure === undefined) return undefined;
  const rows = judgesOf(model).map((s) => {
    const m = judgeMetrics(s);
    return [
      s.label,
      s.model ?? "—",
      formatMetric(m.accuracy),
      formatMetric(m.kappa),
      formatMetric(m.positionConsistency),
      formatMetric(m.tieRate),
      formatCount(s.agreement.decisivePairs ?? s.agreementStatistics?.accuracyWithoutTies.of),
      formatPercent(s.agreement.humanTieRate ?? s.agreementStatistics?.referenceTieRate),
    ];
  });
  const judgeTable = table(
    [
      "judge",
      "model",
      { text: "accuracy [95% CI]", num: true },
      { text: "kappa [95% CI]", num: true },
      { text: "position consistency [95% CI]", num: true },
      { text: "tie rate", num: true },
      { text: "decisive pairs", num: true },
      { text: "human tie rate", num: true },
    ],
    rows,
    [false, false, true, true, true, true, true, true],
  );
  const cautions = judgeCautions(model).map((c) => html`<p class="caution">${c.judge}: ${c.text}</p>`);
  return {
    id: "judge",
    title: "Judge diagnostics",
    body: html`${figureBlock(figure)}${judgeTable}${baselineBlock(model)}${cautions}${extractorTable(model)}`,
  };
}

/** "Is the judge better than one factor?": each judge against each rule factor's sign alone. */
function baselineBlock(model: ReportModel): Html {
  const rows = baselineRows(model).map((r) => [
    r.judge,
    r.factor,
    r.accuracy,
    r.coverage,
    r.difference,
    r.interval,
    r.pairs,
    html`<span class="mark">${r.verdict}</span>`,
  ]);
  if (rows.length === 0) return html``;
  return html`<h3 id="judge-baselines">${baselineTitle}</h3><p class="caption-line">${baselineCaption}</p>${table(
    [
      "judge",
      "factor",
      { text: "factor's accuracy alone", num: true },
      { text: "coverage", num: true },
      { text: "judge − factor", num: true },
      { text: "95% CI", num: true },
      { text: "pairs", num: true },
      "verdict",
    ],
    rows,
    [false, false, true, true, true, true, true, false],
  )}`;
}

/** The extractor's position consistency per model-extracted factor (asked in both orders). */
function extractorTable(model: ReportModel): Html {
  const rows = model.sources.flatMap((s) =>
    Object.entries(s.manifest?.extraction?.factors ?? {})
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([factor, f]) => [
        s.label,
        factor,
        formatCount(f.pairs),
        formatCount(f.missing),
        formatPercent(f.positionConsistency?.rate),
      ]),
  );
  if (rows.length === 0) return html``;
  return html`<h3>Extractor consistency</h3><p class="caption-line">Model-extracted factors are read in both orders; consistency is the share of pairs whose two readings agree.</p>${table(["source", "factor", { text: "pairs", num: true }, { text: "missing", num: true }, { text: "position consistency", num: true }], rows, [false, false, true, true, true])}`;
}

function improvementSection(model: ReportModel): Section | undefined {
  const figures = improvementFigures(model);
  if (figures.length === 0) return undefined;
  const rows = model.improvements.flatMap(({ improvement }) =>
    improvement.factors.map((f) => [
      improvement.method,
      f.factor,
      formatScore(f.human),
      formatScore(f.before),
      formatScore(f.after),
      formatWithInterval(f.shift.value, f.shift.ci95),
      formatWithInterval(f.distanceChange.value, f.distanceChange.ci95),
    ]),
  );
  const factorTable =
    rows.length === 0
      ? ""
      : table(
          [
            "method",
            "factor",
            { text: "human", num: true },
            { text: "before", num: true },
            { text: "after", num: true },
            { text: "shift (paired 95% CI)", num: true },
            { text: "distance to human (paired 95% CI)", num: true },
          ],
          rows,
          [false, false, true, true, true, true, true],
        );
  const cautions = model.improvements.flatMap(({ improvement, revision }) => [
    ...(revision?.revision.note
      ? [html`<p class="caution">${improvement.method}: ${revision.revision.note}</p>`]
      : []),
    ...(improvement.evaluator?.self
      ? [
          html`<p class="caption-line">${improvement.method}: the evaluator is the generator itself, so self-preference may favour its own style.</p>`,
        ]
      : []),
  ]);
  return {
    id: "improvement",
    title: "Improvement",
    body: html`${cautions}${figures.map(figureBlock)}<p class="caption-line">Distance to human: |after − human| − |before − human| per factor; below 0 the factor moved towards the human score.</p>${factorTable}`,
  };
}

function countsTable(source: ReportSource, model: ReportModel): Html {
  const notes = model.notes.filter((n) => n.source === source.label);
  const order = model.factors.filter((factor) => source.profile.factors.some((f) => f.factor === factor));
  const rows = order.map((factor) => {
    const f = source.profile.factors.find((x) => x.factor === factor)!;
    const note = notes.find((n) => n.factor === factor);
    return [
      factor,
      formatScore(f.tau),
      formatInterval(f.ci95),
      formatScore(f.pValue, 4),
      formatCount(f.concordant),
      formatCount(f.discordant),
      formatCount(f.factorTies),
      formatCount(f.preferenceTies),
      formatCount(f.missing),
      note === undefined ? "" : html`<span class="mark">many missing</span>`,
    ];
  });
  const { profile } = source;
  return html`<h3>${source.label}</h3><p class="caption-line">${formatCount(profile.pairs)} pairs (${formatCount(profile.preferenceTies)} labelled tie) in ${formatCount(profile.groups)} groups; ${profile.variant}; ${profile.bootstrap === undefined ? "" : `B = ${formatCount(profile.bootstrap)} bootstrap replicates, `}${profile.permutations === undefined ? "" : `R = ${formatCount(profile.permutations)} sign flips`}. From <code>${source.folder}</code>.</p>${notes.map((n) => html`<p class="caution">${n.text}.</p>`)}${table(
    [
      "factor",
      { text: "score", num: true },
      { text: "95% CI", num: true },
      { text: "p", num: true },
      { text: "C", num: true },
      { text: "D", num: true },
      { text: "factor ties", num: true },
      { text: "preference ties", num: true },
      { text: "missing", num: true },
      "note",
    ],
    rows,
    [false, true, true, true, true, true, true, true, true, false],
  )}`;
}

function countsSection(model: ReportModel): Section {
  return {
    id: "counts",
    title: "Counts",
    body: html`<p>C: concordant pairs (the preferred response shows more of the factor); D: discordant; factor ties: the factor is equal on both responses; preference ties: the label is a tie (left out of tau14); missing: the factor could not be measured.</p>${model.sources.map((s) => countsTable(s, model))}`,
  };
}

function provenanceSection(model: ReportModel): Section {
  const blocks = provenanceOf(model).map((entry) => {
    const facts = html`<dl class="facts">${entry.facts.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
    const usage =
      entry.usage.length === 0
        ? ""
        : table(
            [
              "model",
              { text: "calls", num: true },
              { text: "requests", num: true },
              { text: "cache hits", num: true },
              { text: "input tokens", num: true },
              { text: "output tokens", num: true },
              { text: "cost", num: true },
            ],
            entry.usage.map((u) => [
              u.model,
              u.calls,
              u.requests,
              u.cacheHits,
              u.inputTokens,
              u.outputTokens,
              u.cost,
            ]),
            [false, true, true, true, true, true, true],
          );
    return html`<h3>${entry.what}: <code>${entry.folder}</code></h3>${facts}${usage}`;
  });
  return { id: "provenance", title: "Provenance", body: html`${blocks}` };
}

function drillDownSection(model: ReportModel): Section {
  return {
    id: "factors",
    title: "Why: example pairs per factor",
    body: html`<p>For each factor, up to ${model.examplesPerKind} concordant pairs (the preferred response shows more of the factor) and ${model.examplesPerKind} discordant pairs (it shows less) from each source, chosen by a hash of the factor and the pair id. Open a factor to see them; long texts are folded.</p>${drillDowns(model)}`,
  };
}

/** report.html: one self-contained page, with every chart inline as SVG and no script. */
export function renderHtmlReport(model: ReportModel): string {
  const forest = forestFigure(model);
  const sections = [
    summarySection(model),
    gapSection(model),
    forest === undefined
      ? undefined
      : { id: "profiles", title: "Factor profiles", body: figureBlock(forest) },
    alignmentSection(model),
    lengthSection(model),
    judgeSection(model),
    improvementSection(model),
    drillDownSection(model),
    countsSection(model),
    provenanceSection(model),
  ].filter((s): s is Section => s !== undefined);
  const toc = html`<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ol></nav>`;
  const body = sections.map((s) => html`<section id="${s.id}"><h2>${s.title}</h2>${s.body}</section>`);
  const caption = model.caption === undefined ? "" : html`<p class="caption-line">${model.caption}</p>`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="@profilekit/report">
<title>${model.title}</title>
<style>${trustedMarkup(reportStyles)}</style>
</head>
<body>
<header><h1>${model.title}</h1>${caption}<p class="caption-line">Made by profilekit from run folders alone: ${model.sources.map((s, i) => html`${i === 0 ? "" : ", "}<code>${s.folder}</code>`)}.</p></header>
${toc}
<main>${body}</main>
<footer>profilekit report. tau is PROFILE's factor score (Oh et al., arXiv 2410.06965): how strongly a factor drives the preference labels. Hover a mark for its exact value.</footer>
</body>
</html>
`;
  return page.toString();
}
