import {
  type AlignmentChange,
  type AlignmentSummary,
  type Estimate,
  ProfilekitError,
} from "@profilekit/spec";
import { z } from "zod";
import {
  type Alignment,
  type Correlation,
  type FactorShift,
  type GenerationEvaluationGap,
  type Resampling,
  topOverlapOf,
} from "./alignment.js";
import { drawGroupWeights, percentileInterval, projectTerms } from "./bootstrap.js";
import { CELLS, type CountTable, totalCounts } from "./count-table.js";
import { fewClusters, minimumClusters } from "./few-clusters.js";
import { countTableOf, type GroupCounts } from "./group-counts.js";
import { type KendallVariant, KendallVariantSchema, kendallTerms, ratioOfTerms } from "./kendall.js";
import { createRandom } from "./random.js";
import { rankSpearman, rankTauB } from "./rank-correlation.js";

/** How `alignGroupCounts` and `generationEvaluationGapOfGroupCounts` resample. */
export const GroupCountsAlignmentOptionsSchema = z.object({
  /** B, cluster-bootstrap replicates; 0 disables the intervals. */
  replicates: z.number().int().nonnegative().default(2000),
  seed: z.number().int().default(0),
  /** The profiles' Kendall variant: the factor scores compared are this variant's. */
  variant: KendallVariantSchema.default("tau14"),
});
export type GroupCountsAlignmentOptions = z.input<typeof GroupCountsAlignmentOptionsSchema>;

/**
 * Compares profile b with the reference profile a from their group counts (the sidecars of
 * profile.json), with the same figures as `alignProfiles`, but intervals from a cluster
 * bootstrap that redraws the data rather than each factor on its own:
 *
 * - **paired** when the two share cluster keys (the human and judge profiles are on the same
 *   pairs; a generation profile on the same inputs, clustered at the same level): replicate r
 *   draws U clusters with replacement from the union of both profiles' keys (sorted by hash),
 *   with `createRandom(seed, "alignment/<r>/0")`, and both profiles are recomputed on the same
 *   draws (a profile without a drawn cluster simply lacks it). Identical profiles therefore give
 *   tau_b [1, 1] and gaps [0, 0] exactly, and the factors' correlation within a profile and the
 *   pairing between profiles are both kept.
 * - **independent** when they share no key: each profile draws its own clusters (streams
 *   `alignment/<r>/0` and `alignment/<r>/1`), with a warning that the data differ.
 *
 * Per replicate: tau_b and Spearman between the two factor-score vectors, every gap b - a, the
 * top-3 overlap and the sign agreement. Each interval is the type-7 percentile interval of the
 * valid replicates, widened to the estimate when the estimate fell outside it (noted in
 * `warnings`), so it always contains the estimate. Estimates are the profiles' own scores.
 */
export function alignGroupCounts(
  a: GroupCounts,
  b: GroupCounts,
  options: GroupCountsAlignmentOptions = {},
): Alignment {
  const parsed = parseOptions(options);
  const draws = resample([a, b], parsed);
  return alignmentOf(draws, 0, 1, parsed);
}

/**
 * PROFILE's generation-evaluation gap from the three profiles' group counts: both alignments
 * with the human profile and the difference of their tau_b, all from one set of draws over the
 * clusters of the three (see `alignGroupCounts`; the generation profile shares the human
 * profile's clusters when both are keyed by input at the same level). Profiles that share no
 * cluster with the others are drawn on their own, and the result says so.
 */
