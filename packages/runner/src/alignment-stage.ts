import {
  AlignmentSchema,
  alignGroupCounts,
  alignProfiles,
  GenerationEvaluationGapSchema,
  generationEvaluationGap,
  generationEvaluationGapOfGroupCounts,
} from "@profilekit/core";
import { ProfilekitError, runFolderSchemaVersion } from "@profilekit/spec";
import { z } from "zod";
import {
  checkSameVariant,
  type ProfileInput,
  ProfileInputSchema,
  type ProfileRole,
  ProfileRoleSchema,
  readProfileInput,
} from "./profile-inputs.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import { parseRequest } from "./stage-request.js";

/** Names a compared profile in alignment.json. */
const ProfileRefSchema = z.object({
  label: z.string(),
  file: z.string(),
  role: ProfileRoleSchema.optional(),
  model: z.string().optional(),
  variant: z.string(),
  pairs: z.number().int().nonnegative(),
});
type ProfileRef = z.infer<typeof ProfileRefSchema>;

/** One comparison: the alignment of `compared` with `reference`, and the factors not scored in both. */
const ComparisonSchema = AlignmentSchema.extend({
  reference: ProfileRefSchema,
  compared: ProfileRefSchema,
  unscoredFactors: z
    .array(z.string())
    .describe("Factors in either profile without a score (non-null tau) in both; left out of every figure."),
});
export type Comparison = z.infer<typeof ComparisonSchema>;

/** One model's generation-evaluation gap against the reference (PROFILE's central comparison). */
const GapEntrySchema = z.object({
  model: z.string().optional(),
  evaluation: z.string().describe("Label of the evaluation profile."),
  generation: z.string().describe("Label of the generation profile."),
  evaluationTauB: z.number().nullable(),
  generationTauB: z.number().nullable(),
  tauBDifference: z.object({
    value: z.number().nullable(),
    ci95: z.tuple([z.number(), z.number()]).nullable(),
  }),
  resampling: GenerationEvaluationGapSchema.shape.resampling,
  warnings: z.array(z.string()).optional(),
});
export type GapEntry = z.infer<typeof GapEntrySchema>;

/**
 * alignment.json. The top level is the first comparison (the second profile against the
 * reference), so it parses with core's AlignmentSchema; `comparisons` holds every comparison,
 * the first included, and `generationEvaluationGaps` every evaluation/generation pair of one model.
 */
export const AlignmentFileSchema = ComparisonSchema.extend({
  schemaVersion: z.literal(runFolderSchemaVersion),
  replicates: z.number().int().nonnegative(),
  seed: z.number().int(),
  comparisons: z.array(ComparisonSchema).min(1),
  generationEvaluationGaps: z.array(GapEntrySchema),
});
export type AlignmentFile = z.infer<typeof AlignmentFileSchema>;

export interface ComparisonOptions {
  readonly replicates: number;
  readonly seed: number;
}

const refOf = (input: ProfileInput): ProfileRef => ({
  label: input.label,
  file: input.file,
  ...(input.role ? { role: input.role } : {}),
  ...(input.model ? { model: input.model } : {}),
  variant: input.profile.variant,
  pairs: input.profile.pairs,
});

function unscoredFactors(a: ProfileInput, b: ProfileInput): string[] {
  const scored = (input: ProfileInput) =>
    new Set(input.profile.factors.filter((f) => f.tau !== null).map((f) => f.factor));
  const inA = scored(a);
  const inB = scored(b);
  const all = [...a.profile.factors, ...b.profile.factors].map((f) => f.factor);
  return [...new Set(all)].filter((factor) => !(inA.has(factor) && inB.has(factor)));
}

/**
 * The evaluation and generation profiles that belong to one model: the only one of each when
 * there is one of each (unless their model ids differ), otherwise those with the same model id.
 */
function gapPairs(inputs: readonly ProfileInput[]): [ProfileInput, ProfileInput][] {
  const evaluations = inputs.filter((input) => input.role === "evaluation");
  const generations = inputs.filter((input) => input.role === "generation");
  if (evaluations.length === 1 && generations.length === 1) {
    const [e, g] = [evaluations[0]!, generations[0]!];
    return e.model !== undefined && g.model !== undefined && e.model !== g.model ? [] : [[e, g]];
  }
  return evaluations.flatMap((e) =>
    generations
      .filter((g) => e.model !== undefined && g.model === e.model)
      .map((g): [ProfileInput, ProfileInput] => [e, g]),
  );
}

/**
 * The figures of profiles without their group counts (groups.json, written since the paired
 * alignment): intervals from the parametric bootstrap of each factor's own interval, which treats
 * factors and profiles as independent, with a warning that says so and how to get paired ones.
 */
function withWarning<T extends { warnings?: string[] | undefined }>(
  figures: T,
  inputs: readonly ProfileInput[],
): T {
  const without = inputs.filter((input) => input.groupCounts === undefined).map((input) => input.file);
  const warning =
    `no groups.json beside ${without.join(", ")}: the intervals come from a parametric bootstrap of each ` +
    "factor's interval, which treats factors and profiles as independent and is not paired; write the " +
    "profiles again with this release (or re-score them with analyze --run) for paired intervals";
  return { ...figures, warnings: [...(figures.warnings ?? []), warning] };
}

/**
 * Compares every profile after the first with the first (the reference), and computes the
 * generation-evaluation gap of each model given in both settings (when the reference is not
 * itself a model's profile). The same inputs, replicates and seed give the same result.
 */
