import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ClusteredAucSchema,
  clusteredAuc,
  type LabelledItem,
  type RatedItem,
  SummaryLevelCorrelationSchema,
  summaryLevelCorrelation,
} from "./extractor-validation.js";
import { createRandom } from "./random.js";
import { rankSpearman } from "./rank-correlation.js";

/** `clusters` documents of `size` responses; the extractor tracks the rating with noise `noise`. */
function rated(seed: number, clusters: number, size: number, noise: number): RatedItem[] {
  const random = createRandom(seed, "rated");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const items: RatedItem[] = [];
  for (let c = 0; c < clusters; c++) {
    for (let i = 0; i < size; i++) {
      const human = 1 + Math.round(uniform() * 12) / 3; // 1..5 in thirds, as a mean of 3 raters
      items.push({ cluster: `doc${c}`, human, extractor: human + noise * (uniform() - 0.5) * 4 });
    }
  }
  return items;
}

const percentile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
};

describe("summaryLevelCorrelation", () => {
  it("averages the per-document correlations, with a cluster-bootstrap interval from 30 documents", () => {
    const items = rated(1, 40, 12, 1.5);
    const result = summaryLevelCorrelation(items, { bootstrap: 200, seed: 3 });
    expect(SummaryLevelCorrelationSchema.parse(result)).toEqual(result);
    const perDocument = Array.from({ length: 40 }, (_, c) => {
      const members = items.filter((item) => item.cluster === `doc${c}`);
      return rankSpearman(
        members.map((item) => item.human),
        members.map((item) => item.extractor),
      )!;
    });
    const mean = perDocument.reduce((x, y) => x + y, 0) / 40;
    expect(result.spearman.value).toBeCloseTo(mean, 12);
    expect(result.intervalMethod).toBe("percentile-bootstrap");
    const replicates = Array.from({ length: 200 }, (_, b) => {
      const random = createRandom(3, `bootstrap/${b}`);
      let sum = 0;
      for (let i = 0; i < 40; i++) sum += perDocument[random.nextInt(40)]!;
      return sum / 40;
    });
    expect(result.spearman.ci95![0]).toBeCloseTo(percentile(replicates, 0.025), 12);
    expect(result.spearman.ci95![1]).toBeCloseTo(percentile(replicates, 0.975), 12);
    expect(result.kendallTauB.value!).toBeLessThan(result.spearman.value!);
  });

  it("inverts the sign-flip test of the mean with 6 to 29 documents", () => {
    const items = rated(2, 10, 8, 6);
    const result = summaryLevelCorrelation(items);
    expect(result.intervalMethod).toBe("sign-flip-inversion");
    expect(result.warnings[0]).toMatch(/Only 10 clusters/);
    // Brute force: the per-document values v, and the exact p-value of mean = t over all 2^10 flips.
    const values = Array.from({ length: 10 }, (_, c) => {
      const members = items.filter((item) => item.cluster === `doc${c}`);
      return rankSpearman(
        members.map((item) => item.human),
        members.map((item) => item.extractor),
      )!;
    });
    const p = (t: number) => {
      const centred = values.map((v) => v - t);
      const observed = Math.abs(centred.reduce((x, y) => x + y, 0));
      let extreme = 0;
      for (let mask = 0; mask < 1024; mask++) {
        const s = centred.reduce((sum, c, g) => sum + ((mask >> g) & 1 ? -c : c), 0);
        if (Math.abs(s) >= observed - 1e-12) extreme++;
      }
      return extreme / 1024;
    };
    const [lo, hi] = result.spearman.ci95!;
    expect(p(lo)).toBeGreaterThan(0.05);
    expect(p(hi)).toBeGreaterThan(0.05);
    expect(p(lo - 1e-6)).toBeLessThanOrEqual(0.05);
    expect(p(hi + 1e-6)).toBeLessThanOrEqual(0.05);
    expect(result.spearman.ci95MonteCarloError).toEqual([0, 0]);
  });

  it("is symmetric in the two sides and skips documents where a side is constant", () => {
    const items = rated(4, 12, 5, 2);
    const flat = [0, 1, 2].map((i) => ({ cluster: "flat", human: 3, extractor: i }));
    const forward = summaryLevelCorrelation([...items, ...flat]);
    const backward = summaryLevelCorrelation(
      [...items, ...flat].map((item) => ({ ...item, human: item.extractor, extractor: item.human })),
    );
    expect(forward.spearman.clusters).toBe(12);
    expect(forward.clusters).toBe(13);
    expect(backward.spearman).toEqual(forward.spearman);
    expect(backward.kendallTauB).toEqual(forward.kendallTauB);
  });

  it("has no interval below 6 documents, and refuses non-finite values", () => {
    expect(summaryLevelCorrelation(rated(5, 5, 6, 1)).spearman.ci95).toBeNull();
    expect(() => summaryLevelCorrelation([{ cluster: "c", human: 1, extractor: Number.NaN }])).toThrow(
      expect.objectContaining({ code: "non_finite_value" }),
    );
  });
});