export function generationEvaluationGapOfGroupCounts(
  profiles: { human: GroupCounts; evaluation: GroupCounts; generation: GroupCounts },
  options: GroupCountsAlignmentOptions = {},
): GenerationEvaluationGap {
  const parsed = parseOptions(options);
  const draws = resample([profiles.human, profiles.evaluation, profiles.generation], parsed);
  const evaluation = alignmentOf(draws, 0, 1, parsed);
  const generation = alignmentOf(draws, 0, 2, parsed);
  const withEvaluation = commonFactors(draws.profiles[0]!, draws.profiles[1]!);
  const withGeneration = commonFactors(draws.profiles[0]!, draws.profiles[2]!);
  const evaluationValue = evaluation.kendallTauB.value;
  const generationValue = generation.kendallTauB.value;
  const value =
    evaluationValue === null || generationValue === null ? null : evaluationValue - generationValue;
  const warnings = [...draws.warnings];
  let ci95: [number, number] | null = null;
  if (value !== null && draws.replicates > 0) {
    const differences = new Float64Array(draws.replicates);
    for (let r = 0; r < draws.replicates; r++) {
      const e = replicateTauB(draws, 0, 1, withEvaluation, r);
      const g = replicateTauB(draws, 0, 2, withGeneration, r);
      differences[r] = e === null || g === null ? Number.NaN : e - g;
    }
    ci95 = containing(differences, value, "the tau_b difference", warnings);
  }
  return {
    evaluation,
    generation,
    tauBDifference: { value, ci95 },
    resampling: resamplingOf(draws, [0, 1, 2], parsed),
    warnings,
  };
}

/**
 * A paired before/after comparison with a reference profile (refine's improvement.json): the
 * alignment of `before` and of `after` with `human`, their difference after - before, and per
 * factor the shift after - before and the change of its distance to the human score,
 * |after - human| - |before - human|. Everything comes from one set of draws over the clusters of
 * the three profiles (see `alignGroupCounts`): replicate r draws the union of their cluster keys
 * once, recomputes all three profiles on it, and every figure of the replicate is computed from
 * those; each interval is the type-7 percentile interval of the valid replicates, widened to the
 * estimate when it fell outside. All figures are over the factors scored in all three profiles,
 * so the delta is exactly after - before. Before and after on the same inputs (and the human
 * profile on their inputs) make the interval paired: the inputs' own variation, shared by both,
 * cancels out of the difference.
 */
export function alignmentChangeOfGroupCounts(
  profiles: { human: GroupCounts; before: GroupCounts; after: GroupCounts },
  options: GroupCountsAlignmentOptions = {},
): AlignmentChange {
  const parsed = parseOptions(options);
  const draws = resample([profiles.human, profiles.before, profiles.after], parsed);
  const [human, before, after] = draws.profiles as [ResampledProfile, ResampledProfile, ResampledProfile];
  const indices = threeWayFactors(human, before, after);
  const warnings = [...draws.warnings];
  if (draws.component[1] !== draws.component[2]) {
    warnings.push(
      "Before and after share no cluster: they come from different inputs, so each is resampled on its own and the interval of their difference is not paired.",
    );
  }
  if (draws.component[0] !== draws.component[1] || draws.component[0] !== draws.component[2]) {
    warnings.push(
      "The human profile shares no cluster with before or after: it is resampled on its own, so its uncertainty is not shared between the two alignments.",
    );
  }
  const B = draws.replicates;
  const at = (profile: ResampledProfile, index: readonly number[], r: number) =>
    index.map((f) => profile.replicates[f]![r]!);
  const estimates = (profile: ResampledProfile, index: readonly number[]) =>
    index.map((f) => profile.estimates[f]!);
  const h = estimates(human, indices.human);
  const b = estimates(before, indices.before);
  const a = estimates(after, indices.after);
  const names = indices.factors;

  // Per replicate: tau_b and Spearman of before and of after with the human
  // profile, and each factor's shift and distance change.
  const tauBefore = new Float64Array(B);
  const tauAfter = new Float64Array(B);
  const spearmanBefore = new Float64Array(B);
  const spearmanAfter = new Float64Array(B);
  const shifts = names.map(() => new Float64Array(B));
  const distances = names.map(() => new Float64Array(B));
  for (let r = 0; r < B; r++) {
    const hr = at(human, indices.human, r);
    const br = at(before, indices.before, r);
    const ar = at(after, indices.after, r);
    for (let i = 0; i < names.length; i++) {
      shifts[i]![r] = ar[i]! - br[i]!;
      distances[i]![r] = Math.abs(ar[i]! - hr[i]!) - Math.abs(br[i]! - hr[i]!);
    }
    const valid = ![...hr, ...br, ...ar].some(Number.isNaN);
    tauBefore[r] = valid ? (rankTauB(hr, br) ?? Number.NaN) : Number.NaN;
    tauAfter[r] = valid ? (rankTauB(hr, ar) ?? Number.NaN) : Number.NaN;
    spearmanBefore[r] = valid ? (rankSpearman(hr, br) ?? Number.NaN) : Number.NaN;
    spearmanAfter[r] = valid ? (rankSpearman(hr, ar) ?? Number.NaN) : Number.NaN;
  }
  const estimate = (value: number | null, replicates: Float64Array, name: string): Estimate => ({
    value,
    ci95: value === null || B === 0 ? null : containing(replicates, value, name, warnings),
  });
  const difference = (x: Float64Array, y: Float64Array) => x.map((value, r) => y[r]! - value);
  const summary = (
    side: readonly number[],
    tau: Float64Array,
    rho: Float64Array,
    which: string,
  ): AlignmentSummary => ({
    kendallTauB: estimate(rankTauB(h, side), tau, `tau_b ${which}`),
    spearman: estimate(rankSpearman(h, side), rho, `Spearman's rho ${which}`),
    signAgreement: names.length === 0 ? null : agreeingSigns(h, side) / names.length,
    top3Overlap: topOverlapOf(names, h, side, 3),
  });
  const beforeSummary = summary(b, tauBefore, spearmanBefore, "before");
  const afterSummary = summary(a, tauAfter, spearmanAfter, "after");
  const deltaOf = (x: Estimate, y: Estimate) =>
    x.value === null || y.value === null ? null : y.value - x.value;
  return {
    factorsCompared: names,
    before: beforeSummary,
    after: afterSummary,
    delta: {
      kendallTauB: estimate(
        deltaOf(beforeSummary.kendallTauB, afterSummary.kendallTauB),
        difference(tauBefore, tauAfter),
        "the tau_b difference",
      ),
      spearman: estimate(
        deltaOf(beforeSummary.spearman, afterSummary.spearman),
        difference(spearmanBefore, spearmanAfter),
        "the Spearman difference",
      ),
    },
    factors: names.map((factor, i) => ({
      factor,
      human: h[i]!,
      before: b[i]!,
      after: a[i]!,
      shift: estimate(a[i]! - b[i]!, shifts[i]!, `the shift of ${factor}`),
      distanceChange: estimate(
        Math.abs(a[i]! - h[i]!) - Math.abs(b[i]! - h[i]!),
        distances[i]!,
        `the distance change of ${factor}`,
      ),
    })),
    resampling: resamplingOf(draws, [0, 1, 2], parsed),
    warnings: [...new Set(warnings)],
  };
}

