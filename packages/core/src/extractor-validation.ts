import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { drawGroupWeights, percentileInterval, percentileMonteCarloError } from "./bootstrap.js";
import { fewClusters, fewClustersWarning, type IntervalMethod, minimumClusters } from "./few-clusters.js";
import { createRandom } from "./random.js";
import { rankSpearman, rankTauB } from "./rank-correlation.js";
import { signFlipInterval, signFlipPatterns } from "./sign-flip-interval.js";

/**
 * Statistics for validating a factor extractor against human factor-level labels (a later
 * `profilekit validate`): how well an extractor's per-response values agree with what people
 * rated or marked on the same responses, with intervals that resample clusters (documents,
 * questions), as the profile's do.
 */

const count = z.number().int().nonnegative();
const interval = z.tuple([z.number(), z.number()]).nullable();
const monteCarloError = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable();

/** How a validation statistic is resampled. */
export const ValidationOptionsSchema = z.object({
  /** B, cluster-bootstrap replicates (percentile intervals from 30 clusters on); 0 disables intervals. */
  bootstrap: z.number().int().nonnegative().default(1000),
  /** R, random sign patterns for the few-cluster interval from 16 to 29 clusters. */
  permutations: z.number().int().positive().default(9999),
  seed: z.number().int().default(0),
});
export type ValidationOptions = z.input<typeof ValidationOptionsSchema>;

const CorrelationEstimateSchema = z.object({
  value: z.number().min(-1).max(1).nullable().describe("The mean over the clusters where it is defined."),
  ci95: interval,
  ci95MonteCarloError: monteCarloError,
  clusters: count.describe("Clusters with a defined correlation (2+ items, neither side constant)."),
});

/** `summaryLevelCorrelation`'s result. */
export const SummaryLevelCorrelationSchema = z.object({
  items: count,
  clusters: count.describe("Clusters among the items."),
  spearman: CorrelationEstimateSchema,
  kendallTauB: CorrelationEstimateSchema,
  intervalMethod: z.enum(["percentile-bootstrap", "sign-flip-inversion", "none"]),
  bootstrap: count,
  seed: z.number().int(),
  warnings: z.array(z.string()),
});
export type SummaryLevelCorrelation = z.infer<typeof SummaryLevelCorrelationSchema>;

/** One rated item: a response with its cluster (its document), a human rating and the extractor's value. */
export interface RatedItem {
  cluster: string;
  human: number;
  extractor: number;
}

/**
 * Summary-level correlation (Bhandari et al. 2020; the figure G-Eval and UniEval report on
 * SummEval): within each cluster (the responses to one document) the Spearman rho and Kendall
 * tau_b between the human ratings and the extractor's values, then the mean over the clusters
 * where each is defined. Each cluster contributes one value, so the interval resamples clusters:
 * from 30 clusters a percentile bootstrap of the mean (replicate b from
 * `createRandom(seed, "bootstrap/<b>")`), from 6 to 29 the inverted sign-flip test of the mean
 * (`signFlipInterval` with n_g = the cluster's value, d_g = 1), below 6 none.
 */
export function summaryLevelCorrelation(
  items: readonly RatedItem[],
  options: ValidationOptions = {},
): SummaryLevelCorrelation {
  const { bootstrap, permutations, seed } = parseOptions(options);
  for (const [i, item] of items.entries()) {
    if (!Number.isFinite(item.human) || !Number.isFinite(item.extractor)) {
      throw new ProfilekitError(
        "non_finite_value",
        `Rated item #${i + 1} (cluster "${item.cluster}") has human ${item.human} and extractor ${item.extractor}.`,
        { hint: "Leave out the items the extractor could not measure before correlating." },
      );
    }
  }
  const byCluster = new Map<string, RatedItem[]>();
  for (const item of items) {
    const members = byCluster.get(item.cluster) ?? [];
    members.push(item);
    byCluster.set(item.cluster, members);
  }
  const perCluster = (statistic: (x: number[], y: number[]) => number | null) =>
    [...byCluster.values()]
      .map((members) =>
        statistic(
          members.map((item) => item.human),
          members.map((item) => item.extractor),
        ),
      )
      .filter((value): value is number => value !== null);
  const spearmans = perCluster(rankSpearman);
  const taus = perCluster(rankTauB);
  const clusters = Math.min(spearmans.length, taus.length);
  const method: IntervalMethod =
    bootstrap === 0 || clusters < minimumClusters
      ? "none"
      : clusters < fewClusters
        ? "sign-flip-inversion"
        : "percentile-bootstrap";
  const warnings: string[] = [];
  const warning = fewClustersWarning(clusters, "summary-level correlation", method);
  if (warning !== undefined) warnings.push(warning);
  return {
    items: items.length,
    clusters: byCluster.size,
    spearman: meanWithInterval(spearmans, method, bootstrap, permutations, seed),
    kendallTauB: meanWithInterval(taus, method, bootstrap, permutations, seed),
    intervalMethod: method,
    bootstrap,
    seed,
    warnings,
  };
}