/** The AUC by its definition, over every positive-negative pair of items, each with a weight. */
function bruteAuc(
  items: readonly LabelledItem[],
  weight: (item: LabelledItem) => number = () => 1,
): number | null {
  let concordant = 0;
  let total = 0;
  for (const p of items) {
    if (!p.positive) continue;
    for (const n of items) {
      if (n.positive) continue;
      const w = weight(p) * weight(n);
      total += w;
      concordant += w * (p.value > n.value ? 1 : p.value === n.value ? 0.5 : 0);
    }
  }
  return total === 0 ? null : concordant / total;
}

const labelledArbitrary = fc.array(
  fc.record({
    cluster: fc.constantFrom("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"),
    positive: fc.boolean(),
    value: fc.integer({ min: -5, max: 5 }),
  }),
  { minLength: 0, maxLength: 40 },
);

describe("clusteredAuc", () => {
  it("is the Mann-Whitney AUC, ties counting one half, and 1 - AUC for the negated value", () => {
    fc.assert(
      fc.property(labelledArbitrary, (items) => {
        const result = clusteredAuc(items, { bootstrap: 0 });
        const reference = bruteAuc(items);
        if (reference === null) {
          expect(result.auc).toBeNull();
          return;
        }
        expect(result.auc).toBeCloseTo(reference, 12);
        const negated = clusteredAuc(
          items.map((item) => ({ ...item, value: -item.value })),
          { bootstrap: 0 },
        );
        expect(negated.auc).toBeCloseTo(1 - reference, 12);
      }),
      { numRuns: 200 },
    );
  });

  it("has the interval of a cluster bootstrap that copies the drawn clusters' items, written here", () => {
    const random = createRandom(6, "auc");
    const items: LabelledItem[] = [];
    for (let c = 0; c < 40; c++) {
      const shift = random.nextInt(3);
      for (let i = 0; i < 1 + random.nextInt(3); i++) {
        const positive = random.nextInt(3) === 0;
        items.push({ cluster: `q${c}`, positive, value: random.nextInt(6) + (positive ? 2 : 0) + shift });
      }
    }
    const result = clusteredAuc(items, { bootstrap: 150, seed: 2 });
    expect(ClusteredAucSchema.parse(result)).toEqual(result);
    const clusters = [...new Set(items.map((item) => item.cluster))];
    const replicates = Array.from({ length: 150 }, (_, b) => {
      const draw = createRandom(2, `bootstrap/${b}`);
      const drawn: LabelledItem[] = [];
      for (let i = 0; i < clusters.length; i++) {
        const cluster = clusters[draw.nextInt(clusters.length)]!;
        drawn.push(...items.filter((item) => item.cluster === cluster));
      }
      return bruteAuc(drawn)!;
    });
    expect(result.auc).toBeGreaterThan(0.6);
    expect(result.ci95![0]).toBeCloseTo(percentile(replicates, 0.025), 12);
    expect(result.ci95![1]).toBeCloseTo(percentile(replicates, 0.975), 12);
    expect(result.ci95![0]).toBeLessThanOrEqual(result.auc!);
    expect(result.ci95![1]).toBeGreaterThanOrEqual(result.auc!);
  });

  it("is unchanged by a strictly increasing transform of the values", () => {
    fc.assert(
      fc.property(labelledArbitrary, (items) => {
        const options = { bootstrap: 20, seed: 1 };
        const transformed = items.map((item) => ({ ...item, value: Math.exp(item.value) + 3 }));
        const a = clusteredAuc(items, options);
        const b = clusteredAuc(transformed, options);
        if (a.auc === null) expect(b.auc).toBeNull();
        else expect(b.auc).toBeCloseTo(a.auc, 12);
      }),
      { numRuns: 100 },
    );
  });
});
