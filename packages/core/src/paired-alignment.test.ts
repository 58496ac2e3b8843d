import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupHash, ProfileAccumulator } from "./accumulator.js";
import { AlignmentSchema, GenerationEvaluationGapSchema } from "./alignment.js";
import { type GroupCounts, groupCountsOf } from "./group-counts.js";
import { AlignmentChangeSchema } from "@profilekit/spec";
import {
  alignGroupCounts,
  alignmentChangeOfGroupCounts,
  generationEvaluationGapOfGroupCounts,
} from "./paired-alignment.js";
import { createRandom } from "./random.js";

const FACTORS = ["length", "fluency", "coherence", "hallucination", "novelty"];

/** A pair as the test keeps it: its cluster key, label and one sign per factor. */
interface Row {
  key: string;
  label: Label;
  signs: Sign[];
}

/**
 * `groups` clusters of 3..8 pairs; factor f agrees with the label with probability 0.5 + w_f
 * (w = 0.3, 0.15, 0.05, -0.2, 0), and clusters share an effect, so the factors are correlated
 * within a profile. Keys are `<prefix>:<g>` (prefix "input" by default).
 */
function rows(seed: number, groups: number, options: { prefix?: string } = {}): Row[] {
  const random = createRandom(seed, "paired-alignment");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const weights = [0.3, 0.15, 0.05, -0.2, 0];
  const out: Row[] = [];
  for (let g = 0; g < groups; g++) {
    const shift = (uniform() - 0.5) * 0.3;
    const size = 3 + random.nextInt(6);
    for (let i = 0; i < size; i++) {
      const label: Label = uniform() < 0.1 ? "tie" : uniform() < 0.5 ? "a" : "b";
      const p = label === "a" ? 1 : label === "b" ? -1 : 0;
      const signs = weights.map((w): Sign => {
        if (uniform() < 0.05) return null;
        if (uniform() < 0.1) return 0;
        if (p === 0) return uniform() < 0.5 ? 1 : -1;
        return (uniform() < 0.5 + w + shift ? p : -p) as Sign;
      });
      out.push({ key: `${options.prefix ?? "input"}:${g}`, label, signs });
    }
  }
  return out;
}

/** The same pairs with some labels replaced, as another labeller of them. */
function relabel(source: readonly Row[], seed: number, flip: number): Row[] {
  const random = createRandom(seed, "relabel");
  return source.map((row) => {
    if (random.nextUint32() / 2 ** 32 >= flip) return row;
    const label = (["a", "b", "tie"] as const)[random.nextInt(3)]!;
    return { ...row, label };
  });
}

function countsOf(data: readonly Row[]): GroupCounts {
  const accumulator = new ProfileAccumulator(FACTORS);
  for (const row of data) accumulator.add(row.label, row.key, row.signs);
  return groupCountsOf(accumulator, { clusterLevel: "source+prompt" });
}

// ---- The reference: a paired cluster bootstrap written from the documentation, on pairs ----

/** tau14 per factor over pairs weighted by their cluster's draw count; NaN when undefined. */
function weightedTau14(data: readonly Row[], weightOf: (key: string) => number): number[] {
  return FACTORS.map((_, f) => {
    let numerator = 0;
    let denominator = 0;
    for (const row of data) {
      const m = row.signs[f];
      const p = row.label === "a" ? 1 : row.label === "b" ? -1 : 0;
      if (m === null || m === undefined || p === 0) continue;
      const w = weightOf(row.key);
      numerator += w * p * m;
      denominator += w;
    }
    return denominator === 0 ? Number.NaN : numerator / denominator;
  });
}

/** Kendall's tau_b over two vectors, from its definition. */
function tauB(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign(x[i]! - x[j]!);
      const b = Math.sign(y[i]! - y[j]!);
      s += a * b;
      nx += a * a;
      ny += b * b;
    }
  }
  return nx === 0 || ny === 0 ? Number.NaN : s / Math.sqrt(nx * ny);
}

/** Type-7 percentiles of the finite values, widened to the estimate. */
function interval(values: readonly number[], estimate: number): [number, number] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  const at = (q: number) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
  };
  return [Math.min(at(0.025), estimate), Math.max(at(0.975), estimate)];
}

