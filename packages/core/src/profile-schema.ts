import { z } from "zod";
import { JointRegressionSchema } from "./joint-regression.js";
import { KendallVariantSchema } from "./kendall.js";
import { LengthControlledScoreSchema } from "./length-control.js";

const count = z.number().int().nonnegative();
const score = z.number().min(-1).max(1).nullable();

/** Every variant's value for one factor (acc23 lies in [0, 1], the others in [-1, 1]). */
export const KendallVariantsSchema = z.object({
  tau14: score,
  taub: score,
  tau10: score,
  tau13: score,
  tau23: score,
  acc23: score,
});

/** One factor's score and the counts behind it. */
export const FactorScoreSchema = z.object({
  factor: z.string().min(1),
  tau: score.describe("The profile's variant on this factor; null when its denominator is 0."),
  ci95: z
    .tuple([z.number(), z.number()])
    .nullable()
    .describe(
      "95% clustered interval (the profile's intervalMethod); null when B = 0, tau is null, no replicate was valid, or there are fewer than 6 clusters.",
    ),
  concordant: count,
  discordant: count,
  factorTies: count,
  preferenceTies: count.describe("Pairs labelled tie among this factor's measured pairs (Tp + Tb)."),
  preferenceOnlyTies: count.describe("Tp: labelled tie, factor not tied."),
  bothTies: count.describe("Tb: labelled tie, factor tied."),
  missing: count.describe("Pairs whose sign for this factor is null; excluded from every count."),
  pValue: z
    .number()
    .gt(0)
    .max(1)
    .nullable()
    .describe("Two-sided clustered sign-flip p-value of C - D = 0; null when R = 0 or tau is null."),
  bootstrapValid: count.describe("Bootstrap replicates whose tau was not null; 0 when no bootstrap was run."),
  variants: KendallVariantsSchema,
  ci95MonteCarloError: z
    .tuple([z.number().nonnegative(), z.number().nonnegative()])
    .nullable()
    .optional()
    .describe("Monte Carlo standard error of each ci95 endpoint; [0, 0] when the interval is exact."),
  pValueMonteCarloError: z
    .number()
    .nonnegative()
    .nullable()
    .optional()
    .describe("Monte Carlo standard error of pValue, sqrt(p (1 - p) / R); 0 when pValue is exact."),
});
export type FactorScore = z.infer<typeof FactorScoreSchema>;

/**
 * Beside the marginal taus: the joint regression, which separates correlated factors, and the
 * length-controlled score of each factor (see docs/methodology.md).
 */
export const ProfileAttributionSchema = z.object({
  jointRegression: JointRegressionSchema.nullable().describe(
    "Null when the run has no factor, no non-tie pair, no pair with every factor measured, or too many pairs.",
  ),
  lengthControlled: z
    .array(LengthControlledScoreSchema)
    .nullable()
    .describe("Null when the run has no measured length factor, or too many pairs."),
  notes: z.array(z.string()).describe("Why a figure is null, and what else a reader should know."),
});
export type ProfileAttribution = z.infer<typeof ProfileAttributionSchema>;

/** profile.json: the factor scores of one source of labels. */
export const ProfileSchema = z.object({
  schemaVersion: z.literal(1),
  variant: KendallVariantSchema,
  pairs: count.describe("All pairs added."),
  preferenceTies: count.describe("Pairs labelled tie."),
  groups: count.describe("Clusters resampled by the bootstrap and flipped by the sign-flip test."),
  seed: z.number().int(),
  bootstrap: count.describe("B, bootstrap replicates."),
  permutations: count.describe("R, sign-flip replicates."),
  factors: z.array(FactorScoreSchema).describe("In the order the factors were given."),
  attribution: ProfileAttributionSchema.optional(),
  clusterLevel: z
    .string()
    .min(1)
    .optional()
    .describe(
      "How the groups were derived from the pairs (a ClusterLevel, e.g. source+prompt), when recorded.",
    ),
  intervalMethod: z
    .enum(["percentile-bootstrap", "sign-flip-inversion", "none"])
    .optional()
    .describe("How every ci95 was computed: by the group count unless forced (docs/methodology.md §5)."),
  pValueMethod: z
    .enum(["exact", "monte-carlo", "none"])
    .optional()
    .describe("exact: all 2^(G-1) sign patterns (G <= 15); monte-carlo: R random ones; none: R = 0."),
  warnings: z
    .array(z.string())
    .optional()
    .describe("What a reader must know about the figures, e.g. that there are few clusters."),
});
export type Profile = z.infer<typeof ProfileSchema>;
