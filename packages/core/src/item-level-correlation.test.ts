import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RatedItem } from "./extractor-validation.js";
import { ClusteredTauBSchema, clusteredTauB } from "./item-level-correlation.js";
import { createRandom } from "./random.js";

/**
 * Kendall's tau_b by its definition, over every pair of the list (scipy.stats.kendalltau's
 * variant "b"), written here independently of the code under test.
 */
function tauBByPairs(xs: readonly number[], ys: readonly number[]): number | null {
  let s = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const sx = Math.sign(xs[i]! - xs[j]!);
      const sy = Math.sign(ys[i]! - ys[j]!);
      s += sx * sy;
      nx += Math.abs(sx);
      ny += Math.abs(sy);
    }
  }
  return nx === 0 || ny === 0 ? null : s / Math.sqrt(nx * ny);
}

const percentile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
};

/** Items on a coarse grid (many ties), `clusters` clusters of 1 to 3 items. */
const itemsArbitrary = fc
  .array(
    fc.record({
      cluster: fc.integer({ min: 0, max: 11 }).map((c) => `c${c}`),
      human: fc.integer({ min: 0, max: 4 }),
      extractor: fc.integer({ min: -3, max: 3 }),
    }),
    { minLength: 2, maxLength: 40 },
  )
  .map((items): RatedItem[] => items);

describe("clusteredTauB", () => {
  it("equals tau_b over all pairs of items, ties included (property)", () => {
    fc.assert(
      fc.property(itemsArbitrary, (items) => {
        const result = clusteredTauB(items, { bootstrap: 0 });
        const expected = tauBByPairs(
          items.map((item) => item.human),
          items.map((item) => item.extractor),
        );
        if (expected === null) expect(result.tauB).toBeNull();
        else expect(result.tauB).toBeCloseTo(expected, 12);
      }),
    );
  });

  it("on hand-made items: 2 concordant, 2 discordant, 1 pair tied in x, 1 in y", () => {
    // (x, y): a (1, 1), b (2, 3), c (2, 2), d (3, 1). Pairs: ab C, ac C, ad tied in y, bc tied
    // in x, bd D, cd D: S = 2 - 2 = 0.
    const items = [
      { cluster: "a", human: 1, extractor: 1 },
      { cluster: "b", human: 2, extractor: 3 },
      { cluster: "c", human: 2, extractor: 2 },
      { cluster: "d", human: 3, extractor: 1 },
    ];
    // n_x = 6 - 1 = 5 (one pair tied in x), n_y = 6 - 1 = 5 (one tied in y): tau_b = 0 / 5 = 0.
    expect(clusteredTauB(items, { bootstrap: 0 }).tauB).toBe(0);
    // Moving d up to y = 4 makes ad, bd and cd concordant: S = 5, n_x = 5, n_y = 6, tau_b = 5 / sqrt(30).
    const moved = items.map((item) => (item.cluster === "d" ? { ...item, extractor: 4 } : item));
    expect(clusteredTauB(moved, { bootstrap: 0 }).tauB).toBeCloseTo(5 / Math.sqrt(30), 14);
  });

  it("has a cluster-bootstrap interval equal to tau_b of the resampled items, copied cluster by cluster", () => {
    const random = createRandom(5, "items");
    const items: RatedItem[] = [];
    for (let c = 0; c < 40; c++) {
      const size = 1 + random.nextInt(3);
      for (let k = 0; k < size; k++) {
        const human = random.nextInt(4);
        items.push({ cluster: `q${c}`, human, extractor: human + random.nextInt(3) });
      }
    }
    const result = clusteredTauB(items, { bootstrap: 300, seed: 9 });
    expect(ClusteredTauBSchema.parse(result)).toEqual(result);
    expect(result.clusters).toBe(40);
    expect(result.intervalMethod).toBe("percentile-bootstrap");
    const clusters = [...new Set(items.map((item) => item.cluster))];
    const replicates = Array.from({ length: 300 }, (_, b) => {
      const draw = createRandom(9, `bootstrap/${b}`);
      const resampled: RatedItem[] = [];
      for (let k = 0; k < clusters.length; k++) {
        const cluster = clusters[draw.nextInt(clusters.length)];
        resampled.push(...items.filter((item) => item.cluster === cluster));
      }
      return tauBByPairs(
        resampled.map((item) => item.human),
        resampled.map((item) => item.extractor),
      )!;
    });
    expect(result.ci95![0]).toBeCloseTo(percentile(replicates, 0.025), 12);
    expect(result.ci95![1]).toBeCloseTo(percentile(replicates, 0.975), 12);
    expect(result.ci95![0]).toBeLessThan(result.tauB!);
    expect(result.ci95![1]).toBeGreaterThan(result.tauB!);
    expect(result.warnings).toEqual([]);
  });

  it("gives no interval below 6 clusters and warns below 30", () => {
    const items = [0, 1, 2, 3, 4].map((c) => ({ cluster: `c${c}`, human: c, extractor: c }));
    const few = clusteredTauB(items, { bootstrap: 100 });
    expect(few.tauB).toBe(1);
    expect(few.ci95).toBeNull();
    expect(few.intervalMethod).toBe("none");
    expect(few.warnings[0]).toMatch(/Only 5 clusters/);
    const some = clusteredTauB(
      Array.from({ length: 12 }, (_, c) => ({ cluster: `c${c}`, human: c, extractor: c % 5 })),
      { bootstrap: 100 },
    );
    expect(some.ci95).not.toBeNull();
    expect(some.warnings[0]).toMatch(/Only 12 clusters .* under-covers/);
  });

  it("is null when a side is constant, and refuses values that are not finite", () => {
    const constant = [1, 2, 3].map((x) => ({ cluster: `c${x}`, human: x, extractor: 7 }));
    expect(clusteredTauB(constant).tauB).toBeNull();
    expect(() => clusteredTauB([{ cluster: "c", human: 1, extractor: Number.NaN }])).toThrow(
      expect.objectContaining({ code: "non_finite_value" }),
    );
  });
});
