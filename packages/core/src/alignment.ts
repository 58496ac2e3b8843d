import { ProfilekitError, type Resampling, ResamplingSchema } from "@profilekit/spec";
import { z } from "zod";
import { percentileInterval } from "./bootstrap.js";
import { createRandom } from "./random.js";
import { rankSpearman, rankTauB } from "./rank-correlation.js";

/** z_{0.975}: a 95% normal interval is the estimate +- Z95 standard errors. */
const Z95 = 1.959963984540054;

/**
 * What alignment needs of a profile: profile.json (ProfileSchema) fits, and so does any
 * object with a factor list. `tau` is the factor score, `ci95` its 95% interval.
 */
export interface ProfileLike {
  variant?: string;
  factors: readonly { factor: string; tau: number | null; ci95: readonly [number, number] | null }[];
}

const interval = z.tuple([z.number(), z.number()]).nullable();

const CorrelationSchema = z.object({
  value: z
    .number()
    .min(-1)
    .max(1)
    .nullable()
    .describe("Null when undefined (< 2 factors, or one side constant)."),
  ci95: interval.describe(
    "95% interval by resampling.method (parametric bootstrap when absent); null when nothing could be resampled.",
  ),
});

/** How an alignment's intervals were resampled (alignGroupCounts and its generation-evaluation gap); defined in @profilekit/spec. */
export { ResamplingSchema, type Resampling };

const FactorShiftSchema = z.object({
  factor: z.string().min(1),
  gap: z.number().describe("b - a."),
  ci95: interval,
  ciExcludesZero: z.boolean().describe("The gap's 95% interval lies entirely above or below 0."),
});
export type FactorShift = z.infer<typeof FactorShiftSchema>;

/** alignment.json: how profile b's factor scores compare with profile a's (a is the reference). */
export const AlignmentSchema = z.object({
  kendallTauB: CorrelationSchema.describe("Kendall tau_b between the two factor-score vectors."),
  spearman: CorrelationSchema.describe("Spearman's rho between the two factor-score vectors."),
  factors: z
    .array(
      z.object({
        factor: z.string().min(1),
        a: z.number(),
        b: z.number(),
        gap: z.number().describe("b - a."),
        ci95: interval.describe(
          "Paired or independent cluster bootstrap (resampling.method); without resampling, gap +- 1.96 sqrt(seA^2 + seB^2), null unless both sides have an interval.",
        ),
      }),
    )
    .describe("The factors scored (non-null tau) in both profiles, in a's order."),
  top3Overlap: z
    .number()
    .int()
    .min(0)
    .max(3)
    .describe("How many of a's 3 largest |tau| factors are among b's 3 largest |tau| factors."),
  signAgreement: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("Share of factors whose two taus have the same sign (-, 0 or +); null for no factors."),
  weighsMore: z.array(FactorShiftSchema).describe("Factors with gap > 0, largest gap first."),
  weighsLess: z.array(FactorShiftSchema).describe("Factors with gap < 0, most negative gap first."),
  signAgreementCi95: interval
    .optional()
    .describe("Cluster-bootstrap interval of signAgreement (alignGroupCounts only)."),
  top3OverlapShares: z
    .tuple([z.number(), z.number(), z.number(), z.number()])
    .optional()
    .describe("Share of bootstrap replicates whose top-3 overlap is 0, 1, 2 and 3 (alignGroupCounts only)."),
  resampling: ResamplingSchema.optional().describe(
    "How the intervals were resampled; absent for alignProfiles' parametric bootstrap.",
  ),
  warnings: z.array(z.string()).optional().describe("What a reader must know: different data, few clusters."),
});
export type Alignment = z.infer<typeof AlignmentSchema>;
export type Correlation = z.infer<typeof CorrelationSchema>;

