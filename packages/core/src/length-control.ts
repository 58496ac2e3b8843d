import { type Label, labelToPreference, ProfilekitError, type Sign } from "@profilekit/spec";
import { z } from "zod";
import { type FactorCounts, kendallTau } from "./kendall.js";
import { type ManifestationLike, tabulateManifestations } from "./manifestation-table.js";

/**
 * A length-controlled factor score: Kendall's partial tau (Kendall 1942) of preference p and
 * factor f given length L,
 *
 *     tau_{pf.L} = (tau_pf - tau_pL tau_fL) / sqrt((1 - tau_pL^2)(1 - tau_fL^2)),
 *
 * where each tau is tau_b over pairs in PROFILE's sense: every pair is one comparison of its two
 * responses, and for two sign columns x, y in {-1, 0, 1}
 *
 *     tau_b(x, y) = sum_i x_i y_i / sqrt(sum_i x_i^2 * sum_i y_i^2)
 *
 * (for x = p and y = m this is (C - D) / sqrt((C + D + Tp)(C + D + Tf)), the "taub" of
 * kendall_cases.json). All three taus are taken over the same pairs: those where both f and L
 * were measured (ties in the label included, as tau_b includes them). On one set of pairs the
 * three taus are cosines of three vectors, so the partial tau lies in [-1, 1].
 */
export const LengthControlledScoreSchema = z.object({
  factor: z.string().min(1),
  pairs: z.number().int().nonnegative().describe("Pairs where both the factor and length were measured."),
  tauB: z.number().min(-1).max(1).nullable().describe("tau_b(p, f) over those pairs: the raw score."),
  partialTauB: z
    .number()
    .min(-1)
    .max(1)
    .nullable()
    .describe("tau_{pf.L}; null when |tau_pL| or |tau_fL| is 1 or a tau is undefined."),
  lengthTauB: z.number().min(-1).max(1).nullable().describe("tau_b(p, L) over the same pairs."),
  factorLengthTauB: z.number().min(-1).max(1).nullable().describe("tau_b(f, L) over the same pairs."),
});
export type LengthControlledScore = z.infer<typeof LengthControlledScoreSchema>;

/** A sign that was measured: -1, 0 or 1. */
export type MeasuredSign = NonNullable<Sign>;

/**
 * tau_b between two sign columns over pairs (see above), from the five counts of kendall.ts with
 * x in the role of the preference; null when either column is all 0.
 */
export function signTauB(x: readonly MeasuredSign[], y: readonly MeasuredSign[]): number | null {
  const counts: FactorCounts = {
    concordant: 0,
    discordant: 0,
    factorTies: 0,
    preferenceOnlyTies: 0,
    bothTies: 0,
  };
  for (let i = 0; i < x.length; i++) {
    const product = x[i]! * y[i]!;
    if (product === 1) counts.concordant++;
    else if (product === -1) counts.discordant++;
    else if (x[i] !== 0) counts.factorTies++;
    else if (y[i] !== 0) counts.preferenceOnlyTies++;
    else counts.bothTies++;
  }
  return kendallTau(counts, "taub");
}

/**
 * Kendall's partial tau of x and y given z from the three pairwise taus; null when one is null
 * or |tau_xz| or |tau_yz| is 1 (z determines x or y, nothing is left to correlate).
 */
export function partialTau(tauXY: number | null, tauXZ: number | null, tauYZ: number | null): number | null {
  if (tauXY === null || tauXZ === null || tauYZ === null) return null;
  const denominator = Math.sqrt((1 - tauXZ * tauXZ) * (1 - tauYZ * tauYZ));
  if (denominator === 0) return null;
  return Math.max(-1, Math.min(1, (tauXY - tauXZ * tauYZ) / denominator));
}

/**
 * The length-controlled score of every factor other than length itself. `lengthFactor` names
 * the length factor (default "length"); `factors` picks and orders the others (default: order of
 * first appearance in the manifestations).
 */
export function lengthControlledScores(
  pairs: readonly { id: string; label: Label }[],
  manifestations: readonly ManifestationLike[],
  options: { lengthFactor?: string; factors?: readonly string[] } = {},
): LengthControlledScore[] {
  const lengthFactor = options.lengthFactor ?? "length";
  const others = (options.factors ?? [...new Set(manifestations.map((m) => m.factor))]).filter(
    (factor) => factor !== lengthFactor,
  );
  const table = tabulateManifestations(pairs, manifestations, [lengthFactor, ...others]);
  const lengthSigns = table.rows.map((row) => row[0]?.sign ?? null);
  if (lengthSigns.every((sign) => sign === null)) {
    throw new ProfilekitError(
      "missing_length_factor",
      `No pair has a measured "${lengthFactor}", so nothing can be controlled for length.`,
      {
        hint: `Extract the "${lengthFactor}" factor together with the others, or name the length factor you used.`,
        location: { factor: lengthFactor },
      },
    );
  }
  const preferences = pairs.map((pair) => labelToPreference(pair.label));
  return others.map((factor, k) => {
    const p: MeasuredSign[] = [];
    const f: MeasuredSign[] = [];
    const l: MeasuredSign[] = [];
    table.rows.forEach((row, i) => {
      const sign: Sign = row[k + 1]?.sign ?? null;
      const length = lengthSigns[i]!;
      if (sign === null || length === null) return;
      p.push(preferences[i]!);
      f.push(sign);
      l.push(length);
    });
    const tauB = signTauB(p, f);
    const lengthTauB = signTauB(p, l);
    const factorLengthTauB = signTauB(f, l);
    return {
      factor,
      pairs: p.length,
      tauB,
      partialTauB: partialTau(tauB, lengthTauB, factorLengthTauB),
      lengthTauB,
      factorLengthTauB,
    };
  });
}
