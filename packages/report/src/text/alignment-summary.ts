import type { FactorShift, Resampling } from "@profilekit/core";
import type { AlignmentFile, Comparison, GapEntry } from "@profilekit/runner";
import { plainTable } from "./tables.js";

const signed = (x: number, digits = 3): string => `${x >= 0 ? "+" : "-"}${Math.abs(x).toFixed(digits)}`;
const interval = (ci: readonly [number, number] | null, digits = 3): string =>
  ci === null ? "—" : `[${signed(ci[0], digits)}, ${signed(ci[1], digits)}]`;
const plain = (x: number | null): string => (x === null ? "—" : x.toFixed(4));

/** "judge weighs length more than human (+0.311, 95% CI [+0.200, +0.420])", one line per factor. */
function shiftSentences(comparison: Comparison): string[] {
  const a = comparison.reference.label;
  const b = comparison.compared.label;
  const sentence = (shift: FactorShift, direction: "more" | "less") => {
    const ci =
      shift.ci95 === null
        ? "no interval"
        : `95% CI ${interval(shift.ci95)}${shift.ciExcludesZero ? "" : ", which includes 0"}`;
    return `${b} weighs ${shift.factor} ${direction} than ${a} (${signed(shift.gap)}, ${ci})`;
  };
  return [
    ...comparison.weighsMore.map((shift) => sentence(shift, "more")),
    ...comparison.weighsLess.map((shift) => sentence(shift, "less")),
  ];
}

/** One comparison: a factor table (reference tau, other tau, gap, CI), the correlations, and sentences. */
function renderComparison(comparison: Comparison): string {
  const a = comparison.reference.label;
  const b = comparison.compared.label;
  const rows = comparison.factors.map((f) => {
    const clear = f.ci95 !== null && (f.ci95[0] > 0 || f.ci95[1] < 0);
    return [f.factor, plain(f.a), plain(f.b), signed(f.gap, 4), interval(f.ci95), clear ? "*" : ""];
  });
  const correlation = (name: string, c: Comparison["kendallTauB"]) =>
    `${name}${plain(c.value)}${c.ci95 === null ? "" : `  95% CI ${interval(c.ci95)}`}`;
  const common = comparison.factors.length;
  const lines = [
    `${b} against ${a} (${comparison.reference.variant}; ${a}: ${comparison.reference.file}, ${b}: ${comparison.compared.file})`,
    "",
    ...plainTable({ head: ["factor", `${a} tau`, `${b} tau`, "gap", "95% CI of gap", ""], rows }),
    "",
    correlation("Kendall tau_b   ", comparison.kendallTauB),
    correlation("Spearman        ", comparison.spearman),
    `top-3 overlap   ${comparison.top3Overlap} of ${Math.min(3, common)}`,
    `sign agreement  ${comparison.signAgreement === null ? "—" : `${Math.round(comparison.signAgreement * common)} of ${common} factors`}`,
  ];
  if (comparison.unscoredFactors.length > 0) {
    lines.push(`not compared (no score on one side): ${comparison.unscoredFactors.join(", ")}`);
  }
  const sentences = shiftSentences(comparison);
  if (sentences.length > 0) lines.push("", ...sentences);
  if (rows.some((row) => row[5] === "*")) lines.push("", "* the gap's 95% interval excludes 0");
  return lines.join("\n");
}

function renderGap(gap: GapEntry): string {
  const who = gap.model ?? "the model";
  const d = gap.tauBDifference;
  const reading =
    d.value === null
      ? "undefined (a tau_b is undefined)"
      : `${signed(d.value)}${d.ci95 === null ? "" : ` (95% CI ${interval(d.ci95)})`}: ${who} ${d.value > 0 ? "judges more like the reference than it writes" : d.value < 0 ? "writes more like the reference than it judges" : "judges and writes equally like the reference"}`;
  return [
    `generation–evaluation gap of ${who}: tau_b ${plain(gap.evaluationTauB)} as a judge (${gap.evaluation}), ${plain(gap.generationTauB)} as a writer (${gap.generation})`,
    `  difference ${reading}`,
  ].join("\n");
}

/** How a comparison's intervals were drawn, in words. */
function intervalMethod(resampling: Resampling | undefined): string {
  switch (resampling?.method) {
    case undefined:
      return "parametric bootstrap from each factor's interval (no cluster sidecars: the profiles are taken as independent), gap CI gap ± 1.96·√(seA² + seB²)";
    case "paired-cluster-bootstrap":
      return `paired cluster bootstrap (${resampling.sharedClusters} shared clusters drawn once per replicate)`;
    case "independent-cluster-bootstrap":
      return "independent cluster bootstrap (no cluster shared: each profile resampled on its own)";
    case "partly-paired-cluster-bootstrap":
      return `partly paired cluster bootstrap (${resampling.sharedClusters} clusters shared by every profile)`;
  }
}

function intervalMethods(file: AlignmentFile): string[] {
  const resamplings = [...file.comparisons, ...file.generationEvaluationGaps].map((c) => c.resampling);
  return [...new Set(resamplings.map(intervalMethod))];
}

/** The whole alignment as text: every comparison, then every generation-evaluation gap. */
export function renderAlignment(file: AlignmentFile): string {
  const parts = file.comparisons.map(renderComparison);
  for (const gap of file.generationEvaluationGaps) parts.push(renderGap(gap));
  const note =
    file.replicates > 0
      ? `intervals: ${intervalMethods(file).join("; ")}; ${file.replicates} replicates, seed ${file.seed}`
      : "no intervals (--replicates 0)";
  const warnings = [
    ...new Set([...file.comparisons, ...file.generationEvaluationGaps].flatMap((c) => c.warnings ?? [])),
  ].map((warning) => `warning: ${warning}`);
  return [parts.join("\n\n"), "", note, ...warnings].join("\n");
}
