import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Label, signOfDifference } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { allKendallVariants, kendallTau, kendallVariants } from "./kendall.js";
import { computeProfile } from "./profile.js";

const referencePath = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/reference/kendall_cases.json",
);
const present = existsSync(referencePath);

interface ReferenceCase {
  name: string;
  pairs: { label: Label; fa: number; fb: number }[];
  expected: Record<string, number | null>;
}
interface ReferenceFile {
  formulas: Record<string, string>;
  cases: ReferenceCase[];
}

const reference: ReferenceFile = present
  ? JSON.parse(readFileSync(referencePath, "utf8"))
  : { formulas: {}, cases: [] };

describe.skipIf(!present)(`kendall_cases.json (skipped when ${referencePath} is absent)`, () => {
  it("defines exactly the variants this package computes", () => {
    expect(Object.keys(reference.formulas).sort()).toEqual([...kendallVariants].sort());
    expect(reference.cases.length).toBeGreaterThan(0);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))("case %s", (_name, testCase) => {
    const accumulator = new ProfileAccumulator(["f"]);
    testCase.pairs.forEach((pair, i) => {
      accumulator.add(pair.label, `pair:${i}`, [signOfDifference(pair.fa, pair.fb)]);
    });
    const { expected } = testCase;
    for (const variant of kendallVariants) {
      const profile = computeProfile(accumulator, { variant, bootstrap: 0, permutations: 0 });
      const [score] = profile.factors;
      expect(score).toMatchObject({
        concordant: expected.concordant,
        discordant: expected.discordant,
        factorTies: expected.factorTies,
        preferenceTies: expected.preferenceTies,
        missing: 0,
      });
      expect(profile.pairs).toBe(testCase.pairs.length);
      expectScore(score!.tau, expected[variant]!, `${testCase.name} ${variant}`);
      expectScore(score!.variants[variant], expected[variant]!, `${testCase.name} variants.${variant}`);
      expectScore(kendallTau(score!, variant), expected[variant]!, `${testCase.name} kendallTau ${variant}`);
    }
  });
});

describe("kendallTau", () => {
  it("computes the worked example by hand: C=3, D=1, Tf=2, Tp=1, Tb=1", () => {
    const counts = { concordant: 3, discordant: 1, factorTies: 2, preferenceOnlyTies: 1, bothTies: 1 };
    expect(allKendallVariants(counts)).toEqual({
      tau14: 2 / 6,
      taub: 2 / Math.sqrt(5 * 6),
      tau10: 0,
      tau13: 2 / 4,
      tau23: 0,
      acc23: 4 / 8,
    });
  });

  it("is null exactly where the denominator is 0", () => {
    const onlyTies = { concordant: 0, discordant: 0, factorTies: 0, preferenceOnlyTies: 2, bothTies: 0 };
    expect(allKendallVariants(onlyTies)).toEqual({
      tau14: null,
      taub: null,
      tau10: null,
      tau13: null,
      tau23: -1,
      acc23: 0,
    });
  });
});

function expectScore(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) expect(actual, what).toBeNull();
  else expect(actual, what).toBeCloseTo(expected, 12);
}
