import {
  type ClusterLevel,
  type Label,
  labelToPreference,
  type Pair,
  ProfilekitError,
  type Sign,
} from "@profilekit/spec";
import { z } from "zod";
import { drawGroupWeights, percentileInterval, percentileMonteCarloError } from "./bootstrap.js";
import { fewClustersWarning, minimumClusters } from "./few-clusters.js";
import { clusterKeyOf } from "./group-key.js";
import { pValueMonteCarloError } from "./permutation.js";
import { createRandom } from "./random.js";
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
  ci95: z
    .tuple([z.number(), z.number()])
    .nullable()
    .optional()
    .describe("95% clustered-bootstrap percentile interval of partialTauB (when bootstrap > 0)."),
  pValue: z
    .number()
    .gt(0)
    .max(1)
    .nullable()
    .optional()
    .describe(
      "Bootstrap p-value of partialTauB = 0, the dual of the percentile interval (when bootstrap > 0).",
    ),
  ci95MonteCarloError: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable().optional(),
  pValueMonteCarloError: z.number().nonnegative().nullable().optional(),
  bootstrapValid: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("Replicates whose partial tau was not null."),
  note: z.string().optional().describe("Why the interval is missing or weak (too few clusters)."),
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

/** A pair as the length-controlled score reads it: its label and what `clusterKeyOf` needs. */
export type LengthControlPair = { id: string; label: Label } & Partial<
  Pick<Pair, "group" | "source" | "prompt" | "meta">
>;

/** How the length-controlled scores are computed. */
export interface LengthControlOptions {
  /** The length factor's id (default "length"). */
  lengthFactor?: string;
  /** The other factors, in order (default: order of first appearance in the manifestations). */
  factors?: readonly string[];
  /** B, clustered bootstrap replicates for ci95 and pValue; 0 (the default) leaves both out. */
  bootstrap?: number;
  seed?: number;
  /** How the pairs are clustered (default auto: groupKeyOf). */
  clusterLevel?: ClusterLevel;
}

/**
 * The length-controlled score of every factor other than length itself. With `bootstrap` B > 0
 * each score gains a clustered-bootstrap interval and p-value: clusters (by `clusterLevel`, in
 * order of first appearance over all the pairs) are drawn as the profile draws them, replicate b
 * from `createRandom(seed, "bootstrap/<b>")`, so the same pairs in the same order with the same
 * seed get the profile's own group draws. Per replicate the partial tau is recomputed from the
 * weighted per-cluster sums of p f, p L, f L, p^2, f^2 and L^2;
 *
 *     ci95   = type-7 percentile interval of the valid replicates
 *     pValue = min(1, 2 (1 + min(#{tau* <= 0}, #{tau* >= 0})) / (B_valid + 1))
 *
 * the smallest level at which the equal-tailed percentile interval excludes 0. Below 6 clusters
 * both are null and a note says why; below 30 the note warns that they may under-cover.
 */