/** The factors scored in all three profiles, in the first's order, with their indices into each. */
function threeWayFactors(human: ResampledProfile, before: ResampledProfile, after: ResampledProfile) {
  const index = (profile: ResampledProfile) => new Map(profile.factors.map((factor, f) => [factor, f]));
  const inBefore = index(before);
  const inAfter = index(after);
  const chosen = {
    factors: [] as string[],
    human: [] as number[],
    before: [] as number[],
    after: [] as number[],
  };
  for (const [f, factor] of human.factors.entries()) {
    const g = inBefore.get(factor);
    const k = inAfter.get(factor);
    if (g === undefined || k === undefined) continue;
    if (human.estimates[f] === null || before.estimates[g] === null || after.estimates[k] === null) continue;
    chosen.factors.push(factor);
    chosen.human.push(f);
    chosen.before.push(g);
    chosen.after.push(k);
  }
  return chosen;
}

type ParsedOptions = z.output<typeof GroupCountsAlignmentOptionsSchema>;

function parseOptions(options: GroupCountsAlignmentOptions): ParsedOptions {
  const parsed = GroupCountsAlignmentOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid alignment options: ${z.prettifyError(parsed.error)}`,
      { hint: "replicates is a non-negative integer, seed an integer, variant a Kendall variant." },
    );
  }
  return parsed.data;
}

/** One profile: its factor scores and, per factor, the B replicate scores (NaN where null). */
interface ResampledProfile {
  factors: readonly string[];
  estimates: (number | null)[];
  replicates: Float64Array[];
  keys: Float64Array;
}

interface Draws {
  profiles: ResampledProfile[];
  replicates: number;
  /** Component of each profile: profiles sharing a cluster key, directly or through others. */
  component: number[];
  /** Clusters drawn per replicate by each profile's component (the union of its keys). */
  drawnClusters: number[];
  warnings: string[];
}

/**
 * Replicate r of a component (profiles linked by shared keys) draws its U union keys, sorted
 * by hash, with replacement from `createRandom(seed, "alignment/<r>/<c>")`, c the index of the
 * component's first profile; every profile of the component is recomputed on those draws.
 */
function resample(groupCounts: readonly GroupCounts[], options: ParsedOptions): Draws {
  const { variant, replicates, seed } = options;
  const tables = groupCounts.map((data) => countTableOf(data));
  const component = components(tables);
  const warnings: string[] = [];
  const levels = new Set(groupCounts.map((data) => data.clusterLevel).filter((level) => level !== undefined));
  if (levels.size > 1) {
    warnings.push(
      `The profiles record different cluster levels (${[...levels].join(", ")}): they are paired only where their cluster keys happen to match. Cluster them at one level to pair them.`,
    );
  }
  const unions = new Map<number, Float64Array>();
  for (const [p, table] of tables.entries()) {
    const c = component[p]!;
    const union = new Set(unions.get(c) ?? []);
    for (const key of table.keys) union.add(key);
    unions.set(c, Float64Array.from(union).sort());
  }
  const drawnClusters = component.map((c) => unions.get(c)!.length);
  const positions = tables.map((table, p) => {
    const union = unions.get(component[p]!)!;
    const index = new Map<number, number>();
    for (const [i, key] of union.entries()) index.set(key, i);
    return Int32Array.from(table.keys, (key) => index.get(key)!);
  });
  const few = Math.min(...drawnClusters);
  const intervals = replicates > 0 && few >= minimumClusters ? replicates : 0;
  if (few < minimumClusters) {
    warnings.push(
      `Only ${few} clusters to resample: below ${minimumClusters} no 95% interval holds, so the alignment's intervals are null.`,
    );
  } else if (few < fewClusters) {
    warnings.push(
      `Only ${few} clusters to resample (fewer than ${fewClusters}): bootstrap intervals may under-cover; read them with care.`,
    );
  }

  const profiles = tables.map((table, p) => ({
    factors: groupCounts[p]!.factors,
    estimates: estimatesOf(table, variant),
    replicates: Array.from({ length: table.factors }, () => new Float64Array(intervals)),
    keys: table.keys,
    projected: projectTerms(table, variant),
    table,
  }));
  const weightsByComponent = new Map<number, Int32Array>();
  for (const [c, union] of unions) weightsByComponent.set(c, new Int32Array(union.length));
  const terms = kendallTerms[variant].length;
  // A replicate's sums are at most U x the largest term, in absolute value; below 2^31 they are
  // exact in Int32 (faster here than Float64), as in the profile's own bootstrap.
  const sums = profiles.map((profile, p) => {
    const width = profile.table.factors * terms;
    const bound = drawnClusters[p]! * largestTerm(profile.projected);
    return bound < 2 ** 31 ? new Int32Array(width) : new Float64Array(width);
  });
  for (let r = 0; r < intervals; r++) {
    for (const [c, weights] of weightsByComponent) {
      drawGroupWeights(createRandom(seed, `alignment/${r}/${c}`), weights);
    }
    for (const [p, profile] of profiles.entries()) {
      const weights = weightsByComponent.get(component[p]!)!;
      const { groups, factors } = profile.table;
      const width = factors * terms;
      const total = sums[p]!;
      total.fill(0);
      const position = positions[p]!;
      for (let g = 0; g < groups; g++) {
        const weight = weights[position[g]!]!;
        if (weight === 0) continue;
        const base = g * width;
        for (let k = 0; k < width; k++) total[k]! += weight * profile.projected[base + k]!;
      }
      for (let f = 0; f < factors; f++) {
        const o = f * terms;
        profile.replicates[f]![r] = ratioOfTerms(
          total[o]!,
          total[o + 1]!,
          terms === 3 ? total[o + 2]! : undefined,
        );
      }
    }
  }
  return {
    profiles: profiles.map(({ factors, estimates, replicates: values, keys }) => ({
      factors,
      estimates,
      replicates: values,
      keys,
    })),
    replicates: intervals,
    component,
    drawnClusters,
    warnings,
  };
}

