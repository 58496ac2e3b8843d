import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { computeProfile } from "./profile.js";
import { createRandom } from "./random.js";

/** A one-factor accumulator from (label, sign, group) triples. */
function accumulate(rows: readonly (readonly [Label, Sign, string])[]): ProfileAccumulator {
  const accumulator = new ProfileAccumulator(["f"]);
  for (const [label, sign, group] of rows) accumulator.add(label, group, [sign]);
  return accumulator;
}

function pValue(accumulator: ProfileAccumulator, permutations: number, seed = 0): number | null {
  return computeProfile(accumulator, { bootstrap: 0, permutations, seed }).factors[0]!.pValue;
}

/** `concordant` groups holding one concordant pair each. */
function allConcordant(concordant: number): ProfileAccumulator {
  return accumulate(Array.from({ length: concordant }, (_, i) => ["a", 1, `g${i}`] as const));
}

describe("sign-flip p-value", () => {
  it("is 1 / (R + 1) for a strong signal", () => {
    expect(pValue(allConcordant(40), 999)).toBe(1 / 1000);
  });

  it("is bounded below by 1 / (R + 1), and near the exact 2^(1-n) for n concordant groups", () => {
    // With n groups of C - D = 1, |S*| = n only when every flip agrees: probability 2^(1-n).
    for (let n = 1; n <= 6; n++) {
      const p = pValue(allConcordant(n), 9999)!;
      expect(p).toBeGreaterThanOrEqual(1 / 10_000);
      const exact = 2 ** (1 - n);
      expect(Math.abs(p - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 9999) + 1e-4);
    }
  });

  it("agrees with the exact sign-flip distribution enumerated over small designs", () => {
    const group = fc.record({
      concordant: fc.nat({ max: 4 }),
      discordant: fc.nat({ max: 4 }),
      ties: fc.nat({ max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 8 }), fc.nat(), (groups, seed) => {
        const rows: [Label, Sign, string][] = [];
        groups.forEach((g, i) => {
          for (let k = 0; k < g.concordant; k++) rows.push(["b", -1, `g${i}`]);
          for (let k = 0; k < g.discordant; k++) rows.push(["a", -1, `g${i}`]);
          for (let k = 0; k < g.ties; k++) rows.push(["b", 0, `g${i}`]);
        });
        const differences = groups.map((g) => g.concordant - g.discordant);
        const observed = Math.abs(differences.reduce((x, y) => x + y, 0));
        let extreme = 0;
        const patterns = 2 ** groups.length;
        for (let mask = 0; mask < patterns; mask++) {
          const s = differences.reduce((sum, d, i) => sum + ((mask >> i) & 1 ? d : -d), 0);
          if (Math.abs(s) >= observed) extreme++;
        }
        const exact = extreme / patterns;
        const p = pValue(accumulate(rows), 4999, seed);
        if (groups.every((g) => g.concordant + g.discordant + g.ties === 0)) {
          expect(p).toBeNull(); // tau is null
          return;
        }
        expect(Math.abs(p! - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 4999) + 2e-4);
      }),
      { numRuns: 60 },
    );
  });

  it("is uniform-ish under pure noise: about 5% of null data sets fall below 0.05", () => {
    const random = createRandom(12, "noise");
    let rejections = 0;
    const datasets = 200;
    for (let d = 0; d < datasets; d++) {
      const rows: [Label, Sign, string][] = [];
      for (let i = 0; i < 150; i++) {
        const label = (["a", "b", "tie"] as const)[random.nextInt(3)]!;
        rows.push([label, (random.nextInt(3) - 1) as Sign, `g${i % 30}`]);
      }
      if (pValue(accumulate(rows), 499, d)! < 0.05) rejections++;
    }
    // Binomial(200, 0.05): mean 10, and 2..22 holds with probability > 0.999.
    expect(rejections).toBeGreaterThanOrEqual(2);
    expect(rejections).toBeLessThanOrEqual(22);
  });

  it("is the same for every variant whose denominator the flips leave alone (tau14, taub, tau13)", () => {
    const rows: [Label, Sign, string][] = [];
    const random = createRandom(1, "variants");
    for (let i = 0; i < 200; i++) {
      const label = (["a", "b", "tie"] as const)[random.nextInt(3)]!;
      rows.push([
        label,
        random.nextInt(4) === 0 ? (label === "b" ? -1 : 1) : ((random.nextInt(3) - 1) as Sign),
        `g${i % 25}`,
      ]);
    }
    const accumulator = accumulate(rows);
    const p = (variant: "tau14" | "taub" | "tau13") =>
      computeProfile(accumulator, { variant, bootstrap: 0, permutations: 999 }).factors[0]!.pValue;
    expect(p("taub")).toBe(p("tau14"));
    expect(p("tau13")).toBe(p("tau14"));
  });

  it("is null when R = 0 or tau is null", () => {
    expect(pValue(allConcordant(5), 0)).toBeNull();
    expect(pValue(accumulate([["tie", 1, "g"]]), 99)).toBeNull();
  });
});