export function lengthControlledScores(
  pairs: readonly LengthControlPair[],
  manifestations: readonly ManifestationLike[],
  options: LengthControlOptions = {},
): LengthControlledScore[] {
  const lengthFactor = options.lengthFactor ?? "length";
  const bootstrap = options.bootstrap ?? 0;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(bootstrap) || bootstrap < 0 || !Number.isInteger(seed)) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid length-control options: bootstrap ${bootstrap}, seed ${seed}.`,
      { hint: "bootstrap is a non-negative integer and seed an integer." },
    );
  }
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
  const clusterLevel = options.clusterLevel ?? "auto";
  const groupOf = new Map<string, number>();
  const pairGroup = pairs.map((pair) => {
    const key = clusterKeyOf(pair, clusterLevel);
    let group = groupOf.get(key);
    if (group === undefined) {
      group = groupOf.size;
      groupOf.set(key, group);
    }
    return group;
  });
  const groups = groupOf.size;

  return others.map((factor, k) => {
    const p: MeasuredSign[] = [];
    const f: MeasuredSign[] = [];
    const l: MeasuredSign[] = [];
    // Per cluster: sums of p f, p L, f L, p^2, f^2, L^2 over the pairs with f and L measured.
    const sums = new Float64Array(groups * SUMS);
    table.rows.forEach((row, i) => {
      const sign: Sign = row[k + 1]?.sign ?? null;
      const length = lengthSigns[i]!;
      if (sign === null || length === null) return;
      const preference = preferences[i]!;
      p.push(preference);
      f.push(sign);
      l.push(length);
      const o = pairGroup[i]! * SUMS;
      sums[o]! += preference * sign;
      sums[o + 1]! += preference * length;
      sums[o + 2]! += sign * length;
      sums[o + 3]! += preference * preference;
      sums[o + 4]! += sign * sign;
      sums[o + 5]! += length * length;
    });
    const tauB = signTauB(p, f);
    const lengthTauB = signTauB(p, l);
    const factorLengthTauB = signTauB(f, l);
    const partialTauB = partialTau(tauB, lengthTauB, factorLengthTauB);
    const score: LengthControlledScore = {
      factor,
      pairs: p.length,
      tauB,
      partialTauB,
      lengthTauB,
      factorLengthTauB,
    };
    if (bootstrap === 0) return score;
    return { ...score, ...bootstrapPartialTau(sums, groups, partialTauB, bootstrap, seed) };
  });
}

/** p f, p L, f L, p^2, f^2, L^2: the sums per cluster behind the three taus. */
const SUMS = 6;

function bootstrapPartialTau(
  sums: Float64Array,
  groups: number,
  estimate: number | null,
  bootstrap: number,
  seed: number,
): Pick<
  LengthControlledScore,
  "ci95" | "pValue" | "ci95MonteCarloError" | "pValueMonteCarloError" | "bootstrapValid" | "note"
> {
  const warning = fewClustersWarning(groups, "length-controlled score", "percentile-bootstrap");
  if (estimate === null || groups < minimumClusters) {
    return {
      ci95: null,
      pValue: null,
      ci95MonteCarloError: null,
      pValueMonteCarloError: null,
      bootstrapValid: 0,
      ...(warning === undefined ? {} : { note: warning }),
    };
  }
  const replicates = new Float64Array(bootstrap);
  const weights = new Int32Array(groups);
  const total = new Float64Array(SUMS);
  for (let b = 0; b < bootstrap; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    total.fill(0);
    for (let g = 0; g < groups; g++) {
      const w = weights[g]!;
      if (w === 0) continue;
      for (let j = 0; j < SUMS; j++) total[j]! += w * sums[g * SUMS + j]!;
    }
    const tau = (xy: number, xx: number, yy: number) =>
      xx === 0 || yy === 0 ? null : xy / Math.sqrt(xx * yy);
    const value = partialTau(
      tau(total[0]!, total[3]!, total[4]!),
      tau(total[1]!, total[3]!, total[5]!),
      tau(total[2]!, total[4]!, total[5]!),
    );
    replicates[b] = value ?? Number.NaN;
  }
  const { interval, valid } = percentileInterval(replicates, 0.95);
  let below = 0;
  let above = 0;
  for (const value of replicates) {
    if (Number.isNaN(value)) continue;
    if (value <= 0) below++;
    if (value >= 0) above++;
  }
  const pValue = valid === 0 ? null : Math.min(1, (2 * (1 + Math.min(below, above))) / (valid + 1));
  return {
    ci95: interval,
    pValue,
    ci95MonteCarloError: percentileMonteCarloError(replicates, 0.95),
    pValueMonteCarloError: pValue === null ? null : pValueMonteCarloError(pValue, valid, false),
    bootstrapValid: valid,
    ...(warning === undefined ? {} : { note: warning }),
  };
}
