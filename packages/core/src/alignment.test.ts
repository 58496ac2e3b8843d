import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AlignmentSchema,
  alignProfiles,
  GenerationEvaluationGapSchema,
  generationEvaluationGap,
  type ProfileLike,
} from "./alignment.js";

const Z = 1.959963984540054;

/** A factor score whose 95% interval is tau +- Z * se (se = 0: no interval). */
function score(factor: string, tau: number | null, se = 0) {
  return { factor, tau, ci95: se === 0 ? null : ([tau! - Z * se, tau! + Z * se] as [number, number]) };
}

describe("alignProfiles on a hand-computed case", () => {
  const human: ProfileLike = {
    variant: "tau14",
    factors: [
      { factor: "length", tau: 0.4, ci95: [0.3, 0.5] },
      { factor: "fluency", tau: 0.1, ci95: [0, 0.2] },
      { factor: "hallucination", tau: -0.3, ci95: [-0.4, -0.2] },
      { factor: "coherence", tau: 0.05, ci95: null },
      { factor: "only-human", tau: 0.9, ci95: [0.8, 1] },
      { factor: "unscored", tau: null, ci95: null },
    ],
  };
  const model: ProfileLike = {
    variant: "tau14",
    factors: [
      { factor: "unscored", tau: 0.5, ci95: [0.4, 0.6] },
      { factor: "coherence", tau: -0.2, ci95: [-0.3, -0.1] },
      { factor: "hallucination", tau: -0.15, ci95: [-0.2, -0.1] },
      { factor: "fluency", tau: 0.05, ci95: [0, 0.1] },
      { factor: "length", tau: 0.6, ci95: [0.5, 0.7] },
      { factor: "only-model", tau: -0.9, ci95: null },
    ],
  };
  const alignment = alignProfiles(human, model, { seed: 7, replicates: 500 });

  it("compares the 4 factors scored in both, in the reference's order", () => {
    expect(alignment.factors.map((f) => f.factor)).toEqual([
      "length",
      "fluency",
      "hallucination",
      "coherence",
    ]);
    expect(alignment.factors[0]).toMatchObject({ a: 0.4, b: 0.6 });
  });

  it("rank correlations: one discordant pair of 6 (hallucination/coherence)", () => {
    // Ranks human 4,3,1,2 and model 4,3,2,1: tau_b = (5 - 1) / 6; rho = 1 - 6 * 2 / (4 * 15).
    expect(alignment.kendallTauB.value).toBeCloseTo(2 / 3, 15);
    expect(alignment.spearman.value).toBeCloseTo(0.8, 15);
  });

  it("gaps b - a with a normal interval of half-width 1.96 sqrt(seA^2 + seB^2)", () => {
    // length: both intervals 0.2 wide, se = 0.1 / 1.96 each, half-width 0.1 * sqrt(2).
    const [length, fluency, hallucination, coherence] = alignment.factors;
    expect(length!.gap).toBeCloseTo(0.2, 15);
    expect(length!.ci95![0]).toBeCloseTo(0.2 - 0.1 * Math.SQRT2, 12);
    expect(length!.ci95![1]).toBeCloseTo(0.2 + 0.1 * Math.SQRT2, 12);
    // fluency: widths 0.2 and 0.1, half-width sqrt(0.1^2 + 0.05^2).
    expect(fluency!.ci95![0]).toBeCloseTo(-0.05 - Math.sqrt(0.0125), 12);
    expect(hallucination!.gap).toBeCloseTo(0.15, 15);
    // coherence: the human side has no interval.
    expect(coherence!.gap).toBeCloseTo(-0.25, 15);
    expect(coherence!.ci95).toBeNull();
  });

  it("lists what the model weighs more and less, largest shift first", () => {
    expect(alignment.weighsMore.map((f) => [f.factor, f.ciExcludesZero])).toEqual([
      ["length", true],
      ["hallucination", true], // 0.15 +- 0.112
    ]);
    expect(alignment.weighsLess.map((f) => [f.factor, f.ciExcludesZero])).toEqual([
      ["coherence", false], // no interval
      ["fluency", false], // -0.05 +- 0.112
    ]);
  });

  it("top-3 by |tau|: {length, hallucination, fluency} and {length, coherence, hallucination} share 2", () => {
    expect(alignment.top3Overlap).toBe(2);
  });

  it("sign agreement: coherence is + for one and - for the other", () => {
    expect(alignment.signAgreement).toBe(0.75);
  });

  it("fits the alignment.json schema and is reproducible from its seed", () => {
    expect(AlignmentSchema.parse(alignment)).toEqual(alignment);
    expect(alignProfiles(human, model, { seed: 7, replicates: 500 })).toEqual(alignment);
  });
});