/** The mean of per-cluster values with its interval by `method`. */
function meanWithInterval(
  values: readonly number[],
  method: IntervalMethod,
  bootstrap: number,
  permutations: number,
  seed: number,
): z.infer<typeof CorrelationEstimateSchema> {
  const n = values.length;
  const value = n === 0 ? null : values.reduce((sum, v) => sum + v, 0) / n;
  const none = { value, ci95: null, ci95MonteCarloError: null, clusters: n };
  if (value === null || method === "none" || n < minimumClusters) return none;
  if (method === "sign-flip-inversion" && n < fewClusters) {
    const result = signFlipInterval(
      values,
      new Float64Array(n).fill(1),
      signFlipPatterns(n, permutations, seed),
      [-1, 1],
    );
    return result === null
      ? none
      : { value, ci95: result.interval, ci95MonteCarloError: result.monteCarloError, clusters: n };
  }
  const replicates = new Float64Array(bootstrap);
  const weights = new Int32Array(n);
  for (let b = 0; b < bootstrap; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    let sum = 0;
    for (let g = 0; g < n; g++) sum += weights[g]! * values[g]!;
    replicates[b] = sum / n;
  }
  return {
    value,
    ci95: percentileInterval(replicates, 0.95).interval,
    ci95MonteCarloError: percentileMonteCarloError(replicates, 0.95),
    clusters: n,
  };
}

/** `clusteredAuc`'s result. */
export const ClusteredAucSchema = z.object({
  auc: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("P(value of a positive > value of a negative) + P(tie) / 2."),
  ci95: interval,
  ci95MonteCarloError: monteCarloError,
  positives: count,
  negatives: count,
  clusters: count,
  bootstrap: count,
  seed: z.number().int(),
  warnings: z.array(z.string()),
});
export type ClusteredAuc = z.infer<typeof ClusteredAucSchema>;

/** One labelled item: its cluster, the human's binary label and the extractor's value. */
export interface LabelledItem {
  cluster: string;
  /** The human label, e.g. "the answer has an unverifiable claim". */
  positive: boolean;
  /** The extractor's value; higher should mean positive (negate it otherwise). */
  value: number;
}

/**
 * The area under the ROC curve of the extractor's value for a binary human label (Hanley and
 * McNeil 1982; the Mann-Whitney statistic over |P| |N|): the chance that a random positive item
 * has a higher value than a random negative one, ties counting one half. Its interval is a
 * cluster-bootstrap percentile interval (clusters in order of first appearance, replicate b from
 * `createRandom(seed, "bootstrap/<b>")`; each replicate weights a pair of items by the product of
 * their clusters' draw counts), the bootstrap counterpart of Obuchowski's (1997) clustered AUC.
 * Null below 6 clusters; a warning below 30.
 */
export function clusteredAuc(items: readonly LabelledItem[], options: ValidationOptions = {}): ClusteredAuc {
  const { bootstrap, seed } = parseOptions(options);
  for (const [i, item] of items.entries()) {
    if (!Number.isFinite(item.value)) {
      throw new ProfilekitError(
        "non_finite_value",
        `Labelled item #${i + 1} (cluster "${item.cluster}") has value ${item.value}.`,
        { hint: "Leave out the items the extractor could not measure." },
      );
    }
  }
  const groupOf = new Map<string, number>();
  const group = items.map((item) => {
    let g = groupOf.get(item.cluster);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(item.cluster, g);
    }
    return g;
  });
  const clusters = groupOf.size;
  const order = items.map((_, i) => i).sort((i, j) => items[i]!.value - items[j]!.value);
  const ones = new Float64Array(clusters).fill(1);
  const auc = weightedAuc(items, group, order, ones);
  const positives = items.filter((item) => item.positive).length;
  const warnings: string[] = [];
  const warning = fewClustersWarning(clusters, "AUC", "percentile-bootstrap");
  if (warning !== undefined) warnings.push(warning);
  const B = auc === null || clusters < minimumClusters ? 0 : bootstrap;
  const replicates = new Float64Array(B);
  const weights = new Float64Array(clusters);
  for (let b = 0; b < B; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    replicates[b] = weightedAuc(items, group, order, weights) ?? Number.NaN;
  }
  return {
    auc,
    ci95: B === 0 ? null : percentileInterval(replicates, 0.95).interval,
    ci95MonteCarloError: B === 0 ? null : percentileMonteCarloError(replicates, 0.95),
    positives,
    negatives: items.length - positives,
    clusters,
    bootstrap: B,
    seed,
    warnings,
  };
}

/**
 * The AUC with item i weighted by its cluster's weight: one pass over the items sorted by value,
 * a run of equal values at a time, counting the negative weight below and within the run.
 */
function weightedAuc(
  items: readonly LabelledItem[],
  group: readonly number[],
  order: readonly number[],
  weights: Float64Array,
): number | null {
  let negativeBelow = 0;
  let concordant = 0;
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let positiveRun = 0;
    let negativeRun = 0;
    while (end < order.length && items[order[end]!]!.value === items[order[start]!]!.value) {
      const i = order[end]!;
      const w = weights[group[i]!]!;
      if (items[i]!.positive) positiveRun += w;
      else negativeRun += w;
      end++;
    }
    concordant += positiveRun * (negativeBelow + negativeRun / 2);
    negativeBelow += negativeRun;
    positiveTotal += positiveRun;
    negativeTotal += negativeRun;
    start = end;
  }
  return positiveTotal === 0 || negativeTotal === 0 ? null : concordant / (positiveTotal * negativeTotal);
}

/** The options, parsed, or `invalid_options` naming what is wrong. */
export function parseOptions(options: ValidationOptions): z.output<typeof ValidationOptionsSchema> {
  const parsed = ValidationOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid validation options: ${z.prettifyError(parsed.error)}`,
      { hint: "bootstrap is a non-negative integer, permutations a positive one, seed an integer." },
    );
  }
  return parsed.data;
}