/** Replicate r draws U clusters of the union (sorted by hash) with createRandom(seed, "alignment/<r>/0"). */
function referencePaired(a: readonly Row[], b: readonly Row[], replicates: number, seed: number) {
  const union = [...new Set([...a, ...b].map((row) => groupHash(row.key)))].sort((x, y) => x - y);
  const estimateA = weightedTau14(a, () => 1);
  const estimateB = weightedTau14(b, () => 1);
  const taus: number[] = [];
  const gaps = FACTORS.map((): number[] => []);
  for (let r = 0; r < replicates; r++) {
    const random = createRandom(seed, `alignment/${r}/0`);
    const drawn = new Map<number, number>();
    for (let i = 0; i < union.length; i++) {
      const key = union[random.nextInt(union.length)]!;
      drawn.set(key, (drawn.get(key) ?? 0) + 1);
    }
    const weightOf = (key: string) => drawn.get(groupHash(key)) ?? 0;
    const x = weightedTau14(a, weightOf);
    const y = weightedTau14(b, weightOf);
    taus.push(x.some(Number.isNaN) || y.some(Number.isNaN) ? Number.NaN : tauB(x, y));
    FACTORS.forEach((_, f) => {
      gaps[f]!.push(y[f]! - x[f]!);
    });
  }
  const tau = tauB(estimateA, estimateB);
  return {
    tau,
    tauInterval: interval(taus, tau),
    gapIntervals: FACTORS.map((_, f) => interval(gaps[f]!, estimateB[f]! - estimateA[f]!)),
  };
}

describe("alignGroupCounts: paired cluster bootstrap", () => {
  const human = rows(1, 60);
  const judge = relabel(human, 2, 0.35);

  it("matches a paired bootstrap of the pairs written independently in the test", () => {
    const alignment = alignGroupCounts(countsOf(human), countsOf(judge), { replicates: 400, seed: 9 });
    const reference = referencePaired(human, judge, 400, 9);
    expect(AlignmentSchema.parse(alignment)).toEqual(alignment);
    expect(alignment.resampling).toMatchObject({
      method: "paired-cluster-bootstrap",
      replicates: 400,
      clusters: [60, 60],
      sharedClusters: 60,
    });
    expect(alignment.kendallTauB.value).toBeCloseTo(reference.tau, 12);
    expect(alignment.kendallTauB.ci95![0]).toBeCloseTo(reference.tauInterval[0], 12);
    expect(alignment.kendallTauB.ci95![1]).toBeCloseTo(reference.tauInterval[1], 12);
    alignment.factors.forEach((factor, f) => {
      expect(factor.factor).toBe(FACTORS[f]);
      expect(factor.ci95![0]).toBeCloseTo(reference.gapIntervals[f]![0], 12);
      expect(factor.ci95![1]).toBeCloseTo(reference.gapIntervals[f]![1], 12);
    });
  });

  it("gives identical profiles tau_b and rho [1, 1] and every gap [0, 0], exactly", () => {
    const counts = countsOf(human);
    const alignment = alignGroupCounts(counts, counts, { replicates: 300, seed: 1 });
    expect(alignment.kendallTauB).toEqual({ value: 1, ci95: [1, 1] });
    expect(alignment.spearman).toEqual({ value: 1, ci95: [1, 1] });
    expect(alignment.factors.map((factor) => factor.ci95)).toEqual(FACTORS.map(() => [0, 0]));
    expect(alignment.signAgreementCi95).toEqual([1, 1]);
    expect(alignment.top3OverlapShares).toEqual([0, 0, 0, 1]);
    expect(alignment.warnings).toEqual([]);
  });

  it("pairs a generation profile on the same inputs, and says when only some clusters are shared", () => {
    const generation = rows(3, 40); // inputs 0..39 of the human profile's 60, other pairs
    const alignment = alignGroupCounts(countsOf(human), countsOf(generation), { replicates: 200 });
    expect(alignment.resampling).toMatchObject({
      method: "paired-cluster-bootstrap",
      clusters: [60, 40],
      sharedClusters: 40,
    });
    expect(alignment.warnings!.join(" ")).toMatch(/share 40 of their clusters \(60 and 40\)/);
  });

  it("resamples each profile on its own when they share no cluster, and warns that the data differ", () => {
    const other = rows(4, 50, { prefix: "elsewhere" });
    const alignment = alignGroupCounts(countsOf(human), countsOf(other), { replicates: 200, seed: 2 });
    expect(alignment.resampling).toMatchObject({
      method: "independent-cluster-bootstrap",
      sharedClusters: 0,
    });
    expect(alignment.warnings!.join(" ")).toMatch(/share no cluster: they come from different data/);
    const [lo, hi] = alignment.kendallTauB.ci95!;
    expect(lo).toBeLessThanOrEqual(alignment.kendallTauB.value!);
    expect(hi).toBeGreaterThanOrEqual(alignment.kendallTauB.value!);
  });

  it("pairing narrows the gap intervals of two labellings of the same pairs", () => {
    // The independent bootstrap ignores that both profiles move with the same draws.
    const paired = alignGroupCounts(countsOf(human), countsOf(judge), { replicates: 400, seed: 5 });
    const renamed = judge.map((row) => ({ ...row, key: `copy-of-${row.key}` }));
    const independent = alignGroupCounts(countsOf(human), countsOf(renamed), { replicates: 400, seed: 5 });
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    let narrower = 0;
    paired.factors.forEach((factor, f) => {
      if (width(factor.ci95) < width(independent.factors[f]!.ci95)) narrower++;
    });
    expect(narrower).toBe(FACTORS.length);
  });

  it("warns when the profiles record different cluster levels", () => {
    const other = { ...countsOf(judge), clusterLevel: "prompt" };
    const alignment = alignGroupCounts(countsOf(human), other, { replicates: 50 });
    expect(alignment.warnings!.join(" ")).toMatch(
      /different cluster levels \(source\+prompt, prompt\): they are paired only where their cluster keys happen to match/,
    );
  });

  it("has no interval below 6 clusters, and says why", () => {
    const tiny = rows(5, 4);
    const alignment = alignGroupCounts(countsOf(tiny), countsOf(relabel(tiny, 1, 0.3)), { replicates: 100 });
    expect(alignment.kendallTauB.ci95).toBeNull();
    expect(alignment.factors.every((factor) => factor.ci95 === null)).toBe(true);
    expect(alignment.warnings!.join(" ")).toMatch(/Only 4 clusters to resample: below 6/);
  });
});

