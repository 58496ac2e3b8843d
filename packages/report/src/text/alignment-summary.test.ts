import { AlignmentFileSchema } from "@profilekit/runner";
import { describe, expect, it } from "vitest";
import { renderAlignment } from "./alignment-summary.js";

const sp = (n: number) => " ".repeat(n);

const comparison = {
  kendallTauB: { value: -1, ci95: [-1, 0.5] },
  spearman: { value: -1, ci95: null },
  factors: [
    { factor: "len", a: 0.6, b: 0.2, gap: -0.4, ci95: [-0.7, -0.1] },
    { factor: "nov", a: -0.25, b: 0.1, gap: 0.35, ci95: null },
  ],
  top3Overlap: 2,
  signAgreement: 0.5,
  weighsMore: [{ factor: "nov", gap: 0.35, ci95: null, ciExcludesZero: false }],
  weighsLess: [{ factor: "len", gap: -0.4, ci95: [-0.7, -0.1], ciExcludesZero: true }],
  reference: { label: "human", file: "human/profile.json", role: "human", variant: "tau14", pairs: 6 },
  compared: {
    label: "judge",
    file: "judge/profile.json",
    role: "evaluation",
    model: "openai:m",
    variant: "tau14",
    pairs: 6,
  },
  unscoredFactors: ["x"],
};
const gap = {
  model: "openai:m",
  evaluation: "judge",
  generation: "writer",
  evaluationTauB: 0.5,
  generationTauB: -0.25,
  tauBDifference: { value: 0.75, ci95: [0.1, 1.2] },
};
const alignmentOf = (replicates: number) =>
  AlignmentFileSchema.parse({
    schemaVersion: 1,
    replicates,
    seed: 1,
    ...comparison,
    comparisons: [comparison],
    generationEvaluationGaps: [gap],
  });

describe("renderAlignment", () => {
  it("writes each comparison's gap table, correlations and sentences, then each model's gap, then how the intervals were made", () => {
    // Column widths: 6, 9 (human tau), 9 (judge tau), 7 (-0.4000), 16 ([-0.700, -0.100]), 1 (*).
    expect(renderAlignment(alignmentOf(2000)).split("\n")).toEqual([
      "judge against human (tau14; human: human/profile.json, judge: judge/profile.json)",
      "",
      `factor  human tau  judge tau${sp(6)}gap${sp(5)}95% CI of gap`,
      `len${sp(8)}0.6000${sp(5)}0.2000  -0.4000  [-0.700, -0.100]  *`,
      `nov${sp(7)}-0.2500${sp(5)}0.1000  +0.3500${sp(17)}—`,
      "",
      "Kendall tau_b   -1.0000  95% CI [-1.000, +0.500]",
      "Spearman        -1.0000",
      "top-3 overlap   2 of 2",
      "sign agreement  1 of 2 factors",
      "not compared (no score on one side): x",
      "",
      "judge weighs nov more than human (+0.350, no interval)",
      "judge weighs len less than human (-0.400, 95% CI [-0.700, -0.100])",
      "",
      "* the gap's 95% interval excludes 0",
      "",
      "generation–evaluation gap of openai:m: tau_b 0.5000 as a judge (judge), -0.2500 as a writer (writer)",
      "  difference +0.750 (95% CI [+0.100, +1.200]): openai:m judges more like the reference than it writes",
      "",
      "intervals: parametric bootstrap from each factor's interval (no cluster sidecars: the profiles are taken as independent), gap CI gap ± 1.96·√(seA² + seB²); 2000 replicates, seed 1",
    ]);
  });

  it("says when there are no correlation intervals", () => {
    expect(renderAlignment(alignmentOf(0)).split("\n").at(-1)).toBe("no intervals (--replicates 0)");
  });

  it("names a paired cluster bootstrap and its shared clusters, and repeats each warning once", () => {
    const resampling = {
      method: "paired-cluster-bootstrap",
      replicates: 500,
      seed: 3,
      clusters: [40, 40],
      sharedClusters: 40,
      interval: "percentile-containing-estimate",
    };
    const warnings = ["only 40 clusters: intervals are rough"];
    const paired = { ...comparison, resampling, warnings };
    const file = AlignmentFileSchema.parse({
      schemaVersion: 1,
      replicates: 500,
      seed: 3,
      ...paired,
      comparisons: [paired],
      generationEvaluationGaps: [{ ...gap, resampling, warnings }],
    });
    expect(renderAlignment(file).split("\n").slice(-2)).toEqual([
      "intervals: paired cluster bootstrap (40 shared clusters drawn once per replicate); 500 replicates, seed 3",
      "warning: only 40 clusters: intervals are rough",
    ]);
  });
});
