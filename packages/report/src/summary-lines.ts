import { excludesZero } from "./figures.js";
import { formatCount, formatWithInterval, formatPercent, formatScore } from "./number-format.js";
import type { ReportComparison, ReportGap, ReportModel, ReportSource } from "./report-model.js";

/** What the report's numbers say, as sentences of fact (no claim beyond the figures). */
export interface SummaryLine {
  readonly topic: string;
  readonly text: string;
}

const signed = (value: number) => (value > 0 ? `+${formatScore(value)}` : formatScore(value));

function sourceLine(source: ReportSource): SummaryLine {
  const clear = source.profile.factors
    .filter((f) => f.tau !== null && excludesZero(f.ci95))
    .sort((x, y) => Math.abs(y.tau!) - Math.abs(x.tau!));
  const { pairs, groups } = source.profile;
  const counts = `${formatCount(pairs)} pairs in ${formatCount(groups)} groups`;
  const text =
    clear.length === 0
      ? `${counts}; no factor's 95% interval excludes 0.`
      : `${counts}; factors whose 95% interval excludes 0: ${clear.map((f) => `${f.factor} ${formatWithInterval(f.tau, f.ci95)}`).join(", ")}.`;
  return { topic: source.label, text };
}

function comparisonLine(entry: ReportComparison): SummaryLine {
  const c = entry.comparison;
  const clear = c.factors
    .filter((f) => excludesZero(f.ci95))
    .sort((x, y) => Math.abs(y.gap) - Math.abs(x.gap));
  const gaps =
    clear.length === 0
      ? "no factor's gap has an interval that excludes 0"
      : `gaps whose interval excludes 0: ${clear.map((f) => `${f.factor} ${signed(f.gap)} (${f.gap > 0 ? "weighs more" : "weighs less"})`).join(", ")}`;
  const agreement = c.signAgreement === null ? "" : `; sign agreement ${formatPercent(c.signAgreement)}`;
  const overlap = c.top3Overlap === undefined ? "" : `; top-3 overlap ${c.top3Overlap} of 3`;
  return {
    topic: `${c.reference.label} → ${entry.name}`,
    text: `Kendall tau_b ${formatWithInterval(c.kendallTauB.value, c.kendallTauB.ci95)}, Spearman ${formatWithInterval(c.spearman.value, c.spearman.ci95)}${agreement}${overlap}; ${gaps}.`,
  };
}

function gapLine(entry: ReportGap): SummaryLine {
  const { gap } = entry;
  const d = gap.tauBDifference;
  const reading =
    d.value === null
      ? "the difference is undefined"
      : d.ci95 === null
        ? `difference ${formatScore(d.value)} (no interval)`
        : `difference ${formatWithInterval(d.value, d.ci95)}, an interval that ${excludesZero(d.ci95) ? "excludes" : "includes"} 0`;
  return {
    topic: `generation–evaluation gap${gap.model === undefined ? "" : ` of ${gap.model}`}`,
    text: `tau_b with the human profile ${formatScore(gap.evaluationTauB)} as a judge (${gap.evaluation}), ${formatScore(gap.generationTauB)} as a writer (${gap.generation}); ${reading}.`,
  };
}

/** One line per source, comparison, gap and improvement. */
export function summaryLines(model: ReportModel): SummaryLine[] {
  const lines = [
    ...model.sources.map(sourceLine),
    ...model.comparisons.map(comparisonLine),
    ...model.gaps.map(gapLine),
  ];
  for (const { improvement } of model.improvements) {
    const d = improvement.delta.kendallTauB;
    lines.push({
      topic: `improvement: ${improvement.method}`,
      text: `tau_b with the human profile ${formatWithInterval(improvement.before.kendallTauB.value, improvement.before.kendallTauB.ci95)} before, ${formatWithInterval(improvement.after.kendallTauB.value, improvement.after.kendallTauB.ci95)} after; paired change ${formatWithInterval(d.value, d.ci95)}.`,
    });
  }
  return lines;
}