describe("the parametric bootstrap", () => {
  // Reference 0.3 > 0.2 > 0.1, fixed. The other profile is 0.2 > 0.0 > -0.5 with only the first
  // factor uncertain (sd s). A replicate reorders it iff the draw falls below 0.0 (below -0.5 has
  // probability < 1e-8 here), which happens with probability Phi(-0.2 / s) and turns tau_b from
  // 1 into 1/3 and rho from 1 into 0.5. With 4000 replicates the 2.5% percentile is therefore 1
  // when that probability is 1% (about 40 reordered draws, far below the 100 needed) and 1/3
  // when it is 5% (about 200). s = 0.2 / Phi^-1(0.99) and 0.2 / Phi^-1(0.95) (scipy.stats.norm).
  const reference: ProfileLike = { factors: [score("x", 0.3), score("y", 0.2), score("z", 0.1)] };
  const uncertain = (s: number): ProfileLike => ({
    factors: [score("x", 0.2, s), score("y", 0), score("z", -0.5)],
  });

  it("keeps the order when a reversal has probability 1%", () => {
    const alignment = alignProfiles(reference, uncertain(0.08597166495679866), { replicates: 4000, seed: 1 });
    expect(alignment.kendallTauB).toEqual({ value: 1, ci95: [1, 1] });
    expect(alignment.spearman).toEqual({ value: 1, ci95: [1, 1] });
  });

  it("reaches the reversed order when it has probability 5%", () => {
    const alignment = alignProfiles(reference, uncertain(0.12159136638235384), { replicates: 4000, seed: 1 });
    expect(alignment.kendallTauB.value).toBe(1);
    expect(alignment.kendallTauB.ci95![0]).toBeCloseTo(1 / 3, 12);
    expect(alignment.kendallTauB.ci95![1]).toBe(1);
    expect(alignment.spearman.ci95![0]).toBeCloseTo(0.5, 12);
  });

  it("gives no interval when no factor has one, or with 0 replicates", () => {
    const fixed: ProfileLike = { factors: [score("x", 0.1), score("y", 0.3), score("z", 0.2)] };
    expect(alignProfiles(reference, fixed).kendallTauB).toEqual({ value: -1 / 3, ci95: null });
    expect(alignProfiles(reference, uncertain(0.1), { replicates: 0 }).spearman.ci95).toBeNull();
  });

  it("gives null statistics, not errors, with fewer than 2 common factors", () => {
    const alignment = alignProfiles(reference, { factors: [score("x", 0.5, 0.1)] });
    expect(alignment.kendallTauB).toEqual({ value: null, ci95: null });
    expect(alignment.signAgreement).toBe(1);
    expect(alignment.top3Overlap).toBe(1);
    const disjoint = alignProfiles(reference, { factors: [score("w", 0.5)] });
    expect(disjoint.signAgreement).toBeNull();
    expect(disjoint.factors).toEqual([]);
  });
});

describe("input checks", () => {
  it("refuses profiles computed with different variants", () => {
    expect(() => alignProfiles({ variant: "tau14", factors: [] }, { variant: "taub", factors: [] })).toThrow(
      /different Kendall variants \(tau14, taub\)/,
    );
  });

  it("refuses a factor listed twice and an inverted interval", () => {
    expect(() => alignProfiles({ factors: [score("x", 0.1), score("x", 0.2)] }, { factors: [] })).toThrow(
      /"x" appears twice/,
    );
    expect(() =>
      alignProfiles({ factors: [{ factor: "x", tau: 0.1, ci95: [0.2, 0] }] }, { factors: [] }),
    ).toThrow(/ci95 \[0.2, 0\]/);
  });

  it("refuses invalid options", () => {
    expect(() => alignProfiles({ factors: [] }, { factors: [] }, { replicates: -1 })).toThrow(/replicates/);
  });
});

