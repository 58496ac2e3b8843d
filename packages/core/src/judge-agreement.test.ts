import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { labelAgreement, positionConsistency, unswapLabel } from "./agreement.js";
import { type JudgedPair, JudgeAgreementSchema, judgeAgreement } from "./judge-agreement.js";
import { createRandom } from "./random.js";

/**
 * `groups` clusters of 1..6 pairs. The human label follows length with probability 0.7 (ties
 * 10%); the judge copies the human label with probability `skill`, else picks the longer
 * response; it answers both orders, flipping to the first position 10% of the time.
 */
function judged(seed: number, groups: number, skill: number): JudgedPair[] {
  const random = createRandom(seed, "judged");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const out: JudgedPair[] = [];
  for (let g = 0; g < groups; g++) {
    const size = 1 + random.nextInt(6);
    for (let i = 0; i < size; i++) {
      const length: Sign = uniform() < 0.1 ? 0 : uniform() < 0.5 ? 1 : -1;
      const longer: Label = length === 1 ? "a" : length === -1 ? "b" : "tie";
      const human: Label =
        uniform() < 0.1 ? "tie" : uniform() < 0.7 && longer !== "tie" ? longer : uniform() < 0.5 ? "a" : "b";
      const judge: Label | null = uniform() < 0.05 ? null : uniform() < skill ? human : longer;
      const original = judge;
      const swapped = judge === null ? null : uniform() < 0.1 ? "a" : unswapLabel(judge);
      const novelty: Sign = uniform() < 0.2 ? null : ((random.nextInt(3) - 1) as Sign);
      out.push({
        group: `g${g}`,
        human,
        judge,
        verdicts: { original, swapped },
        signs: { words: length, novelty },
      });
    }
  }
  return out;
}

