import type { Label, Sign } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { bootstrapReplicates, percentileInterval } from "./bootstrap.js";
import { countByGroup } from "./count-table.js";
import { kendallTau, kendallVariants } from "./kendall.js";
import { computeProfile } from "./profile.js";
import { createRandom } from "./random.js";

interface Row {
  label: Label;
  group: number;
  signs: Sign[];
}

/** Rows in `groups` groups of `size`; factor 0 agrees with the label with probability `agree`. */
function synthetic(seed: number, groups: number, size: number, agree = 0.65): Row[] {
  const random = createRandom(seed, "synthetic");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const rows: Row[] = [];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < size; i++) {
      const label: Label = uniform() < 0.15 ? "tie" : uniform() < 0.5 ? "a" : "b";
      const p = label === "a" ? 1 : label === "b" ? -1 : 0;
      const u = uniform();
      const m: Sign =
        u < 0.05
          ? null
          : u < 0.15
            ? 0
            : p !== 0 && uniform() < agree
              ? (p as Sign)
              : uniform() < 0.5
                ? 1
                : -1;
      const noise: Sign = uniform() < 0.1 ? null : ((random.nextInt(3) - 1) as Sign);
      rows.push({ label, group: g, signs: [m, noise] });
    }
  }
  return rows;
}

function accumulate(rows: readonly Row[], groupOf: (row: Row, index: number) => string): ProfileAccumulator {
  const accumulator = new ProfileAccumulator(["signal", "noise"]);
  rows.forEach((row, i) => {
    accumulator.add(row.label, groupOf(row, i), row.signs);
  });
  return accumulator;
}

const byGroup = (row: Row) => `g${row.group}`;
const byPair = (_row: Row, i: number) => `pair:${i}`;

