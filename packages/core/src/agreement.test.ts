import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Label } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accuracyWithoutTies,
  cohenKappa,
  LabelAgreementSchema,
  labelAgreement,
  positionConsistency,
  tieRate,
  unswapLabel,
} from "./agreement.js";

const casesFile = fileURLToPath(
  new URL("../../../../shared/reference/alignment_cases.json", import.meta.url),
);
const haveCases = existsSync(casesFile);

interface LabelPairCase {
  human: Label[];
  model: Label[];
  cohenKappa: number;
}

describe.skipIf(!haveCases)(
  `reference kappas (skipped when ${casesFile} is absent: it is the shared, read-only reference set)`,
  () => {
    const cases: LabelPairCase[] = haveCases ? JSON.parse(readFileSync(casesFile, "utf8")).labelPairs : [];

    it("has the cases it should", () => {
      expect(cases.length).toBeGreaterThanOrEqual(8);
    });

    it.each(cases.map((c, i) => [i, c] as const))("labelPairs[%i]", (_, c) => {
      expect(cohenKappa(c.human, c.model)).toBeCloseTo(c.cohenKappa, 12);
      expect(labelAgreement(c.human, c.model).cohenKappa).toBeCloseTo(c.cohenKappa, 12);
    });

    it("labelPairs[0]: accuracy, decisive accuracy and tie rates (counted with a separate Python script)", () => {
      const c = cases[0]!;
      const agreement = labelAgreement(c.human, c.model);
      expect(LabelAgreementSchema.parse(agreement)).toEqual(agreement);
      expect(agreement).toMatchObject({
        pairs: 200,
        accuracy: 0.835,
        decisivePairs: 153,
        referenceTieRate: 0.17,
        candidateTieRate: 0.195,
      });
      expect(agreement.accuracyWithoutTies).toBeCloseTo(141 / 153, 15);
    });
  },
);

describe("hand-computed cases", () => {
  // human a:7 b:2 tie:1, model a:5 b:2 tie:3; the same labels on 8 of 10 pairs.
  const human: Label[] = ["a", "b", "a", "a", "a", "b", "tie", "a", "a", "a"];
  const model: Label[] = ["a", "b", "a", "a", "tie", "b", "tie", "a", "tie", "a"];

  it("kappa: po = 0.8, pe = .7*.5 + .2*.2 + .1*.3 = .42, kappa = .38 / .58", () => {
    expect(cohenKappa(human, model)).toBeCloseTo(0.38 / 0.58, 14);
  });

  it("accuracy without ties counts only the 7 pairs where neither label is a tie", () => {
    expect(accuracyWithoutTies(human, model)).toEqual({ value: 1, pairs: 7 });
    expect(accuracyWithoutTies(["a", "b", "tie"], ["b", "tie", "a"])).toEqual({ value: 0, pairs: 1 });
    expect(accuracyWithoutTies(["tie"], ["a"])).toEqual({ value: null, pairs: 0 });
  });

  it("tie rates", () => {
    expect(tieRate(human)).toBe(0.1);
    expect(tieRate(model)).toBe(0.3);
    expect(tieRate([])).toBeNull();
  });

  it("kappa is 0 at chance agreement and null when chance agreement is perfect", () => {
    // Marginals 1/2, 1/2 on both sides; the same label on half the pairs: po = pe = 1/2.
    expect(cohenKappa(["a", "a", "b", "b"], ["a", "b", "a", "b"])).toBe(0);
    expect(cohenKappa(["a", "a"], ["a", "a"])).toBeNull();
    expect(cohenKappa([], [])).toBeNull();
    // One rater constant but not the other: pe = 1/2, po = 1/2.
    expect(cohenKappa(["a", "a"], ["a", "b"])).toBe(0);
  });

  it("rejects label sets of different lengths", () => {
    expect(() => cohenKappa(["a"], [])).toThrow(/same pairs/);
    expect(() => labelAgreement(["a"], ["a", "b"])).toThrow(/Cannot compare 1 labels with 2/);
  });
});

describe("position consistency", () => {
  it("un-swaps the second verdict before comparing", () => {
    expect(unswapLabel("a")).toBe("b");
    expect(unswapLabel("b")).toBe("a");
    expect(unswapLabel("tie")).toBe("tie");
    expect(
      positionConsistency([
        { original: "a", swapped: "b" }, // consistent: a both times
        { original: "tie", swapped: "tie" }, // consistent
        { original: "a", swapped: "a" }, // first position both times: inconsistent
        { original: "b", swapped: "tie" }, // inconsistent
        { original: null, swapped: "a" }, // not counted
      ]),
    ).toEqual({ value: 0.5, pairs: 4 });
    expect(positionConsistency([])).toEqual({ value: null, pairs: 0 });
  });

  const label = fc.constantFrom<Label>("a", "b", "tie");

  it("is 1 for an order-blind judge and 0 for a judge that always picks one position", () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1 }), fc.constantFrom<Label>("a", "b"), (truth, position) => {
        const blind = truth.map((t) => ({ original: t, swapped: unswapLabel(t) }));
        expect(positionConsistency(blind)).toEqual({ value: 1, pairs: truth.length });
        const biased = truth.map(() => ({ original: position, swapped: position }));
        expect(positionConsistency(biased)).toEqual({ value: 0, pairs: truth.length });
      }),
    );
  });
});

describe("properties", () => {
  const label = fc.constantFrom<Label>("a", "b", "tie");
  const labelPairs = fc.array(fc.tuple(label, label), { minLength: 1, maxLength: 60 });

  it("kappa is symmetric, at most 1, 1 on identical labellings, and blind to renaming a <-> b", () => {
    fc.assert(
      fc.property(labelPairs, (rows) => {
        const first = rows.map(([x]) => x);
        const second = rows.map(([, y]) => y);
        const kappa = cohenKappa(first, second);
        const renamed = cohenKappa(first.map(unswapLabel), second.map(unswapLabel));
        if (kappa === null) {
          expect(cohenKappa(second, first)).toBeNull();
          expect(renamed).toBeNull();
          return;
        }
        expect(cohenKappa(second, first)).toBeCloseTo(kappa, 12);
        expect(renamed).toBeCloseTo(kappa, 12);
        expect(kappa).toBeLessThanOrEqual(1 + 1e-12);
        const self = cohenKappa(first, first);
        if (self !== null) expect(self).toBeCloseTo(1, 12);
      }),
    );
  });

  it("decisive accuracy is a share of the pairs where neither label is a tie", () => {
    fc.assert(
      fc.property(labelPairs, (rows) => {
        const first = rows.map(([x]) => x);
        const second = rows.map(([, y]) => y);
        const { value, pairs } = accuracyWithoutTies(first, second);
        expect(pairs).toBe(rows.filter(([x, y]) => x !== "tie" && y !== "tie").length);
        if (pairs === 0) expect(value).toBeNull();
        else expect(value! * pairs).toBeCloseTo(Math.round(value! * pairs), 9);
      }),
    );
  });
});