describe("judgeAgreement", () => {
  it("gives the figures of labelAgreement and positionConsistency, with their counts", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.integer({ min: 1, max: 40 }), (seed, groups) => {
        const pairs = judged(seed, groups, 0.5);
        const result = judgeAgreement(pairs, { bootstrap: 0 });
        const labelled = pairs.filter((pair) => pair.judge !== null);
        const reference = labelAgreement(
          labelled.map((pair) => pair.human),
          labelled.map((pair) => pair.judge!),
        );
        expect(result.pairs).toBe(reference.pairs);
        expect(result.accuracyWithoutTies.value).toBe(reference.accuracyWithoutTies);
        expect(result.accuracyWithoutTies.of).toBe(reference.decisivePairs);
        expect(result.accuracy.value).toBeCloseTo(reference.accuracy!, 14);
        if (reference.cohenKappa === null) expect(result.cohenKappa.value).toBeNull();
        else expect(result.cohenKappa.value).toBeCloseTo(reference.cohenKappa, 12);
        expect(result.referenceTieRate).toBeCloseTo(reference.referenceTieRate!, 14);
        expect(result.judgeTieRate).toBeCloseTo(reference.candidateTieRate!, 14);
        const consistency = positionConsistency(labelled.map((pair) => pair.verdicts!));
        expect(result.positionConsistency.value).toBe(consistency.value);
        expect(result.positionConsistency.of).toBe(consistency.pairs);
        expect(JudgeAgreementSchema.parse(result)).toEqual(result);
      }),
      { numRuns: 60 },
    );
  });

  it("has the intervals of a cluster bootstrap that copies the drawn clusters' pairs, written here", () => {
    const pairs = judged(3, 50, 0.6);
    const B = 120;
    const result = judgeAgreement(pairs, { bootstrap: B, seed: 5 });
    const labelled = pairs.filter((pair) => pair.judge !== null);
    const clusters = [...new Set(labelled.map((pair) => pair.group))];
    const accuracy: number[] = [];
    const kappa: number[] = [];
    const baseline: number[] = [];
    for (let b = 0; b < B; b++) {
      const random = createRandom(5, `bootstrap/${b}`);
      const drawn: JudgedPair[] = [];
      for (let i = 0; i < clusters.length; i++) {
        const cluster = clusters[random.nextInt(clusters.length)]!;
        drawn.push(...labelled.filter((pair) => pair.group === cluster));
      }
      const figures = labelAgreement(
        drawn.map((pair) => pair.human),
        drawn.map((pair) => pair.judge!),
      );
      accuracy.push(figures.accuracyWithoutTies!);
      kappa.push(figures.cohenKappa!);
      const decided = drawn.filter(
        (pair) => pair.human !== "tie" && pair.signs!.words !== 0 && pair.signs!.words !== null,
      );
      baseline.push(
        decided.filter((pair) => (pair.signs!.words === 1) === (pair.human === "a")).length / decided.length,
      );
    }
    const percentile = (values: number[], q: number) => {
      const sorted = [...values].sort((x, y) => x - y);
      const h = (sorted.length - 1) * q;
      const lo = Math.floor(h);
      return sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!);
    };
    const check = (ci: [number, number] | null, values: number[]) => {
      expect(ci![0]).toBeCloseTo(percentile(values, 0.025), 12);
      expect(ci![1]).toBeCloseTo(percentile(values, 0.975), 12);
    };
    check(result.accuracyWithoutTies.ci95, accuracy);
    check(result.cohenKappa.ci95, kappa);
    check(result.baselines[0]!.accuracyWithoutTies.ci95, baseline);
    expect(result.baselines.map((entry) => entry.factor)).toEqual(["words", "novelty"]);
    expect(result.accuracyWithoutTies.ci95MonteCarloError![0]).toBeGreaterThan(0);
  });

  it("says when a judge is no better than picking the longer response", () => {
    const lengthJudge = judgeAgreement(judged(7, 80, 0), { bootstrap: 300, seed: 1 });
    const [length] = lengthJudge.baselines;
    // This judge is "pick the longer": on the pairs where both decide, it is the baseline exactly.
    expect(length!.judgeMinusBaseline.value).toBe(0);
    expect(length!.judgeMinusBaseline.ci95).toEqual([0, 0]);
    expect(length!.judgeBetter).toBe(false);
    expect(lengthJudge.warnings.join(" ")).toMatch(/not shown to be better than judging by "words" alone/);

    const skilled = judgeAgreement(judged(7, 80, 0.9), { bootstrap: 300, seed: 1 });
    expect(skilled.baselines[0]!.judgeBetter).toBe(true);
    expect(skilled.baselines[0]!.judgeMinusBaseline.ci95![0]).toBeGreaterThan(0);
  });

  it("is unchanged when a and b are swapped everywhere", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.integer({ min: 6, max: 30 }), (seed, groups) => {
        const swap = (label: Label | null) => (label === null ? null : unswapLabel(label));
        const flip = (sign: Sign | undefined) =>
          sign === null || sign === undefined ? null : (-sign as Sign);
        const pairs = judged(seed, groups, 0.5);
        const swapped = pairs.map((pair) => ({
          ...pair,
          human: swap(pair.human)!,
          judge: swap(pair.judge),
          verdicts: { original: swap(pair.verdicts!.original), swapped: swap(pair.verdicts!.swapped) },
          signs: { words: flip(pair.signs!.words), novelty: flip(pair.signs!.novelty) },
        }));
        const options = { bootstrap: 30, seed };
        const forward = judgeAgreement(pairs, options);
        const backward = judgeAgreement(swapped, options);
        expect(backward.accuracyWithoutTies).toEqual(forward.accuracyWithoutTies);
        expect(backward.positionConsistency).toEqual(forward.positionConsistency);
        expect(backward.baselines).toEqual(forward.baselines);
        expect(backward.cohenKappa.value!).toBeCloseTo(forward.cohenKappa.value!, 12);
      }),
      { numRuns: 40 },
    );
  });

  it("has no interval below 6 clusters, and refuses a label that is not a, b or tie", () => {
    const few = judgeAgreement(judged(2, 4, 0.5), { bootstrap: 100 });
    expect(few.accuracyWithoutTies.ci95).toBeNull();
    expect(few.warnings[0]).toMatch(/Only 4 clusters in the judge agreement/);
    expect(() => judgeAgreement([{ group: "g", human: "A" as Label, judge: "a" }])).toThrow(
      expect.objectContaining({ code: "invalid_label" }),
    );
  });
});
