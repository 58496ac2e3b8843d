import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { signFlipInterval, signFlipPatterns } from "./sign-flip-interval.js";
import { computeProfile } from "./profile.js";

/** Groups as [numerator, denominator] with |n| <= d, the shape of C - D over C + D + Tf. */
const groupArbitrary = fc
  .tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 }), fc.nat({ max: 3 }))
  .map(([c, d, t]) => [c - d, c + d + t] as const);

/**
 * The sign-flip p-value of H0: theta = theta0 by brute force over every pattern of the groups
 * (all 2^G, not the half the code enumerates), written from the test's definition.
 */
function bruteForceP(groups: readonly (readonly [number, number])[], theta0: number): number {
  const centred = groups.map(([n, d]) => n - theta0 * d);
  const observed = Math.abs(centred.reduce((x, y) => x + y, 0));
  let extreme = 0;
  const patterns = 2 ** groups.length;
  for (let mask = 0; mask < patterns; mask++) {
    const s = centred.reduce((sum, c, g) => sum + ((mask >>> g) & 1 ? -c : c), 0);
    if (Math.abs(s) >= observed - 1e-9 * (1 + observed)) extreme++;
  }
  return extreme / patterns;
}

const intervalOf = (groups: readonly (readonly [number, number])[]) =>
  signFlipInterval(
    groups.map(([n]) => n),
    groups.map(([, d]) => d),
    signFlipPatterns(groups.length, 0, 0),
    [-1, 1],
  );

describe("signFlipInterval (exact patterns)", () => {
  it("is the set of theta0 whose brute-force sign-flip p-value exceeds 0.05", () => {
    fc.assert(
      fc.property(fc.array(groupArbitrary, { minLength: 6, maxLength: 11 }), (groups) => {
        const result = intervalOf(groups);
        const total = groups.reduce((sum, [, d]) => sum + d, 0);
        if (total === 0) {
          expect(result).toBeNull();
          return;
        }
        const [lo, hi] = result!.interval;
        const step = 1e-7;
        // Inside (at and just within the endpoints) the test accepts; just outside it rejects,
        // unless the endpoint is the edge of [-1, 1].
        expect(bruteForceP(groups, lo)).toBeGreaterThan(0.05);
        expect(bruteForceP(groups, hi)).toBeGreaterThan(0.05);
        if (lo > -1) expect(bruteForceP(groups, lo - step)).toBeLessThanOrEqual(0.05);
        if (hi < 1) expect(bruteForceP(groups, hi + step)).toBeLessThanOrEqual(0.05);
        expect(result!.monteCarloError).toEqual([0, 0]);
      }),
      { numRuns: 120 },
    );
  });

  it("contains the estimate, and does not depend on the order of the groups", () => {
    fc.assert(
      fc.property(fc.array(groupArbitrary, { minLength: 6, maxLength: 12 }), fc.nat(), (groups, rotation) => {
        const result = intervalOf(groups);
        const n = groups.reduce((sum, [x]) => sum + x, 0);
        const d = groups.reduce((sum, [, x]) => sum + x, 0);
        if (d === 0) return;
        const [lo, hi] = result!.interval;
        expect(lo).toBeLessThanOrEqual(n / d);
        expect(hi).toBeGreaterThanOrEqual(n / d);
        const k = rotation % groups.length;
        const reordered = [...groups.slice(k), ...groups.slice(0, k)].reverse();
        expect(intervalOf(reordered)!.interval).toEqual(result!.interval);
      }),
      { numRuns: 120 },
    );
  });

  it("mirrors when every numerator changes sign", () => {
    fc.assert(
      fc.property(fc.array(groupArbitrary, { minLength: 6, maxLength: 10 }), (groups) => {
        const result = intervalOf(groups);
        if (result === null) return;
        const mirrored = intervalOf(groups.map(([n, d]) => [-n, d] as const))!;
        expect(mirrored.interval[0]).toBeCloseTo(-result.interval[1], 12);
        expect(mirrored.interval[1]).toBeCloseTo(-result.interval[0], 12);
      }),
      { numRuns: 80 },
    );
  });
});