/** The same group counts with the groups in another order. */
function reorder(counts: GroupCounts, order: readonly number[]): GroupCounts {
  const width = counts.factors.length * 5;
  return {
    ...counts,
    keys: order.map((g) => counts.keys[g]!),
    counts: order.flatMap((g) => counts.counts.slice(g * width, (g + 1) * width)),
  };
}

describe("alignGroupCounts: properties", () => {
  const dataArbitrary = fc.record({
    seed: fc.nat({ max: 10_000 }),
    groups: fc.integer({ min: 6, max: 25 }),
    flip: fc.double({ min: 0, max: 1, noNaN: true }),
    replicates: fc.integer({ min: 1, max: 60 }),
  });

  it("every interval contains its estimate", () => {
    fc.assert(
      fc.property(dataArbitrary, ({ seed, groups, flip, replicates }) => {
        const human = rows(seed, groups);
        const alignment = alignGroupCounts(countsOf(human), countsOf(relabel(human, seed, flip)), {
          replicates,
          seed,
        });
        const inside = (value: number | null, ci: [number, number] | null | undefined) => {
          if (value === null || ci === null || ci === undefined) return;
          expect(ci[0]).toBeLessThanOrEqual(value);
          expect(ci[1]).toBeGreaterThanOrEqual(value);
        };
        inside(alignment.kendallTauB.value, alignment.kendallTauB.ci95);
        inside(alignment.spearman.value, alignment.spearman.ci95);
        inside(alignment.signAgreement, alignment.signAgreementCi95);
        for (const factor of alignment.factors) inside(factor.gap, factor.ci95);
      }),
      { numRuns: 60 },
    );
  });

  it("swapping the profiles keeps tau_b and its interval and mirrors every gap", () => {
    fc.assert(
      fc.property(dataArbitrary, ({ seed, groups, flip, replicates }) => {
        const human = countsOf(rows(seed, groups));
        const other = countsOf(relabel(rows(seed, groups), seed + 1, flip));
        const forward = alignGroupCounts(human, other, { replicates, seed });
        const backward = alignGroupCounts(other, human, { replicates, seed });
        expect(backward.kendallTauB).toEqual(forward.kendallTauB);
        forward.factors.forEach((factor, f) => {
          const mirrored = backward.factors[f]!;
          expect(mirrored.gap).toBeCloseTo(-factor.gap, 12);
          if (factor.ci95 === null) return;
          expect(mirrored.ci95![0]).toBeCloseTo(-factor.ci95[1], 12);
          expect(mirrored.ci95![1]).toBeCloseTo(-factor.ci95[0], 12);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("does not depend on the order of the groups", () => {
    fc.assert(
      fc.property(dataArbitrary, fc.nat(), ({ seed, groups, flip, replicates }, shuffle) => {
        const human = countsOf(rows(seed, groups));
        const other = countsOf(relabel(rows(seed, groups), seed, flip));
        const order = human.keys
          .map((_, g) => g)
          .sort((x, y) => ((x * 7919 + shuffle) % 101) - ((y * 7919 + shuffle) % 101));
        expect(alignGroupCounts(reorder(human, order), other, { replicates, seed })).toEqual(
          alignGroupCounts(human, other, { replicates, seed }),
        );
      }),
      { numRuns: 40 },
    );
  });
});

describe("generationEvaluationGapOfGroupCounts", () => {
  const human = rows(11, 50);
  const evaluation = relabel(human, 12, 0.3);
  const generation = rows(13, 50); // the same 50 inputs, other pairs and labels

  it("draws the three profiles together and reports both alignments on those draws", () => {
    const gap = generationEvaluationGapOfGroupCounts(
      { human: countsOf(human), evaluation: countsOf(evaluation), generation: countsOf(generation) },
      { replicates: 300, seed: 4 },
    );
    expect(GenerationEvaluationGapSchema.parse(gap)).toEqual(gap);
    expect(gap.resampling).toMatchObject({ method: "paired-cluster-bootstrap", clusters: [50, 50, 50] });
    expect(gap.evaluation).toEqual(
      alignGroupCounts(countsOf(human), countsOf(evaluation), { replicates: 300, seed: 4 }),
    );
    const { value, ci95 } = gap.tauBDifference;
    expect(value).toBeCloseTo(gap.evaluation.kendallTauB.value! - gap.generation.kendallTauB.value!, 15);
    expect(ci95![0]).toBeLessThanOrEqual(value!);
    expect(ci95![1]).toBeGreaterThanOrEqual(value!);
  });

  it("is exactly [0, 0] when the evaluation and generation profiles are the same", () => {
    const gap = generationEvaluationGapOfGroupCounts(
      { human: countsOf(human), evaluation: countsOf(evaluation), generation: countsOf(evaluation) },
      { replicates: 200 },
    );
    expect(gap.tauBDifference).toEqual({ value: 0, ci95: [0, 0] });
  });

  it("says which profiles were drawn on their own when a generation profile shares no cluster", () => {
    const unkeyed = rows(14, 30, { prefix: "generated" });
    const gap = generationEvaluationGapOfGroupCounts(
      { human: countsOf(human), evaluation: countsOf(evaluation), generation: countsOf(unkeyed) },
      { replicates: 100 },
    );
    expect(gap.resampling!.method).toBe("partly-paired-cluster-bootstrap");
    expect(gap.evaluation.resampling!.method).toBe("paired-cluster-bootstrap");
    expect(gap.generation.resampling!.method).toBe("independent-cluster-bootstrap");
  });
});

/** Spearman's rho from its definition: Pearson's r of the average ranks. */
function spearman(x: readonly number[], y: readonly number[]): number {
  const ranks = (v: readonly number[]) =>
    v.map((value) => {
      const below = v.filter((other) => other < value).length;
      const same = v.filter((other) => other === value).length;
      return below + (same + 1) / 2;
    });
  const [rx, ry] = [ranks(x), ranks(y)];
  const mean = (v: readonly number[]) => v.reduce((sum, value) => sum + value, 0) / v.length;
  const [mx, my] = [mean(rx), mean(ry)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * The paired before/after comparison written from the documentation, on the pairs: replicate r
 * draws U clusters of the union of the three profiles' keys (sorted by hash) with
 * createRandom(seed, "alignment/<r>/0"), recomputes the three tau14 vectors from the weighted
 * pairs, and takes tau_b, rho, their differences and each factor's shift and distance change.
 */
function referenceChange(
  human: readonly Row[],
  before: readonly Row[],
  after: readonly Row[],
  replicates: number,
  seed: number,
) {
  const union = [...new Set([...human, ...before, ...after].map((row) => groupHash(row.key)))].sort(
    (x, y) => x - y,
  );
  const figures = (weightOf: (key: string) => number) => {
    const [h, b, a] = [human, before, after].map((rows) => weightedTau14(rows, weightOf)) as [
      number[],
      number[],
      number[],
    ];
    const valid = ![...h, ...b, ...a].some(Number.isNaN);
    return {
      tauDelta: valid ? tauB(h, a) - tauB(h, b) : Number.NaN,
      rhoDelta: valid ? spearman(h, a) - spearman(h, b) : Number.NaN,
      tauBefore: valid ? tauB(h, b) : Number.NaN,
      shifts: FACTORS.map((_, f) => a[f]! - b[f]!),
      distances: FACTORS.map((_, f) => Math.abs(a[f]! - h[f]!) - Math.abs(b[f]! - h[f]!)),
    };
  };
  const estimate = figures(() => 1);
  const drawn = Array.from({ length: replicates }, (_, r) => {
    const random = createRandom(seed, `alignment/${r}/0`);
    const weights = new Map<number, number>();
    for (let i = 0; i < union.length; i++) {
      const key = union[random.nextInt(union.length)]!;
      weights.set(key, (weights.get(key) ?? 0) + 1);
    }
    return figures((key) => weights.get(groupHash(key)) ?? 0);
  });
  return {
    estimate,
    tauDelta: interval(
      drawn.map((d) => d.tauDelta),
      estimate.tauDelta,
    ),
    rhoDelta: interval(
      drawn.map((d) => d.rhoDelta),
      estimate.rhoDelta,
    ),
    tauBefore: interval(
      drawn.map((d) => d.tauBefore),
      estimate.tauBefore,
    ),
    shifts: FACTORS.map((_, f) =>
      interval(
        drawn.map((d) => d.shifts[f]!),
        estimate.shifts[f]!,
      ),
    ),
    distances: FACTORS.map((_, f) =>
      interval(
        drawn.map((d) => d.distances[f]!),
        estimate.distances[f]!,
      ),
    ),
  };
}

describe("alignmentChangeOfGroupCounts: the paired before/after comparison", () => {
  const human = rows(21, 40);
  const before = relabel(human, 22, 0.6); // a poorly aligned labelling of the same inputs
  const after = relabel(before, 23, 0.3); // the same responses, some labels changed

  it("matches a paired bootstrap of the pairs written independently in the test", () => {
    const change = alignmentChangeOfGroupCounts(
      { human: countsOf(human), before: countsOf(before), after: countsOf(after) },
      { replicates: 300, seed: 7 },
    );
    expect(AlignmentChangeSchema.parse(change)).toEqual(change);
    const reference = referenceChange(human, before, after, 300, 7);
    expect(change.factorsCompared).toEqual(FACTORS);
    expect(change.resampling).toMatchObject({
      method: "paired-cluster-bootstrap",
      replicates: 300,
      clusters: [40, 40, 40],
      sharedClusters: 40,
    });
    expect(change.delta.kendallTauB.value).toBeCloseTo(reference.estimate.tauDelta, 12);
    expect(change.delta.kendallTauB.ci95![0]).toBeCloseTo(reference.tauDelta[0], 12);
    expect(change.delta.kendallTauB.ci95![1]).toBeCloseTo(reference.tauDelta[1], 12);
    expect(change.delta.spearman.ci95![0]).toBeCloseTo(reference.rhoDelta[0], 12);
    expect(change.delta.spearman.ci95![1]).toBeCloseTo(reference.rhoDelta[1], 12);
    expect(change.before.kendallTauB.ci95![0]).toBeCloseTo(reference.tauBefore[0], 12);
    expect(change.before.kendallTauB.ci95![1]).toBeCloseTo(reference.tauBefore[1], 12);
    change.factors.forEach((factor, f) => {
      expect(factor.factor).toBe(FACTORS[f]);
      expect(factor.shift.value).toBeCloseTo(reference.estimate.shifts[f]!, 12);
      expect(factor.shift.ci95![0]).toBeCloseTo(reference.shifts[f]![0], 12);
      expect(factor.shift.ci95![1]).toBeCloseTo(reference.shifts[f]![1], 12);
      expect(factor.distanceChange.ci95![0]).toBeCloseTo(reference.distances[f]![0], 12);
      expect(factor.distanceChange.ci95![1]).toBeCloseTo(reference.distances[f]![1], 12);
    });
    // The alignments themselves are alignGroupCounts' on the same draws.
    const alone = alignGroupCounts(countsOf(human), countsOf(after), { replicates: 300, seed: 7 });
    expect(change.after.kendallTauB.value).toBe(alone.kendallTauB.value);
  });

  it("is paired: its interval is narrower than that of the same profiles on unrelated inputs", () => {
    const paired = alignmentChangeOfGroupCounts(
      { human: countsOf(human), before: countsOf(before), after: countsOf(after) },
      { replicates: 400, seed: 3 },
    );
    const moved = after.map((row) => ({ ...row, key: `elsewhere-${row.key}` }));
    const unpaired = alignmentChangeOfGroupCounts(
      { human: countsOf(human), before: countsOf(before), after: countsOf(moved) },
      { replicates: 400, seed: 3 },
    );
    expect(unpaired.warnings.join(" ")).toMatch(/Before and after share no cluster/);
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    const narrower = paired.factors.filter(
      (factor, f) => width(factor.shift.ci95) < width(unpaired.factors[f]!.shift.ci95),
    );
    expect(narrower).toHaveLength(FACTORS.length);
  });
});

describe("alignmentChangeOfGroupCounts: properties", () => {
  const arbitrary = fc.record({
    seed: fc.nat({ max: 10_000 }),
    groups: fc.integer({ min: 6, max: 20 }),
    flipBefore: fc.double({ min: 0, max: 1, noNaN: true }),
    flipAfter: fc.double({ min: 0, max: 1, noNaN: true }),
    replicates: fc.integer({ min: 1, max: 40 }),
  });
  const three = (seed: number, groups: number, flipBefore: number, flipAfter: number) => {
    const human = rows(seed, groups);
    return {
      human: countsOf(human),
      before: countsOf(relabel(human, seed + 1, flipBefore)),
      after: countsOf(relabel(human, seed + 2, flipAfter)),
    };
  };

  it("the delta is after - before, and every interval contains its estimate", () => {
    fc.assert(
      fc.property(arbitrary, ({ seed, groups, flipBefore, flipAfter, replicates }) => {
        const change = alignmentChangeOfGroupCounts(three(seed, groups, flipBefore, flipAfter), {
          replicates,
          seed,
        });
        const { before, after, delta } = change;
        if (before.kendallTauB.value !== null && after.kendallTauB.value !== null) {
          expect(delta.kendallTauB.value).toBeCloseTo(after.kendallTauB.value - before.kendallTauB.value, 14);
        }
        const inside = ({ value, ci95 }: { value: number | null; ci95: [number, number] | null }) => {
          if (value === null || ci95 === null) return;
          expect(ci95[0]).toBeLessThanOrEqual(value);
          expect(ci95[1]).toBeGreaterThanOrEqual(value);
        };
        for (const estimate of [before.kendallTauB, after.spearman, delta.kendallTauB, delta.spearman]) {
          inside(estimate);
        }
        for (const factor of change.factors) {
          inside(factor.shift);
          inside(factor.distanceChange);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("swapping before and after negates every change and mirrors its interval", () => {
    fc.assert(
      fc.property(arbitrary, ({ seed, groups, flipBefore, flipAfter, replicates }) => {
        const { human, before, after } = three(seed, groups, flipBefore, flipAfter);
        const forward = alignmentChangeOfGroupCounts({ human, before, after }, { replicates, seed });
        const backward = alignmentChangeOfGroupCounts(
          { human, before: after, after: before },
          { replicates, seed },
        );
        expect(backward.before).toEqual(forward.after);
        const mirrored = (x: { value: number | null; ci95: [number, number] | null }, y: typeof x) => {
          if (x.value === null) return expect(y.value).toBeNull();
          expect(y.value).toBeCloseTo(-x.value, 12);
          if (x.ci95 === null) return;
          expect(y.ci95![0]).toBeCloseTo(-x.ci95[1], 12);
          expect(y.ci95![1]).toBeCloseTo(-x.ci95[0], 12);
        };
        mirrored(forward.delta.kendallTauB, backward.delta.kendallTauB);
        forward.factors.forEach((factor, f) => {
          mirrored(factor.shift, backward.factors[f]!.shift);
          mirrored(factor.distanceChange, backward.factors[f]!.distanceChange);
        });
      }),
      { numRuns: 40 },
    );
  });

  it("no change is exactly zero: the same profile before and after gives [0, 0] everywhere", () => {
    fc.assert(
      fc.property(arbitrary, ({ seed, groups, flipBefore, replicates }) => {
        const { human, before } = three(seed, groups, flipBefore, 0);
        const change = alignmentChangeOfGroupCounts({ human, before, after: before }, { replicates, seed });
        if (change.before.kendallTauB.value !== null && change.delta.kendallTauB.ci95 !== null) {
          expect(change.delta.kendallTauB).toEqual({ value: 0, ci95: [0, 0] });
        }
        for (const factor of change.factors) {
          expect(factor.shift.value).toBe(0);
          if (factor.shift.ci95 !== null) expect(factor.shift.ci95).toEqual([0, 0]);
        }
      }),
      { numRuns: 40 },
    );
  });
});