describe("clustered bootstrap", () => {
  const rows = synthetic(1, 60, 8);

  it("gives the same profile for the same seed, and another interval for another seed", () => {
    const options = { bootstrap: 300, permutations: 0, seed: 5 };
    const first = computeProfile(accumulate(rows, byGroup), options);
    const again = computeProfile(accumulate(rows, byGroup), options);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    const other = computeProfile(accumulate(rows, byGroup), { ...options, seed: 6 });
    expect(other.factors[0]!.ci95).not.toEqual(first.factors[0]!.ci95);
    expect(other.factors[0]!.tau).toBe(first.factors[0]!.tau);
  });

  it("has intervals that contain tau for well-behaved data", () => {
    for (let seed = 0; seed < 10; seed++) {
      const profile = computeProfile(accumulate(synthetic(100 + seed, 50, 10), byGroup), {
        bootstrap: 400,
        permutations: 0,
        seed,
      });
      for (const factor of profile.factors) {
        const [lo, hi] = factor.ci95!;
        expect(lo).toBeLessThanOrEqual(factor.tau!);
        expect(hi).toBeGreaterThanOrEqual(factor.tau!);
        expect(factor.bootstrapValid).toBe(400);
      }
    }
  });

  it.each(kendallVariants)("with one group per pair, equals a plain bootstrap of pairs (%s)", (variant) => {
    // Written independently of the group tables: replicate b draws n pair indices with
    // createRandom(seed, "bootstrap/<b>").nextInt(n), as the documentation says, and scores
    // them with kendallTau, which the reference cases check.
    const seed = 11;
    const replicates = 200;
    const profile = computeProfile(accumulate(rows, byPair), {
      variant,
      bootstrap: replicates,
      permutations: 0,
      seed,
    });
    const taus: number[] = [];
    for (let b = 0; b < replicates; b++) {
      const random = createRandom(seed, `bootstrap/${b}`);
      const counts = { concordant: 0, discordant: 0, factorTies: 0, preferenceOnlyTies: 0, bothTies: 0 };
      for (let i = 0; i < rows.length; i++) {
        const row = rows[random.nextInt(rows.length)]!;
        const p = row.label === "a" ? 1 : row.label === "b" ? -1 : 0;
        const m = row.signs[0];
        if (m === null || m === undefined) continue;
        if (p === 0) counts[m === 0 ? "bothTies" : "preferenceOnlyTies"]++;
        else if (m === 0) counts.factorTies++;
        else counts[p * m === 1 ? "concordant" : "discordant"]++;
      }
      const tau = kendallTau(counts, variant);
      if (tau !== null) taus.push(tau);
    }
    taus.sort((x, y) => x - y);
    const at = (q: number) => {
      const h = (taus.length - 1) * q;
      const lo = Math.floor(h);
      return taus[lo]! + (h - lo) * (taus[lo + 1]! - taus[lo]!);
    };
    const [lo, hi] = profile.factors[0]!.ci95!;
    expect(profile.factors[0]!.bootstrapValid).toBe(taus.length);
    expect(lo).toBeCloseTo(at(0.025), 12);
    expect(hi).toBeCloseTo(at(0.975), 12);
  });

  it("resamples groups whole: duplicating every pair within its group changes nothing", () => {
    const options = { bootstrap: 300, permutations: 999, seed: 3 };
    const once = computeProfile(accumulate(rows, byGroup), options);
    const twice = computeProfile(accumulate([...rows, ...rows], byGroup), options);
    for (const [f, factor] of once.factors.entries()) {
      expect(twice.factors[f]!.tau).toBe(factor.tau);
      expect(twice.factors[f]!.ci95).toEqual(factor.ci95);
      expect(twice.factors[f]!.pValue).toBe(factor.pValue);
      expect(twice.factors[f]!.concordant).toBe(2 * factor.concordant);
    }
  });

  it("gives wider intervals than a per-pair bootstrap when the pairs of a group agree", () => {
    // Every pair of a group repeats one draw, so there are 40 independent units, not 400.
    const clustered = synthetic(2, 40, 1).flatMap((row) =>
      Array.from({ length: 10 }, () => ({ ...row, signs: [...row.signs] })),
    );
    const options = { bootstrap: 500, permutations: 0, seed: 4 };
    const width = (accumulator: ProfileAccumulator) => {
      const [lo, hi] = computeProfile(accumulator, options).factors[0]!.ci95!;
      return hi - lo;
    };
    expect(width(accumulate(clustered, byGroup))).toBeGreaterThan(2 * width(accumulate(clustered, byPair)));
  });

  it("skips replicates whose tau is null and counts the valid ones", () => {
    const accumulator = new ProfileAccumulator(["f"]);
    accumulator.add("a", "g1", [1]);
    accumulator.add("tie", "g2", [1]);
    // A replicate that draws g2 twice has no untied pair: tau14 is null there (1 in 4). Two
    // groups are far too few for an interval, so the percentile bootstrap is asked for by name.
    const [factor] = computeProfile(accumulator, {
      bootstrap: 1000,
      permutations: 0,
      interval: "percentile-bootstrap",
    }).factors;
    expect(factor!.bootstrapValid).toBeGreaterThan(650);
    expect(factor!.bootstrapValid).toBeLessThan(850);
    expect(factor!.ci95).toEqual([1, 1]);
  });

  it("is disabled by bootstrap: 0", () => {
    const profile = computeProfile(accumulate(rows, byGroup), { bootstrap: 0, permutations: 0 });
    expect(profile.bootstrap).toBe(0);
    expect(profile.factors.map((f) => [f.ci95, f.bootstrapValid])).toEqual([
      [null, 0],
      [null, 0],
    ]);
  });

  it("draws replicate b the same way whatever the number of replicates", () => {
    const table = countByGroup(accumulate(rows, byGroup));
    const short = bootstrapReplicates(table, "tau14", 50, 9);
    const long = bootstrapReplicates(table, "tau14", 120, 9);
    expect(long[0]!.subarray(0, 50)).toEqual(short[0]);
  });
});

describe("percentileInterval", () => {
  it("interpolates between order statistics like NumPy's default (type 7)", () => {
    // numpy.percentile(numpy.arange(1, 11), [2.5, 97.5]) == [1.225, 9.775]
    const values = Float64Array.from([10, 3, 1, 2, 8, 4, 6, 5, 9, 7]);
    const { interval, valid } = percentileInterval(values, 0.95);
    expect(valid).toBe(10);
    expect(interval![0]).toBeCloseTo(1.225, 12);
    expect(interval![1]).toBeCloseTo(9.775, 12);
  });

  it("ignores NaN (null) replicates and is null when none is left", () => {
    expect(percentileInterval(Float64Array.from([Number.NaN, 0.5, Number.NaN]), 0.95)).toEqual({
      interval: [0.5, 0.5],
      valid: 1,
    });
    expect(percentileInterval(Float64Array.from([Number.NaN]), 0.95)).toEqual({ interval: null, valid: 0 });
  });
});