describe("signFlipInterval (random patterns)", () => {
  it("approaches the exact interval, within a few of its Monte Carlo errors", () => {
    // 16 groups is past the exact limit; the exact answer is enumerated here by brute force over
    // the 2^15 patterns with group 15 unflipped, with the same typical-value rule.
    const groups = Array.from({ length: 16 }, (_, g) => [((g * 7) % 11) - 3, 8 + (g % 5)] as const);
    const numerators = groups.map(([n]) => n);
    const denominators = groups.map(([, d]) => d);
    const random = signFlipInterval(numerators, denominators, signFlipPatterns(16, 20_000, 3), [-1, 1])!;
    const exactMasks = { groups: 16, masks: Uint32Array.from({ length: 2 ** 15 }, (_, m) => m), exact: true };
    const exact = signFlipInterval(numerators, denominators, exactMasks, [-1, 1])!;
    for (const side of [0, 1]) {
      expect(random.monteCarloError[side]!).toBeGreaterThan(0);
      expect(Math.abs(random.interval[side]! - exact.interval[side]!)).toBeLessThan(
        4 * random.monteCarloError[side]! + 1e-9,
      );
    }
  });
});

describe("a profile with few clusters", () => {
  const build = (groups: number, perGroup = 8) => {
    const accumulator = new ProfileAccumulator(["f"]);
    for (let g = 0; g < groups; g++) {
      for (let i = 0; i < perGroup; i++) {
        const label: Label = (g + i) % 3 === 0 ? "b" : "a";
        const sign: Sign = (g * 5 + i) % 4 === 0 ? -1 : 1;
        accumulator.add(label, `g${g}`, [sign]);
      }
    }
    return accumulator;
  };

  it("has no interval below 6 clusters, and says why", () => {
    const profile = computeProfile(build(5), { bootstrap: 200, permutations: 999, interval: "auto" });
    expect(profile.intervalMethod).toBe("none");
    expect(profile.factors[0]!.ci95).toBeNull();
    expect(profile.factors[0]!.ci95MonteCarloError).toBeNull();
    expect(profile.warnings![0]).toMatch(/Only 5 clusters.*below 6 no 95% interval.*0\.0625/);
    // The p-value stays, exact: 5 groups allow 16 patterns.
    expect(profile.pValueMethod).toBe("exact");
    expect(profile.factors[0]!.pValueMonteCarloError).toBe(0);
  });

  it("inverts the sign-flip test from 6 to 29 clusters, and agrees with its own p-value", () => {
    for (const groups of [6, 10, 15, 16, 29]) {
      const profile = computeProfile(build(groups), {
        bootstrap: 200,
        permutations: 2999,
        seed: 4,
        interval: "auto",
      });
      expect(profile.intervalMethod).toBe("sign-flip-inversion");
      expect(profile.pValueMethod).toBe(groups <= 15 ? "exact" : "monte-carlo");
      expect(profile.warnings![0]).toMatch(
        new RegExp(`Only ${groups} clusters.*invert the clustered sign-flip`),
      );
      const [factor] = profile.factors;
      const [lo, hi] = factor!.ci95!;
      expect(lo).toBeLessThanOrEqual(factor!.tau!);
      expect(hi).toBeGreaterThanOrEqual(factor!.tau!);
      // The interval excludes 0 exactly when the test (same patterns) rejects at 5%.
      expect(lo > 0 || hi < 0).toBe(factor!.pValue! <= 0.05);
      const errors = factor!.ci95MonteCarloError!;
      if (groups <= 15) expect(errors).toEqual([0, 0]);
      else expect(Math.min(...errors)).toBeGreaterThanOrEqual(0);
    }
  });

  it("warns below 30 clusters when the percentile bootstrap is asked for", () => {
    const profile = computeProfile(build(10), {
      bootstrap: 200,
      permutations: 999,
      interval: "percentile-bootstrap",
    });
    expect(profile.intervalMethod).toBe("percentile-bootstrap");
    expect(profile.factors[0]!.ci95).not.toBeNull();
    expect(profile.warnings![0]).toMatch(/Only 10 clusters.*percentile bootstrap used here under-covers/);
    const tiny = computeProfile(build(3), {
      bootstrap: 200,
      permutations: 999,
      interval: "percentile-bootstrap",
    });
    expect(tiny.warnings![0]).toMatch(/Only 3 clusters.*the intervals shown do not hold their level/);
  });

  it("keeps the percentile bootstrap from 30 clusters, without a warning", () => {
    const accumulator = build(30);
    const auto = computeProfile(accumulator, {
      bootstrap: 300,
      permutations: 999,
      seed: 2,
      interval: "auto",
    });
    const forced = computeProfile(accumulator, {
      bootstrap: 300,
      permutations: 999,
      seed: 2,
      interval: "percentile-bootstrap",
    });
    expect(auto.intervalMethod).toBe("percentile-bootstrap");
    expect(auto.warnings).toEqual([]);
    expect(auto.factors).toEqual(forced.factors);
  });
});
