import { comparisonMarks, excludesZero, orderedComparisonFactors } from "./figures.js";
import {
  baselineCaption,
  baselineRows,
  baselineTitle,
  formatMetric,
  judgeCautions,
  judgeMetrics,
  judgesOf,
} from "./judge-diagnostics.js";
import { formatCount, formatInterval, formatScore } from "./number-format.js";
import { provenanceOf } from "./provenance.js";
import type { ReportModel } from "./report-model.js";
import { summaryLines } from "./summary-lines.js";
import { markdownTable } from "./text/tables.js";

/**
 * Text from data as Markdown text on one line: the characters that make emphasis, code, HTML,
 * tables or strike-through are escaped, and so is a link's "](", so no text becomes markup.
 */
function markdownText(text: string): string {
  return text
    .replace(/[\\`*_<>|~]/g, (char) => `\\${char}`)
    .replaceAll("](", "]\\(")
    .replace(/\s*[\r\n]+\s*/g, " ");
}

/** report.md: the summary, profiles, alignment, judges and provenance, to paste into a PR or an issue. */
export function renderMarkdownReport(model: ReportModel): string {
  const md = markdownText;
  const out: string[] = [`# ${md(model.title)}`, ""];
  if (model.caption !== undefined) out.push(md(model.caption), "");
  out.push(
    `Made by profilekit from run folders alone: ${model.sources.map((s) => md(s.folder)).join(", ")}. report.html beside this file has the charts and example pairs.`,
    "",
    "## Summary",
    "",
  );
  for (const line of summaryLines(model)) out.push(`- **${md(line.topic)}:** ${md(line.text)}`);
  for (const note of model.notes.filter((n) => n.factor === undefined))
    out.push(`- **Note (${md(note.source)}):** ${md(note.text)}.`);
  out.push("", "## Factor profiles", "");
  out.push(
    `Factor scores with 95% intervals, ordered by |tau| of ${md(model.orderedBy ?? "the first source")}; * marks an interval that excludes 0.`,
    "",
  );
  const cell = (source: ReportModel["sources"][number], factor: string) => {
    const f = source.profile.factors.find((x) => x.factor === factor);
    if (f === undefined) return "";
    return `${formatScore(f.tau)} ${formatInterval(f.ci95)}${excludesZero(f.ci95) ? " *" : ""}`;
  };
  out.push(
    markdownTable({
      head: ["factor", ...model.sources.map((s) => md(s.label))],
      rows: model.factors.map((factor) => [md(factor), ...model.sources.map((s) => cell(s, factor))]),
    }),
    "",
  );
  for (const entry of model.comparisons) {
    out.push(`## ${md(entry.comparison.reference.label)} → ${md(entry.name)}`, "");
    out.push(
      markdownTable({
        head: ["factor", md(entry.comparison.reference.label), md(entry.name), "gap", "95% CI", "marks"],
        rows: orderedComparisonFactors(entry.comparison).map((f) => {
          const marks = comparisonMarks(f);
          const text = [marks.signDiffers ? "sign differs" : "", marks.gapExcludesZero ? "gap ≠ 0" : ""]
            .filter(Boolean)
            .join("; ");
          return [
            md(f.factor),
            formatScore(f.a),
            formatScore(f.b),
            formatScore(f.gap),
            formatInterval(f.ci95),
            text,
          ];
        }),
        right: [false, true, true, true, true, false],
      }),
      "",
    );
  }
  const judges = judgesOf(model);
  if (judges.length > 0) {
    out.push("## Judge diagnostics", "");
    out.push(
      "Accuracy against humans (ties left out), Cohen's kappa and position consistency, with 95% clustered-bootstrap intervals where profile.json has them.",
      "",
      markdownTable({
        head: [
          "judge",
          "model",
          "accuracy [95% CI]",
          "kappa [95% CI]",
          "position consistency [95% CI]",
          "tie rate",
        ],
        rows: judges.map((s) => {
          const m = judgeMetrics(s);
          return [
            md(s.label),
            md(s.model ?? "—"),
            formatMetric(m.accuracy),
            formatMetric(m.kappa),
            formatMetric(m.positionConsistency),
            formatMetric(m.tieRate),
          ];
        }),
        right: [false, false, true, true, true, true],
      }),
      "",
    );
    const baselines = baselineRows(model);
    if (baselines.length > 0) {
      out.push(
        `### ${baselineTitle}`,
        "",
        md(baselineCaption),
        "",
        markdownTable({
          head: [
            "judge",
            "factor",
            "factor's accuracy alone",
            "coverage",
            "judge − factor",
            "95% CI",
            "pairs",
            "verdict",
          ],
          rows: baselines.map((r) => [
            md(r.judge),
            md(r.factor),
            r.accuracy,
            r.coverage,
            r.difference,
            r.interval,
            r.pairs,
            r.verdict,
          ]),
          right: [false, false, true, true, true, true, true, false],
        }),
        "",
      );
    }
    const cautions = judgeCautions(model);
    for (const caution of cautions) out.push(`- **Note (${md(caution.judge)}):** ${md(caution.text)}`);
    if (cautions.length > 0) out.push("");
  }
  out.push("## Counts", "");
  out.push(
    markdownTable({
      head: ["source", "factor", "C", "D", "factor ties", "preference ties", "missing", "pairs", "groups"],
      rows: model.sources.flatMap((s) =>
        model.factors.flatMap((factor) => {
          const f = s.profile.factors.find((x) => x.factor === factor);
          return f === undefined
            ? []
            : [
                [
                  md(s.label),
                  md(factor),
                  formatCount(f.concordant),
                  formatCount(f.discordant),
                  formatCount(f.factorTies),
                  formatCount(f.preferenceTies),
                  formatCount(f.missing),
                  formatCount(s.profile.pairs),
                  formatCount(s.profile.groups),
                ],
              ];
        }),
      ),
      right: [false, false, true, true, true, true, true, true, true],
    }),
    "",
  );
  for (const note of model.notes.filter((n) => n.factor !== undefined))
    out.push(`- **Note (${md(note.source)}):** ${md(note.text)}.`);
  if (model.notes.some((n) => n.factor !== undefined)) out.push("");
  out.push("## Provenance", "");
  for (const entry of provenanceOf(model)) {
    out.push(
      `- **${md(entry.what)}** (${md(entry.folder)}): ${entry.facts.map(([label, value]) => `${md(label)}: ${md(value)}`).join("; ")}`,
    );
    const total = entry.usage.find((u) => u.model === "total");
    if (total !== undefined)
      out.push(
        `  - usage: ${total.calls} calls, ${total.requests} requests, ${total.cacheHits} cache hits, ${total.inputTokens} input and ${total.outputTokens} output tokens, ${md(total.cost)}`,
      );
  }
  out.push("");
  return out.join("\n");
}