/** The largest |term| of any group and factor. */
function largestTerm(projected: Int32Array): number {
  let largest = 0;
  for (const value of projected) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/** Each profile's component: profiles are linked when they share a cluster key. */
function components(tables: readonly CountTable[]): number[] {
  const component = tables.map((_, p) => p);
  const find = (p: number): number => (component[p] === p ? p : find(component[p]!));
  const keySets = tables.map((table) => new Set(table.keys));
  for (let p = 0; p < tables.length; p++) {
    for (let q = p + 1; q < tables.length; q++) {
      if (tables[q]!.keys.some((key) => keySets[p]!.has(key))) {
        const [x, y] = [find(p), find(q)];
        component[Math.max(x, y)] = Math.min(x, y);
      }
    }
  }
  return component.map((_, p) => find(p));
}

function estimatesOf(table: CountTable, variant: KendallVariant): (number | null)[] {
  const totals = totalCounts(table);
  const coefficients = kendallTerms[variant];
  return Array.from({ length: table.factors }, (_, f) => {
    const [numerator, first, second] = coefficients.map((term) =>
      term.reduce((sum, coefficient, cell) => sum + coefficient * totals[f * CELLS + cell]!, 0),
    );
    const value = ratioOfTerms(numerator!, first!, second);
    return Number.isNaN(value) ? null : value;
  });
}

/** The factors scored in both profiles, in a's order, with their indices into each. */
interface Common {
  factors: string[];
  indexA: number[];
  indexB: number[];
}

function commonFactors(a: ResampledProfile, b: ResampledProfile): Common {
  const inB = new Map(b.factors.map((factor, f) => [factor, f]));
  const factors: string[] = [];
  const indexA: number[] = [];
  const indexB: number[] = [];
  for (const [f, factor] of a.factors.entries()) {
    const g = inB.get(factor);
    if (g === undefined || a.estimates[f] === null || b.estimates[g] === null) continue;
    factors.push(factor);
    indexA.push(f);
    indexB.push(g);
  }
  return { factors, indexA, indexB };
}

/** tau_b between the replicate-r factor scores of profiles a and b; null when a score is null. */
function replicateTauB(draws: Draws, a: number, b: number, common: Common, r: number): number | null {
  const x = common.indexA.map((f) => draws.profiles[a]!.replicates[f]![r]!);
  const y = common.indexB.map((f) => draws.profiles[b]!.replicates[f]![r]!);
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) return null;
  return rankTauB(x, y);
}