describe("properties", () => {
  const profile = fc
    .uniqueArray(fc.constantFrom("a1", "a2", "a3", "a4", "a5", "a6", "a7"), { minLength: 0, maxLength: 7 })
    .chain((names) =>
      fc.tuple(
        ...names.map((name) =>
          fc.record({
            factor: fc.constant(name),
            tau: fc.option(fc.integer({ min: -10, max: 10 }).map((k) => k / 10)),
            se: fc.constantFrom(0, 0.05, 0.2),
          }),
        ),
      ),
    )
    .map(
      (entries): ProfileLike => ({
        factors: entries.map((e) => score(e.factor, e.tau, e.tau === null ? 0 : e.se)),
      }),
    );

  it("swapping the profiles keeps the symmetric figures and negates the gaps", () => {
    fc.assert(
      fc.property(profile, profile, (a, b) => {
        const forward = alignProfiles(a, b, { replicates: 20 });
        const backward = alignProfiles(b, a, { replicates: 20 });
        AlignmentSchema.parse(forward);
        expect(backward.kendallTauB.value).toBe(forward.kendallTauB.value);
        if (forward.spearman.value === null) expect(backward.spearman.value).toBeNull();
        else expect(backward.spearman.value).toBeCloseTo(forward.spearman.value, 12);
        expect(backward.signAgreement).toBe(forward.signAgreement);
        expect(backward.top3Overlap).toBe(forward.top3Overlap);
        expect(new Set(backward.weighsLess.map((f) => f.factor))).toEqual(
          new Set(forward.weighsMore.map((f) => f.factor)),
        );
        for (const entry of forward.factors) {
          const mirrored = backward.factors.find((f) => f.factor === entry.factor)!;
          expect(mirrored.gap).toBeCloseTo(-entry.gap, 12);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a profile against itself: tau_b = rho = 1, all signs agree, top-3 overlap is min(3, n)", () => {
    fc.assert(
      fc.property(profile, (a) => {
        const alignment = alignProfiles(a, a, { replicates: 0 });
        const scored = a.factors.filter((f) => f.tau !== null);
        const constant = scored.every((f) => f.tau === scored[0]!.tau);
        expect(alignment.kendallTauB.value).toBe(constant ? null : 1);
        expect(alignment.signAgreement).toBe(scored.length === 0 ? null : 1);
        expect(alignment.top3Overlap).toBe(Math.min(3, scored.length));
        expect(alignment.weighsMore).toEqual([]);
        expect(alignment.weighsLess).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe("generationEvaluationGap", () => {
  const human: ProfileLike = {
    factors: [
      score("length", 0.2, 0.1),
      score("fluency", 0.3, 0.1),
      score("coherence", 0.1, 0.1),
      score("hallucination", -0.3, 0.1),
    ],
  };
  const evaluation: ProfileLike = {
    factors: [
      score("length", 0.25),
      score("fluency", 0.35),
      score("coherence", 0.05),
      score("hallucination", -0.2),
    ],
  };
  const generation: ProfileLike = {
    factors: [
      score("length", 0.6),
      score("fluency", -0.1),
      score("coherence", 0.0),
      score("hallucination", 0.1),
    ],
  };

  it("reports both alignments exactly as alignProfiles does, and their tau_b difference", () => {
    const gap = generationEvaluationGap({ human, evaluation, generation }, { seed: 3, replicates: 300 });
    expect(GenerationEvaluationGapSchema.parse(gap)).toEqual(gap);
    expect(gap.evaluation).toEqual(alignProfiles(human, evaluation, { seed: 3, replicates: 300 }));
    expect(gap.generation).toEqual(alignProfiles(human, generation, { seed: 3, replicates: 300 }));
    // evaluation ranks the 4 factors as the human does (tau_b 1); generation orders them
    // length > hallucination > coherence > fluency against the human's fluency > length >
    // coherence > hallucination. Pairs: (fl,le) -, (fl,co) -, (fl,ha) -, (le,co) +, (le,ha) +,
    // (co,ha) -, so tau_b = (2 - 4) / 6.
    expect(gap.evaluation.kendallTauB.value).toBe(1);
    expect(gap.generation.kendallTauB.value).toBeCloseTo(-1 / 3, 15);
    expect(gap.tauBDifference.value).toBeCloseTo(4 / 3, 15);
    expect(gap.tauBDifference.ci95![0]).toBeLessThanOrEqual(gap.tauBDifference.ci95![1]);
  });

  it("draws the human profile once per replicate for both sides", () => {
    // With identical, fixed model profiles the two correlations are computed against the same
    // human draw in every replicate, so every replicate difference is exactly 0. Drawing the
    // human twice would spread them.
    const gap = generationEvaluationGap({ human, evaluation, generation: evaluation }, { replicates: 400 });
    expect(gap.tauBDifference).toEqual({ value: 0, ci95: [0, 0] });
    expect(gap.evaluation.kendallTauB.ci95![0]).toBeLessThan(1);
  });
});