/** How the alignment's intervals are resampled. */
export const AlignmentOptionsSchema = z.object({
  /** Parametric-bootstrap replicates for the rank correlations' intervals; 0 disables them. */
  replicates: z.number().int().nonnegative().default(2000),
  seed: z.number().int().default(0),
});
export type AlignmentOptions = z.input<typeof AlignmentOptionsSchema>;

/**
 * Compares profile b with the reference profile a over the factors both scored (non-null tau):
 * Kendall tau_b and Spearman between the two tau vectors; per factor the gap b - a with a
 * normal interval; the top-3 overlap by |tau|; the sign agreement; and the factors b weighs
 * more or less than a.
 *
 * The correlations' 95% intervals come from a parametric bootstrap (ours, not PROFILE's):
 * replicate r redraws every factor's tau on each side as tau + se * z, se = (hi - lo) / (2 *
 * 1.95996) from its ci95 (a factor without ci95 is held fixed), z standard normal from its own
 * stream createRandom(seed, "alignment/<r>/<a|b>/<factor>"), recomputes both correlations, and
 * the interval is the 2.5th to 97.5th percentile of the replicates. Draws are not clipped to
 * [-1, 1]: only their order matters. The same profiles, options and seed give the same result,
 * and a factor's draws do not depend on which other factors are present.
 */
export function alignProfiles(a: ProfileLike, b: ProfileLike, options: AlignmentOptions = {}): Alignment {
  const { replicates, seed } = parseOptions(options);
  checkVariants([a, b]);
  const common = commonFactors(a, b);
  const valuesA = common.map((entry) => entry.a.tau);
  const valuesB = common.map((entry) => entry.b.tau);

  const replicateTauB = new Float64Array(replicates);
  const replicateSpearman = new Float64Array(replicates);
  const canResample = common.some((entry) => entry.a.se > 0 || entry.b.se > 0);
  if (canResample) {
    for (let r = 0; r < replicates; r++) {
      const drawnA = common.map((entry) => draw(entry.a, seed, `alignment/${r}/a/${entry.factor}`));
      const drawnB = common.map((entry) => draw(entry.b, seed, `alignment/${r}/b/${entry.factor}`));
      replicateTauB[r] = rankTauB(drawnA, drawnB) ?? Number.NaN;
      replicateSpearman[r] = rankSpearman(drawnA, drawnB) ?? Number.NaN;
    }
  }
  const correlation = (value: number | null, replicated: Float64Array): Correlation => ({
    value,
    ci95:
      value !== null && canResample && replicates > 0 ? percentileInterval(replicated, 0.95).interval : null,
  });

  const factors = common.map((entry) => {
    const gap = entry.b.tau - entry.a.tau;
    const bothHaveIntervals = entry.a.ci95 !== null && entry.b.ci95 !== null;
    const halfWidth = Z95 * Math.sqrt(entry.a.se ** 2 + entry.b.se ** 2);
    const ci95: [number, number] | null = bothHaveIntervals ? [gap - halfWidth, gap + halfWidth] : null;
    return { factor: entry.factor, a: entry.a.tau, b: entry.b.tau, gap, ci95 };
  });
  const shift = (entry: (typeof factors)[number]): FactorShift => ({
    factor: entry.factor,
    gap: entry.gap,
    ci95: entry.ci95,
    ciExcludesZero: entry.ci95 !== null && (entry.ci95[0] > 0 || entry.ci95[1] < 0),
  });

  return {
    kendallTauB: correlation(rankTauB(valuesA, valuesB), replicateTauB),
    spearman: correlation(rankSpearman(valuesA, valuesB), replicateSpearman),
    factors,
    top3Overlap: topOverlap(common, 3),
    signAgreement:
      common.length === 0
        ? null
        : common.filter((entry) => Math.sign(entry.a.tau) === Math.sign(entry.b.tau)).length / common.length,
    weighsMore: factors
      .filter((entry) => entry.gap > 0)
      .sort((x, y) => y.gap - x.gap)
      .map(shift),
    weighsLess: factors
      .filter((entry) => entry.gap < 0)
      .sort((x, y) => x.gap - y.gap)
      .map(shift),
  };
}