/** The alignment of profile b with profile a (indices into draws.profiles). */
function alignmentOf(draws: Draws, a: number, b: number, options: ParsedOptions): Alignment {
  const profileA = draws.profiles[a]!;
  const profileB = draws.profiles[b]!;
  const common = commonFactors(profileA, profileB);
  const { factors, indexA, indexB } = common;
  const valuesA = indexA.map((f) => profileA.estimates[f]!);
  const valuesB = indexB.map((f) => profileB.estimates[f]!);
  const warnings = [...draws.warnings];
  const shared = sharedClusters([profileA, profileB]);
  if (draws.component[a] !== draws.component[b]) {
    warnings.push(
      "The two profiles share no cluster: they come from different data, so each is resampled on its own and the intervals include the difference between the data sets.",
    );
  } else if (shared < Math.max(profileA.keys.length, profileB.keys.length)) {
    warnings.push(
      `The profiles share ${shared} of their clusters (${profileA.keys.length} and ${profileB.keys.length}): both are drawn from the union, and a profile without a drawn cluster simply lacks it.`,
    );
  }

  const B = draws.replicates;
  const tauB = new Float64Array(B);
  const spearman = new Float64Array(B);
  const signs = new Float64Array(B);
  const gaps = factors.map(() => new Float64Array(B));
  const overlaps = [0, 0, 0, 0];
  let counted = 0;
  for (let r = 0; r < B; r++) {
    const x = indexA.map((f) => profileA.replicates[f]![r]!);
    const y = indexB.map((f) => profileB.replicates[f]![r]!);
    for (let i = 0; i < factors.length; i++) gaps[i]![r] = y[i]! - x[i]!;
    if (x.some(Number.isNaN) || y.some(Number.isNaN)) {
      tauB[r] = Number.NaN;
      spearman[r] = Number.NaN;
      signs[r] = Number.NaN;
      continue;
    }
    tauB[r] = rankTauB(x, y) ?? Number.NaN;
    spearman[r] = rankSpearman(x, y) ?? Number.NaN;
    signs[r] = factors.length === 0 ? Number.NaN : agreeingSigns(x, y) / factors.length;
    overlaps[topOverlapOf(factors, x, y, 3)]!++;
    counted++;
  }

  const correlation = (value: number | null, replicated: Float64Array, name: string): Correlation => ({
    value,
    ci95: value === null || B === 0 ? null : containing(replicated, value, name, warnings),
  });
  const rows = factors.map((factor, i) => {
    const gap = valuesB[i]! - valuesA[i]!;
    const ci95 = B === 0 ? null : containing(gaps[i]!, gap, `the gap of ${factor}`, warnings);
    return { factor, a: valuesA[i]!, b: valuesB[i]!, gap, ci95 };
  });
  const shift = (entry: (typeof rows)[number]): FactorShift => ({
    factor: entry.factor,
    gap: entry.gap,
    ci95: entry.ci95,
    ciExcludesZero: entry.ci95 !== null && (entry.ci95[0] > 0 || entry.ci95[1] < 0),
  });
  const signAgreement = factors.length === 0 ? null : agreeingSigns(valuesA, valuesB) / factors.length;
  return {
    kendallTauB: correlation(rankTauB(valuesA, valuesB), tauB, "tau_b"),
    spearman: correlation(rankSpearman(valuesA, valuesB), spearman, "Spearman's rho"),
    factors: rows,
    top3Overlap: topOverlapOf(factors, valuesA, valuesB, 3),
    signAgreement,
    weighsMore: rows
      .filter((entry) => entry.gap > 0)
      .sort((x, y) => y.gap - x.gap)
      .map(shift),
    weighsLess: rows
      .filter((entry) => entry.gap < 0)
      .sort((x, y) => x.gap - y.gap)
      .map(shift),
    signAgreementCi95:
      signAgreement === null || B === 0
        ? null
        : containing(signs, signAgreement, "the sign agreement", warnings),
    top3OverlapShares: overlaps.map((n) => (counted === 0 ? 0 : n / counted)) as [
      number,
      number,
      number,
      number,
    ],
    resampling: resamplingOf(draws, [a, b], options),
    warnings,
  };
}

