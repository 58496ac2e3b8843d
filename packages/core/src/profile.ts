import { type Manifestation, type Pair, ProfilekitError, type Sign } from "@profilekit/spec";
import { z } from "zod";
import { ProfileAccumulator } from "./accumulator.js";
import { bootstrapReplicates, percentileInterval } from "./bootstrap.js";
import { groupKeyOf } from "./group-key.js";
import {
  BOTH_TIES,
  CELLS,
  CONCORDANT,
  countByGroup,
  DISCORDANT,
  FACTOR_TIES,
  PREFERENCE_ONLY_TIES,
  totalCounts,
} from "./group-counts.js";
import { allKendallVariants, type FactorCounts, KendallVariantSchema } from "./kendall.js";
import { signFlipPValues } from "./permutation.js";
import type { FactorScore, Profile } from "./profile-schema.js";

/** B by default: enough replicates for stable 95% percentile intervals. */
export const defaultBootstrap = 1000;
/** R by default: p-values down to 1e-4, within the scoring time target. */
export const defaultPermutations = 9999;

/** How a profile is computed. */
export const ProfileOptionsSchema = z.object({
  /** The variant reported as `tau`, bootstrapped and tested. */
  variant: KendallVariantSchema.default("tau14"),
  /** B, clustered bootstrap replicates; 0 disables the interval. */
  bootstrap: z.number().int().nonnegative().default(defaultBootstrap),
  /** R, sign-flip replicates; 0 disables the p-value. */
  permutations: z.number().int().nonnegative().default(defaultPermutations),
  seed: z.number().int().default(0),
});
export type ProfileOptions = z.input<typeof ProfileOptionsSchema>;

/**
 * Scores every factor of the accumulator: counts, all variants, the chosen variant as `tau`
 * with its 95% clustered-bootstrap interval and its sign-flip p-value. Bootstrap and
 * permutation replicates are drawn per group and shared by all factors. The same pairs,
 * options and seed give the same profile.
 */
export function computeProfile(accumulator: ProfileAccumulator, options: ProfileOptions = {}): Profile {
  const parsed = ProfileOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid profile options: ${z.prettifyError(parsed.error)}`,
      {
        hint: "variant is one of tau14, taub, tau10, tau13, tau23, acc23; bootstrap, permutations and seed are integers.",
      },
    );
  }
  const { variant, bootstrap, permutations, seed } = parsed.data;
  const table = countByGroup(accumulator);
  const totals = totalCounts(table);
  const replicates = bootstrap > 0 ? bootstrapReplicates(table, variant, bootstrap, seed) : undefined;
  const pValues = permutations > 0 ? signFlipPValues(table, permutations, seed) : undefined;

  const factors = accumulator.factorIds.map((factor, f): FactorScore => {
    const o = f * CELLS;
    const counts: FactorCounts = {
      concordant: totals[o + CONCORDANT]!,
      discordant: totals[o + DISCORDANT]!,
      factorTies: totals[o + FACTOR_TIES]!,
      preferenceOnlyTies: totals[o + PREFERENCE_ONLY_TIES]!,
      bothTies: totals[o + BOTH_TIES]!,
    };
    const variants = allKendallVariants(counts);
    const tau = variants[variant];
    const { interval, valid } = replicates
      ? percentileInterval(replicates[f]!, 0.95)
      : { interval: null, valid: 0 };
    return {
      factor,
      tau,
      ci95: interval,
      concordant: counts.concordant,
      discordant: counts.discordant,
      factorTies: counts.factorTies,
      preferenceTies: counts.preferenceOnlyTies + counts.bothTies,
      preferenceOnlyTies: counts.preferenceOnlyTies,
      bothTies: counts.bothTies,
      missing: table.missing[f]!,
      pValue: pValues && tau !== null ? pValues[f]! : null,
      bootstrapValid: valid,
      variants,
    };
  });

  let preferenceTies = 0;
  for (const p of accumulator.preferences()) if (p === 0) preferenceTies++;
  return {
    schemaVersion: 1,
    variant,
    pairs: accumulator.size,
    preferenceTies,
    groups: table.groups,
    seed,
    bootstrap,
    permutations,
    factors,
  };
}

/**
 * The profile of pairs held in memory with their manifestations. `factors` fixes the factor
 * order (default: order of first appearance in `manifestations`; manifestations of other
 * factors are ignored). A pair without a manifestation for a factor counts as missing.
 */
export function profileFromManifestations(
  pairs: readonly Pair[],
  manifestations: readonly Manifestation[],
  options: ProfileOptions & { factors?: readonly string[] } = {},
): Profile {
  const { factors: chosen, ...profileOptions } = options;
  const factorIds = chosen ?? [...new Set(manifestations.map((m) => m.factor))];
  const factorIndex = new Map(factorIds.map((id, f) => [id, f]));
  const signsByPair = new Map<string, Sign[]>();
  for (const pair of pairs) {
    if (signsByPair.has(pair.id)) {
      throw new ProfilekitError("duplicate_pair_id", `Two pairs have the id "${pair.id}".`, {
        hint: "Give every pair a unique id.",
        location: { pairId: pair.id },
      });
    }
    signsByPair.set(
      pair.id,
      factorIds.map(() => null),
    );
  }
  const seen = new Set<string>();
  for (const manifestation of manifestations) {
    const f = factorIndex.get(manifestation.factor);
    if (f === undefined) continue;
    const signs = signsByPair.get(manifestation.pairId);
    const location = { pairId: manifestation.pairId, factor: manifestation.factor };
    if (signs === undefined) {
      throw new ProfilekitError(
        "unknown_pair",
        `A manifestation of "${manifestation.factor}" names pair "${manifestation.pairId}", which is not among the pairs.`,
        { hint: "Score the manifestations together with the pairs they were extracted from.", location },
      );
    }
    const key = JSON.stringify([manifestation.pairId, manifestation.factor]);
    if (seen.has(key)) {
      throw new ProfilekitError(
        "duplicate_manifestation",
        `Pair "${manifestation.pairId}" has two manifestations of "${manifestation.factor}".`,
        { hint: "Keep one manifestation per pair and factor.", location },
      );
    }
    seen.add(key);
    signs[f] = manifestation.sign;
  }
  const accumulator = new ProfileAccumulator(factorIds);
  for (const pair of pairs) accumulator.add(pair.label, groupKeyOf(pair), signsByPair.get(pair.id)!);
  return computeProfile(accumulator, profileOptions);
}
