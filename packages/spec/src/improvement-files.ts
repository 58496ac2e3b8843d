import { z } from "zod";

// The files an improvement run writes (@profilekit/refine, `profilekit improve`): improvement.json,
// revision-profile.json's `revision` block, split.json, and the export folder's summary and
// provenance sidecar. They live here, beside the other run files, so that every reader (the report,
// a script) checks them against one schema.

const count = z.number().int().nonnegative();
const interval = z.tuple([z.number(), z.number()]).nullable();

/** The improvement methods: factor-guided generation, self-refinement, self-judged data, and the check after fine-tuning. */
export const ImproveMethodSchema = z.enum(["guided", "feedback", "self-data", "after"]);
export type ImproveMethod = z.infer<typeof ImproveMethodSchema>;

/** An estimate and its 95% interval; null when it cannot be computed (or resampled). */
export const EstimateSchema = z.object({
  value: z.number().nullable(),
  ci95: interval,
});
export type Estimate = z.infer<typeof EstimateSchema>;

/**
 * How an alignment's intervals were resampled: one set of cluster draws shared by the profiles
 * compared (`paired`), or each profile on its own when they share no cluster (`independent`).
 */
export const ResamplingSchema = z.object({
  method: z
    .enum(["paired-cluster-bootstrap", "independent-cluster-bootstrap", "partly-paired-cluster-bootstrap"])
    .describe(
      "paired: the profiles share clusters and every replicate draws them once for all; independent: no cluster is shared, each profile is resampled on its own; partly-paired: some profiles share clusters and others do not.",
    ),
  replicates: count.describe("B, bootstrap replicates."),
  seed: z.number().int(),
  clusters: z.array(count).describe("Clusters of each profile, in the order given."),
  sharedClusters: count.describe("Clusters present in every profile."),
  interval: z
    .literal("percentile-containing-estimate")
    .describe(
      "Type-7 percentile interval of the valid replicates, widened to the estimate if it fell outside.",
    ),
});
export type Resampling = z.infer<typeof ResamplingSchema>;

/** One generation (or evaluation) profile's alignment with the human one, over the factors compared. */
export const AlignmentSummarySchema = z.object({
  kendallTauB: EstimateSchema.describe("Kendall tau_b between the factor-score vectors."),
  spearman: EstimateSchema.describe("Spearman's rho between the factor-score vectors."),
  signAgreement: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe("Share of factors whose two scores share a sign."),
  top3Overlap: z
    .number()
    .int()
    .min(0)
    .max(3)
    .describe("How many of the human's 3 strongest factors are the profile's."),
});
export type AlignmentSummary = z.infer<typeof AlignmentSummarySchema>;

/** One factor before and after: its scores, how it moved, and whether it moved towards the human score. */
export const FactorChangeSchema = z.object({
  factor: z.string().min(1),
  human: z.number(),
  before: z.number(),
  after: z.number(),
  shift: EstimateSchema.describe("after - before: how the factor's score moved."),
  distanceChange: EstimateSchema.describe(
    "|after - human| - |before - human|: below 0 the factor moved towards the human score.",
  ),
});
export type FactorChange = z.infer<typeof FactorChangeSchema>;

/**
 * A paired before/after comparison with a reference (human) profile: both alignments, their
 * difference after - before, and the change of every factor, all from one set of cluster draws
 * (core's `alignmentChangeOfGroupCounts`), over the factors scored in all three profiles.
 */
export const AlignmentChangeSchema = z.object({
  factorsCompared: z
    .array(z.string())
    .describe("Factors scored in all three profiles, in the human's order."),
  before: AlignmentSummarySchema,
  after: AlignmentSummarySchema,
  delta: z
    .object({ kendallTauB: EstimateSchema, spearman: EstimateSchema })
    .describe("after - before, each interval from the same draws of both."),
  factors: z.array(FactorChangeSchema),
  resampling: ResamplingSchema.describe("Profiles in the order human, before, after."),
  warnings: z.array(z.string()),
});
export type AlignmentChange = z.infer<typeof AlignmentChangeSchema>;

/** A model as improvement.json names it, with whether it is the generator itself (self-preference). */
const EvaluatorSchema = z.object({
  model: z.string(),
  self: z.boolean().describe("The evaluator is the generator itself: self-preference bias may apply."),
});

/**
 * improvement.json: did the method move generation towards the human factor profile? The
 * generation profile before (plain generation) and after (the method), on the same inputs,
 * levels, seeds and extractor, each aligned with the human profile, and the paired change. For
 * `after`, `evaluation` re-checks the tuned model as a judge of the same held-out human pairs.
 * It holds no usage (manifest.json beside it does): the same inputs and seed give the same bytes,
 * whatever the cache held.
 */
