import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import type { ProfileAccumulator } from "./accumulator.js";
import { bootstrapReplicates, percentileInterval, percentileMonteCarloError } from "./bootstrap.js";
import {
  BOTH_TIES,
  CELLS,
  CONCORDANT,
  type CountTable,
  countByGroup,
  DISCORDANT,
  FACTOR_TIES,
  PREFERENCE_ONLY_TIES,
  totalCounts,
} from "./count-table.js";
import { fewClusters, fewClustersWarning, type IntervalMethod, minimumClusters } from "./few-clusters.js";
import { countTableOf, type GroupCounts } from "./group-counts.js";
import { allKendallVariants, type FactorCounts, KendallVariantSchema } from "./kendall.js";
import {
  exactSignFlipGroups,
  exactSignFlipPValues,
  pValueMonteCarloError,
  signFlipPValues,
} from "./permutation.js";
import type { FactorScore, Profile } from "./profile-schema.js";
import { signFlipIntervals, signFlipPatterns } from "./sign-flip-interval.js";

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
  /**
   * "auto": the percentile bootstrap from fewClusters (30) groups, the inverted sign-flip test
   * from minimumClusters (6) to 29, no interval below 6 (recommended); or one method whatever
   * the group count (sign-flip inversion takes at most 31 groups).
   */
  interval: z.enum(["auto", "percentile-bootstrap", "sign-flip-inversion"]).default("auto"),
  /** How the group keys were derived (a ClusterLevel), recorded in the profile. */
  clusterLevel: z.string().min(1).optional(),
});
export type ProfileOptions = z.input<typeof ProfileOptionsSchema>;

/**
 * Scores every factor of the accumulator: counts, all variants, the chosen variant as `tau`
 * with its 95% clustered interval and its sign-flip p-value, each with its Monte Carlo error.
 * Bootstrap and permutation replicates are drawn per group and shared by all factors. The same
 * pairs, options and seed give the same profile.
 */
export function computeProfile(accumulator: ProfileAccumulator, options: ProfileOptions = {}): Profile {
  const parsed = parseProfileOptions(options);
  let preferenceTies = 0;
  for (const p of accumulator.preferences()) if (p === 0) preferenceTies++;
  return scoreTable(
    countByGroup(accumulator),
    accumulator.factorIds,
    accumulator.size,
    preferenceTies,
    parsed,
  );
}

/**
 * The profile that `computeProfile` gave for the accumulator the group counts were taken from
 * (`groupCountsOf`), with the same options: the same bytes. The options' `clusterLevel` defaults
 * to the one the group counts record.
 */
export function profileFromGroupCounts(groupCounts: GroupCounts, options: ProfileOptions = {}): Profile {
  const parsed = parseProfileOptions({
    ...(groupCounts.clusterLevel === undefined ? {} : { clusterLevel: groupCounts.clusterLevel }),
    ...options,
  });
  return scoreTable(
    countTableOf(groupCounts),
    groupCounts.factors,
    groupCounts.pairs,
    groupCounts.preferenceTies,
    parsed,
  );
}

type ParsedOptions = z.output<typeof ProfileOptionsSchema>;

function parseProfileOptions(options: ProfileOptions): ParsedOptions {
  const parsed = ProfileOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid profile options: ${z.prettifyError(parsed.error)}`,
      {
        hint: 'variant is one of tau14, taub, tau10, tau13, tau23, acc23; bootstrap, permutations and seed are integers; interval is "auto", "percentile-bootstrap" or "sign-flip-inversion".',
      },
    );
  }
  return parsed.data;
}

/** The interval method for G groups under the option, or throws when the option cannot hold. */
function intervalMethodFor(groups: number, options: ParsedOptions): IntervalMethod {
  if (options.bootstrap === 0) return "none";
  if (options.interval === "percentile-bootstrap") return "percentile-bootstrap";
  if (options.interval === "sign-flip-inversion") {
    if (groups > 31) {
      throw new ProfilekitError(
        "invalid_options",
        `interval "sign-flip-inversion" takes at most 31 groups; this profile has ${groups}.`,
        { hint: 'Use interval "auto", which inverts the sign-flip test only below 30 groups.' },
      );
    }
    return "sign-flip-inversion";
  }
  if (groups < minimumClusters) return "none";
  return groups < fewClusters ? "sign-flip-inversion" : "percentile-bootstrap";
}

interface FactorInterval {
  interval: [number, number] | null;
  monteCarloError: [number, number] | null;
  valid: number;
}

function scoreTable(
  table: CountTable,
  factorIds: readonly string[],
  pairs: number,
  preferenceTies: number,
  options: ParsedOptions,
): Profile {
  const { variant, bootstrap, permutations, seed } = options;
  const totals = totalCounts(table);
  const intervalMethod = intervalMethodFor(table.groups, options);
  const intervals = factorIntervals(table, intervalMethod, options);
  const exact = table.groups <= exactSignFlipGroups;
  const pValueMethod = permutations === 0 ? "none" : exact ? "exact" : "monte-carlo";
  const pValues =
    pValueMethod === "none"
      ? undefined
      : exact
        ? exactSignFlipPValues(table)
        : signFlipPValues(table, permutations, seed);

  const factors = factorIds.map((factor, f): FactorScore => {
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
    const { interval, monteCarloError, valid } = intervals[f]!;
    const pValue = pValues && tau !== null ? pValues[f]! : null;
    return {
      factor,
      tau,
      ci95: tau === null ? null : interval,
      concordant: counts.concordant,
      discordant: counts.discordant,
      factorTies: counts.factorTies,
      preferenceTies: counts.preferenceOnlyTies + counts.bothTies,
      preferenceOnlyTies: counts.preferenceOnlyTies,
      bothTies: counts.bothTies,
      missing: table.missing[f]!,
      pValue,
      bootstrapValid: valid,
      variants,
      ci95MonteCarloError: tau === null || interval === null ? null : monteCarloError,
      pValueMonteCarloError: pValue === null ? null : pValueMonteCarloError(pValue, permutations, exact),
    };
  });

  const warning = fewClustersWarning(table.groups, "profile", intervalMethod);
  return {
    schemaVersion: 1,
    variant,
    pairs,
    preferenceTies,
    groups: table.groups,
    seed,
    bootstrap,
    permutations,
    factors,
    ...(options.clusterLevel === undefined ? {} : { clusterLevel: options.clusterLevel }),
    intervalMethod,
    pValueMethod,
    warnings: warning === undefined ? [] : [warning],
  };
}

/** Every factor's interval by the chosen method, with the Monte Carlo error of its endpoints. */
function factorIntervals(
  table: CountTable,
  method: IntervalMethod,
  options: ParsedOptions,
): FactorInterval[] {
  const none: FactorInterval = { interval: null, monteCarloError: null, valid: 0 };
  if (method === "none") return Array.from({ length: table.factors }, () => none);
  if (method === "sign-flip-inversion") {
    const patterns = signFlipPatterns(
      table.groups,
      options.permutations > 0 ? options.permutations : defaultPermutations,
      options.seed,
    );
    return signFlipIntervals(table, options.variant, patterns).map((result) =>
      result === null ? none : { ...result, valid: 0 },
    );
  }
  return bootstrapReplicates(table, options.variant, options.bootstrap, options.seed).map((replicates) => {
    const { interval, valid } = percentileInterval(replicates, 0.95);
    return { interval, monteCarloError: percentileMonteCarloError(replicates, 0.95), valid };
  });
}