/** generation-evaluation gap: one model's alignment with humans as a judge and as a writer. */
export const GenerationEvaluationGapSchema = z.object({
  evaluation: AlignmentSchema.describe("The alignment of the evaluation profile with the human one."),
  generation: AlignmentSchema.describe("The alignment of the generation profile with the human one."),
  tauBDifference: CorrelationSchema.extend({
    value: z.number().min(-2).max(2).nullable(),
  }).describe(
    "evaluation.kendallTauB - generation.kendallTauB, > 0 when the model evaluates more like humans.",
  ),
  resampling: ResamplingSchema.optional().describe(
    "How the difference was resampled (profiles: human, evaluation, generation); absent for the parametric bootstrap.",
  ),
  warnings: z.array(z.string()).optional(),
});
export type GenerationEvaluationGap = z.infer<typeof GenerationEvaluationGapSchema>;

/**
 * PROFILE's generation-evaluation gap for one model: its alignment with the human profile when
 * it judges (evaluation profile) and when it writes (generation profile), and the difference
 * in Kendall tau_b. The difference's interval comes from a joint parametric bootstrap in which
 * each replicate draws the human profile once and uses it in both correlations, so the shared
 * human uncertainty is accounted for, not counted twice. `evaluation` and `generation` are
 * exactly what `alignProfiles` returns for the same options.
 */
export function generationEvaluationGap(
  profiles: { human: ProfileLike; evaluation: ProfileLike; generation: ProfileLike },
  options: AlignmentOptions = {},
): GenerationEvaluationGap {
  const { replicates, seed } = parseOptions(options);
  const { human, evaluation, generation } = profiles;
  checkVariants([human, evaluation, generation]);
  const evaluationAlignment = alignProfiles(human, evaluation, options);
  const generationAlignment = alignProfiles(human, generation, options);
  const evaluationValue = evaluationAlignment.kendallTauB.value;
  const generationValue = generationAlignment.kendallTauB.value;
  const value =
    evaluationValue === null || generationValue === null ? null : evaluationValue - generationValue;

  const withEvaluation = commonFactors(human, evaluation);
  const withGeneration = commonFactors(human, generation);
  const canResample = [...withEvaluation, ...withGeneration].some(
    (entry) => entry.a.se > 0 || entry.b.se > 0,
  );
  let ci95: [number, number] | null = null;
  if (value !== null && canResample && replicates > 0) {
    const differences = new Float64Array(replicates);
    for (let r = 0; r < replicates; r++) {
      const drawnHuman = new Map<string, number>();
      const humanDraw = (entry: CommonFactor): number => {
        let drawn = drawnHuman.get(entry.factor);
        if (drawn === undefined) {
          drawn = draw(entry.a, seed, `gap/${r}/human/${entry.factor}`);
          drawnHuman.set(entry.factor, drawn);
        }
        return drawn;
      };
      const evaluationTauB = rankTauB(
        withEvaluation.map(humanDraw),
        withEvaluation.map((entry) => draw(entry.b, seed, `gap/${r}/evaluation/${entry.factor}`)),
      );
      const generationTauB = rankTauB(
        withGeneration.map(humanDraw),
        withGeneration.map((entry) => draw(entry.b, seed, `gap/${r}/generation/${entry.factor}`)),
      );
      differences[r] =
        evaluationTauB === null || generationTauB === null ? Number.NaN : evaluationTauB - generationTauB;
    }
    ci95 = percentileInterval(differences, 0.95).interval;
  }
  return {
    evaluation: evaluationAlignment,
    generation: generationAlignment,
    tauBDifference: { value, ci95 },
  };
}

/** One side of a factor present in both profiles: its tau, interval and implied standard error. */
interface Side {
  tau: number;
  ci95: readonly [number, number] | null;
  /** (hi - lo) / (2 * Z95) from ci95, 0 without one. */
  se: number;
}