export function compareProfiles(inputs: readonly ProfileInput[], options: ComparisonOptions): AlignmentFile {
  checkSameVariant(inputs);
  const [reference, ...others] = inputs;
  if (reference === undefined || others.length === 0)
    throw new Error("compareProfiles needs at least two profiles");
  const alignmentOptions = { replicates: options.replicates, seed: options.seed };
  const pairedOptions = { ...alignmentOptions, variant: reference.profile.variant };
  const comparisons = others.map((other): Comparison => {
    const alignment =
      reference.groupCounts && other.groupCounts
        ? alignGroupCounts(reference.groupCounts, other.groupCounts, pairedOptions)
        : withWarning(alignProfiles(reference.profile, other.profile, alignmentOptions), [reference, other]);
    return {
      reference: refOf(reference),
      compared: refOf(other),
      ...alignment,
      unscoredFactors: unscoredFactors(reference, other),
    };
  });
  const referenceIsModel = reference.role === "evaluation" || reference.role === "generation";
  const gaps = referenceIsModel
    ? []
    : gapPairs(others).map(([e, g]): GapEntry => {
        const gap =
          reference.groupCounts && e.groupCounts && g.groupCounts
            ? generationEvaluationGapOfGroupCounts(
                { human: reference.groupCounts, evaluation: e.groupCounts, generation: g.groupCounts },
                pairedOptions,
              )
            : withWarning(
                generationEvaluationGap(
                  { human: reference.profile, evaluation: e.profile, generation: g.profile },
                  alignmentOptions,
                ),
                [reference, e, g],
              );
        const model = e.model ?? g.model;
        return {
          ...(model ? { model } : {}),
          evaluation: e.label,
          generation: g.label,
          evaluationTauB: gap.evaluation.kendallTauB.value,
          generationTauB: gap.generation.kendallTauB.value,
          tauBDifference: gap.tauBDifference,
          ...(gap.resampling ? { resampling: gap.resampling } : {}),
          ...(gap.warnings && gap.warnings.length > 0 ? { warnings: gap.warnings } : {}),
        };
      });
  return {
    schemaVersion: 1,
    replicates: options.replicates,
    seed: options.seed,
    ...comparisons[0]!,
    comparisons,
    generationEvaluationGaps: gaps,
  };
}

/** What `align` is asked: two or more profiles, the first the reference (usually human). */
export const AlignRequestSchema = z.strictObject({
  /** profile.json files or run folders, or profiles already read (from analyze, judge, generate). */
  profiles: z.array(z.union([z.string().min(1), ProfileInputSchema])).min(2),
  /** Names of the profiles, in order (default: their role, or their folder). */
  labels: z.array(z.string().min(1)).optional(),
  /** Where each profile's labels came from, in order; undefined or "auto" entries are read from the files. */
  roles: z
    .array(
      z
        .enum([...ProfileRoleSchema.options, "auto"])
        .optional()
        .transform((role) => (role === "auto" ? undefined : role)),
    )
    .optional(),
  replicates: z.int().min(0).max(1_000_000).default(2000),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  /** The folder for alignment.json; without it nothing is written. */
  out: z.string().min(1).optional(),
});
export type AlignRequest = z.input<typeof AlignRequestSchema>;

/** Labels must tell the profiles apart; a repeated default label falls back to the file path. */
function distinctLabels(inputs: ProfileInput[], given: boolean): ProfileInput[] {
  const counts = new Map<string, number>();
  for (const input of inputs) counts.set(input.label, (counts.get(input.label) ?? 0) + 1);
  const repeated = [...counts].find(([, n]) => n > 1);
  if (repeated === undefined) return inputs;
  if (given) throw new ProfilekitError("invalid_option", `the labels name "${repeated[0]}" twice`);
  return inputs.map((input) => (counts.get(input.label)! > 1 ? { ...input, label: input.file } : input));
}

function checkListLength(list: readonly unknown[] | undefined, count: number, name: string): void {
  if (list !== undefined && list.length !== count) {
    throw new ProfilekitError(
      "invalid_option",
      `${name} names ${list.length} profiles, but ${count} were given`,
      {
        hint: `give one ${name === "labels" ? "label" : "role"} per profile, in order`,
      },
    );
  }
}

/**
 * PROFILE's alignment: every profile after the first against the first (the reference), with
 * Kendall tau_b and Spearman between the factor scores, per-factor gaps, top-3 overlap and sign
 * agreement, and the generation-evaluation gap of every model given in both settings. With `out`,
 * writes alignment.json there.
 */
export async function align(input: AlignRequest): Promise<AlignmentFile> {
  const request = parseRequest(AlignRequestSchema, input, "align");
  const count = request.profiles.length;
  checkListLength(request.labels, count, "labels");
  checkListLength(request.roles, count, "roles");
  const inputs: ProfileInput[] = [];
  for (const [i, profile] of request.profiles.entries()) {
    const role: ProfileRole | undefined = request.roles?.[i];
    const label = request.labels?.[i];
    const given = { ...(role ? { role } : {}), ...(label ? { label } : {}) };
    inputs.push(
      typeof profile === "string" ? await readProfileInput(profile, given) : { ...profile, ...given },
    );
  }
  const alignment = compareProfiles(distinctLabels(inputs, request.labels !== undefined), {
    replicates: request.replicates,
    seed: request.seed,
  });
  if (request.out !== undefined) await writeAlignmentFile(request.out, alignment);
  return alignment;
}

/** Writes DIR/alignment.json (creating DIR) atomically, validated against its schema first. */
export async function writeAlignmentFile(dir: string, alignment: AlignmentFile): Promise<void> {
  const checked = AlignmentFileSchema.parse(alignment);
  const folder = await RunFolderWriter.open(dir);
  await folder.json("alignment.json", checked);
}
