import { type Label, type Sign, signOfDifference } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import type { KendallVariants } from "./kendall.js";
import { computeProfile } from "./profile.js";

interface Row {
  label: Label;
  sign: Sign;
}

const label = fc.constantFrom<Label>("a", "b", "tie");
const row = fc.record({ label, sign: fc.constantFrom<Sign>(-1, 0, 1, null) });
const rows = fc.array(row, { maxLength: 60 });

function variantsOf(data: readonly Row[]): KendallVariants {
  const accumulator = new ProfileAccumulator(["f"]);
  data.forEach((r, i) => {
    accumulator.add(r.label, `g${i % 7}`, [r.sign]);
  });
  return computeProfile(accumulator, { bootstrap: 0, permutations: 0 }).factors[0]!.variants;
}

const swapLabel = (l: Label): Label => (l === "a" ? "b" : l === "b" ? "a" : "tie");
const negate = (s: Sign): Sign => (s === null ? null : s === 0 ? 0 : s === 1 ? -1 : 1);

describe("Kendall variants, properties", () => {
  it("are unchanged when a and b are swapped in every pair (p and m both negated)", () => {
    fc.assert(
      fc.property(rows, (data) => {
        const swapped = data.map((r) => ({ label: swapLabel(r.label), sign: negate(r.sign) }));
        expect(variantsOf(swapped)).toEqual(variantsOf(data));
      }),
    );
  });

  it("negate tau14, taub and tau13 when every label is flipped", () => {
    fc.assert(
      fc.property(rows, (data) => {
        const flipped = variantsOf(data.map((r) => ({ label: swapLabel(r.label), sign: r.sign })));
        const original = variantsOf(data);
        for (const variant of ["tau14", "taub", "tau13"] as const) {
          const value = original[variant];
          if (value === null) expect(flipped[variant]).toBeNull();
          else expect(flipped[variant]).toBeCloseTo(-value, 12);
        }
      }),
    );
  });

  it("lie in [-1, 1], and acc23 in [0, 1]", () => {
    fc.assert(
      fc.property(rows, (data) => {
        const variants = variantsOf(data);
        for (const [variant, value] of Object.entries(variants)) {
          if (value === null) continue;
          expect(value).toBeGreaterThanOrEqual(variant === "acc23" ? 0 : -1);
          expect(value).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it("are unchanged by a strictly increasing transform of a response-level factor's values", () => {
    const transforms: ((x: number) => number)[] = [
      (x) => 3 * x + 7,
      (x) => x ** 3,
      (x) => Math.exp(x / 50),
      (x) => Math.atan(x),
      (x) => (x < 0 ? x * 10 : x / 10),
    ];
    const measured = fc.record({
      label,
      valueA: fc.integer({ min: -40, max: 40 }),
      valueB: fc.integer({ min: -40, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(measured, { maxLength: 60 }),
        fc.nat({ max: transforms.length - 1 }),
        (data, t) => {
          const transform = transforms[t]!;
          const raw = data.map((r) => ({ label: r.label, sign: signOfDifference(r.valueA, r.valueB) }));
          const transformed = data.map((r) => ({
            label: r.label,
            sign: signOfDifference(transform(r.valueA), transform(r.valueB)),
          }));
          expect(variantsOf(transformed)).toEqual(variantsOf(raw));
        },
      ),
    );
  });

  it("do not depend on how pairs are grouped", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ row, group: fc.nat({ max: 5 }) }), { maxLength: 60 }), (data) => {
        const accumulator = new ProfileAccumulator(["f"]);
        for (const { row: r, group } of data) accumulator.add(r.label, `g${group}`, [r.sign]);
        const grouped = computeProfile(accumulator, { bootstrap: 0, permutations: 0 }).factors[0]!.variants;
        expect(grouped).toEqual(variantsOf(data.map((d) => d.row)));
      }),
    );
  });
});
