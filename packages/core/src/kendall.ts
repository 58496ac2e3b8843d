import { z } from "zod";

/**
 * The sufficient statistics of one factor over the pairs where it was measured, with
 * p = +1 / -1 / 0 for a label a / b / tie and m the factor's sign.
 */
export interface FactorCounts {
  /** C: p * m = +1, the preferred response shows more of the factor. */
  concordant: number;
  /** D: p * m = -1. */
  discordant: number;
  /** Tf: p != 0 and m = 0, a preference with the factor tied. */
  factorTies: number;
  /** Tp: p = 0 and m != 0, tied only in the preference. */
  preferenceOnlyTies: number;
  /** Tb: p = 0 and m = 0, tied in both. */
  bothTies: number;
}

/**
 * The Kendall-tau variants of Deutsch, Foster and Freitag (2023, "Ties Matter"), as
 * the reference cases (shared/reference/kendall_cases.json) define them on the five counts:
 * - tau14 = (C - D) / (C + D + Tf), PROFILE's choice and the default;
 * - taub  = (C - D) / sqrt((C + D + Tp)(C + D + Tf));
 * - tau10 = (C - D - Tf) / (C + D + Tf);
 * - tau13 = (C - D) / (C + D);
 * - tau23 = (C + Tb - D - Tp - Tf) / (C + D + Tp + Tf + Tb);
 * - acc23 = (C + Tb) / (C + D + Tp + Tf + Tb).
 * A variant whose denominator is 0 is null.
 */
export const KendallVariantSchema = z.enum(["tau14", "taub", "tau10", "tau13", "tau23", "acc23"]);
export type KendallVariant = z.infer<typeof KendallVariantSchema>;

/** Every variant's value on one set of counts. */
export type KendallVariants = Record<KendallVariant, number | null>;

export const kendallVariants: readonly KendallVariant[] = KendallVariantSchema.options;

/** Coefficients on the five counts, in the order [C, D, Tf, Tp, Tb]. */
type Coefficients = readonly [number, number, number, number, number];

/**
 * Each variant as linear terms of the counts: the first is the numerator, the others the
 * denominator (one term, or two whose geometric mean it is, for taub). Sums of terms over
 * groups are all a bootstrap replicate needs.
 */
// biome-ignore format: one row per variant, to read beside the formulas above
export const kendallTerms: Readonly<Record<KendallVariant, readonly Coefficients[]>> = {
  //       numerator           denominator
  tau14: [[1, -1, 0, 0, 0],   [1, 1, 1, 0, 0]],
  taub:  [[1, -1, 0, 0, 0],   [1, 1, 0, 1, 0], [1, 1, 1, 0, 0]],
  tau10: [[1, -1, -1, 0, 0],  [1, 1, 1, 0, 0]],
  tau13: [[1, -1, 0, 0, 0],   [1, 1, 0, 0, 0]],
  tau23: [[1, -1, -1, -1, 1], [1, 1, 1, 1, 1]],
  acc23: [[1, 0, 0, 0, 1],    [1, 1, 1, 1, 1]],
};

/**
 * A variant's value from its summed terms (see `kendallTerms`): numerator / denominator, or
 * numerator / sqrt(first * second); NaN when the denominator is 0.
 */
export function ratioOfTerms(numerator: number, first: number, second?: number): number {
  const denominator = second === undefined ? first : Math.sqrt(first * second);
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

/** One variant on the five counts; null when its denominator is 0. */
export function kendallTau(counts: FactorCounts, variant: KendallVariant): number | null {
  const cells = [
    counts.concordant,
    counts.discordant,
    counts.factorTies,
    counts.preferenceOnlyTies,
    counts.bothTies,
  ];
  const [numerator, first, second] = kendallTerms[variant].map((coefficients) =>
    coefficients.reduce((sum, coefficient, cell) => sum + coefficient * cells[cell]!, 0),
  );
  const value = ratioOfTerms(numerator!, first!, second);
  return Number.isNaN(value) ? null : value;
}

/** Every variant on the five counts. */
export function allKendallVariants(counts: FactorCounts): KendallVariants {
  return Object.fromEntries(kendallVariants.map((v) => [v, kendallTau(counts, v)])) as KendallVariants;
}