interface CommonFactor {
  factor: string;
  a: Side;
  b: Side;
}

/** The factors with a non-null tau in both profiles, in a's order. */
function commonFactors(a: ProfileLike, b: ProfileLike): CommonFactor[] {
  const byFactor = indexFactors(b);
  const common: CommonFactor[] = [];
  for (const [factor, sideA] of indexFactors(a)) {
    const sideB = byFactor.get(factor);
    if (sideB !== undefined) common.push({ factor, a: sideA, b: sideB });
  }
  return common;
}

function indexFactors(profile: ProfileLike): Map<string, Side> {
  const sides = new Map<string, Side>();
  const seen = new Set<string>();
  for (const { factor, tau, ci95 } of profile.factors) {
    if (seen.has(factor)) {
      throw new ProfilekitError("duplicate_factor", `Factor "${factor}" appears twice in one profile.`, {
        hint: "A profile scores each factor once; check how it was produced or merged.",
        location: { factor },
      });
    }
    seen.add(factor);
    if (tau === null) continue;
    if (ci95 !== null && !(ci95[0] <= ci95[1])) {
      throw new ProfilekitError("invalid_interval", `Factor "${factor}" has ci95 [${ci95[0]}, ${ci95[1]}].`, {
        hint: "An interval is [lo, hi] with lo <= hi.",
        location: { factor, field: "ci95" },
      });
    }
    sides.set(factor, { tau, ci95, se: ci95 === null ? 0 : (ci95[1] - ci95[0]) / (2 * Z95) });
  }
  return sides;
}

/** How many factors the top-k of each side by |tau| share; ties broken by factor id. */
function topOverlap(common: readonly CommonFactor[], k: number): number {
  return topOverlapOf(
    common.map((entry) => entry.factor),
    common.map((entry) => entry.a.tau),
    common.map((entry) => entry.b.tau),
    k,
  );
}

/**
 * How many of the k factors with the largest |a| are among the k with the largest |b|; ties in
 * |tau| broken by factor id. The vectors hold one score per factor, in the order of `factors`.
 */
export function topOverlapOf(
  factors: readonly string[],
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  k: number,
): number {
  const top = (values: ArrayLike<number>): Set<number> =>
    new Set(
      factors
        .map((_, i) => i)
        .sort(
          (x, y) =>
            Math.abs(values[y]!) - Math.abs(values[x]!) ||
            (factors[x]! < factors[y]! ? -1 : factors[x]! > factors[y]! ? 1 : 0),
        )
        .slice(0, k),
    );
  const topB = top(b);
  return [...top(a)].filter((i) => topB.has(i)).length;
}

/** tau + se * z, z standard normal from its own stream `${seed}/${purpose}` (Box-Muller). */
function draw(side: Side, seed: number, purpose: string): number {
  if (side.se === 0) return side.tau;
  const random = createRandom(seed, purpose);
  const u1 = (random.nextUint32() + 1) / 4294967296; // (0, 1]: log(u1) is finite
  const u2 = random.nextUint32() / 4294967296;
  return side.tau + side.se * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

function checkVariants(profiles: readonly ProfileLike[]): void {
  const variants = new Set(profiles.map((p) => p.variant).filter((v) => v !== undefined));
  if (variants.size > 1) {
    throw new ProfilekitError(
      "variant_mismatch",
      `Cannot compare profiles computed with different Kendall variants (${[...variants].join(", ")}).`,
      { hint: "Recompute the profiles with the same --variant." },
    );
  }
}

function parseOptions(options: AlignmentOptions): z.output<typeof AlignmentOptionsSchema> {
  const parsed = AlignmentOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid alignment options: ${z.prettifyError(parsed.error)}`,
      {
        hint: "replicates is a non-negative integer and seed an integer.",
      },
    );
  }
  return parsed.data;
}