export const ImprovementFileSchema = z.object({
  schemaVersion: z.literal(1),
  method: ImproveMethodSchema,
  /** The generator (for `after`: the tuned model). */
  model: z.string(),
  /** The base model `after` compares the tuned one with; absent for the other methods. */
  baseModel: z.string().optional(),
  evaluator: EvaluatorSchema.nullable().describe("Who critiqued or judged; null for guided generation."),
  extractor: z.string().nullable(),
  reference: z.object({ file: z.string(), pairs: count, groups: count }).describe("The human profile."),
  inputs: z.object({
    count,
    split: z.enum(["all", "held-out"]).describe("held-out: only inputs self-data kept out of its data."),
  }),
  levels: z.number().int().min(2),
  seed: z.number().int(),
  /** The run folders compared, relative to this file's folder. */
  folders: z.object({ before: z.string(), after: z.string() }),
  ...AlignmentChangeSchema.shape,
  evaluation: AlignmentChangeSchema.extend({
    folders: z.object({ before: z.string(), after: z.string() }),
  })
    .optional()
    .describe("after only: the base and the tuned model judging the held-out human pairs."),
});
export type ImprovementFile = z.infer<typeof ImprovementFileSchema>;

/**
 * revision-profile.json's `revision` block (beside the profile of every (final, first draft)
 * pair labelled "final preferred"): what the feedback loop changed, and whether it mostly made
 * responses longer.
 */
export const RevisionSummarySchema = z.object({
  responses: count.describe("Responses the loop started from (first drafts)."),
  revised: count.describe("Of them, revised at least once: the pairs of the revision profile."),
  stoppedEarly: count.describe("Responses the evaluator found on target before the last round."),
  rounds: z.number().int().min(1).describe("The most rounds asked."),
  longer: count.describe("Revisions with more words than their first draft."),
  shorter: count,
  meanWordChange: z.number().nullable().describe("Mean words of the final minus the first draft."),
  mostlyLengthens: z.boolean(),
  note: z.string().nullable().describe("Said when the loop mostly lengthens."),
});
export type RevisionSummary = z.infer<typeof RevisionSummarySchema>;

/** split.json: which inputs self-data may make data from, written before anything is made. */
export const SplitFileSchema = z.object({
  schemaVersion: z.literal(1),
  seed: z.number().int(),
  heldOutShare: z.number().gt(0).lt(1),
  rule: z.string().describe("How an input's side is drawn."),
  train: z.array(z.string()).describe("Input ids (core's groupKeyOf of source and prompt)."),
  heldOut: z.array(z.string()),
});
export type SplitFile = z.infer<typeof SplitFileSchema>;

/** The export formats, one file each under export/. */
export const ExportFormatSchema = z.enum([
  "openai-sft",
  "openai-dpo",
  "trl-dpo",
  "trl-sft",
  "trl-kto",
  "axolotl-dpo",
  "llamafactory-alpaca-dpo",
  "llamafactory-sharegpt-dpo",
]);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** Why a row was left out of the exports. */
export const DropReasonSchema = z.enum([
  "same-text",
  "empty-text",
  "system-prompt-differs",
  "assistant-messages",
  "duplicate",
]);
export type DropReason = z.infer<typeof DropReasonSchema>;

/** export/export.json: the files written, their rows, and the rows dropped per reason. */
export const ExportSummarySchema = z.object({
  schemaVersion: z.literal(1),
  files: z.array(z.object({ format: ExportFormatSchema, file: z.string(), rows: count })),
  /** Sidecars beside the rows: provenance.jsonl, dataset_info.json, axolotl.yml. */
  sidecars: z.array(z.string()),
  records: z.object({ preference: count, sft: count, kto: count }).describe("Rows kept, per kind."),
  dropped: z.record(DropReasonSchema, count).describe("Rows dropped, per reason and kind summed."),
});
export type ExportSummary = z.infer<typeof ExportSummarySchema>;

/** One line of export/provenance.jsonl: where an exported row came from (never inside the row). */
export const ExportProvenanceSchema = z.object({
  file: z.string(),
  /** 0-based: the line of a .jsonl file, the element of a .json array. */
  row: count,
  inputId: z.string(),
  /** The internal record: a judged pair (`<input>/s<i>vs<j>`) or a sample (`<input>/s<i>`). */
  record: z.string(),
});
export type ExportProvenance = z.infer<typeof ExportProvenanceSchema>;

/** A verdict of the feedback loop's evaluator on one response, for responses.jsonl. */
export const CritiqueSchema = z.object({
  meetsTarget: z.boolean(),
  issues: z.array(
    z.object({
      factor: z.string(),
      direction: z.enum(["more", "less"]),
      evidence: z.string(),
    }),
  ),
});
export type Critique = z.infer<typeof CritiqueSchema>;