function agreeingSigns(x: readonly number[], y: readonly number[]): number {
  let agree = 0;
  for (let i = 0; i < x.length; i++) if (Math.sign(x[i]!) === Math.sign(y[i]!)) agree++;
  return agree;
}

/** Keys present in every one of the profiles. */
function sharedClusters(profiles: readonly ResampledProfile[]): number {
  const [first, ...others] = profiles;
  const sets = others.map((profile) => new Set(profile.keys));
  let shared = 0;
  for (const key of first!.keys) if (sets.every((set) => set.has(key))) shared++;
  return shared;
}

function resamplingOf(draws: Draws, members: readonly number[], options: ParsedOptions): Resampling {
  const componentsUsed = new Set(members.map((p) => draws.component[p]!));
  const method =
    componentsUsed.size === 1
      ? "paired-cluster-bootstrap"
      : componentsUsed.size === members.length
        ? "independent-cluster-bootstrap"
        : "partly-paired-cluster-bootstrap";
  return {
    method,
    replicates: draws.replicates,
    seed: options.seed,
    clusters: members.map((p) => draws.profiles[p]!.keys.length),
    sharedClusters: sharedClusters(members.map((p) => draws.profiles[p]!)),
    interval: "percentile-containing-estimate",
  };
}

/**
 * The 95% type-7 percentile interval of the valid replicates, widened to `estimate` when it lies
 * outside (and then noted in `warnings`); null when no replicate is valid.
 */
function containing(
  replicates: Float64Array,
  estimate: number,
  name: string,
  warnings: string[],
): [number, number] | null {
  const { interval } = percentileInterval(replicates, 0.95);
  if (interval === null) return null;
  if (estimate >= interval[0] && estimate <= interval[1]) return interval;
  warnings.push(
    `The bootstrap interval of ${name} did not contain its estimate ${estimate} (its replicates lie to one side, as for a rank correlation near its bound) and was widened to it.`,
  );
  return [Math.min(interval[0], estimate), Math.max(interval[1], estimate)];
}
