import { z } from "zod";
import { CritiqueSchema } from "./improvement-files.js";
import { LabelSchema } from "./pair.js";

// The files of a run folder, one schema each. A run folder is a versioned log: its manifest.json
// carries `schemaVersion`, which versions every file of the folder; a reader refuses a version
// it does not know. profile.json's base schema is @profilekit/core's ProfileSchema; the blocks a
// setting adds to it are here.

/** The version of the run-folder format written by this release. */
export const runFolderSchemaVersion = 1 as const;

const count = z.number().int().nonnegative();

/**
 * One line of labels.jsonl: a pair's preference label, its resampling group, and who gave the
 * label. profilekit always writes `group` and `source`; a reader takes a line without a group as a
 * group of its own (`pair:<id>`), as an older or hand-made file may have it.
 */
export const LabelRecordSchema = z.object({
  pairId: z.string().min(1),
  label: LabelSchema,
  group: z.string().min(1).optional().describe("The pair's resampling group (its cluster)."),
  source: z
    .string()
    .min(1)
    .optional()
    .describe('Who gave the label: "human", "judge:<model>" or "generation:<model>".'),
});
export type LabelRecord = z.infer<typeof LabelRecordSchema>;

/** `original`: the pair as stored (a shown first, as response A). `swapped`: b shown as response A. */
export const JudgeOrderSchema = z.enum(["original", "swapped"]);
export type JudgeOrder = z.infer<typeof JudgeOrderSchema>;

/** One line of judgements.jsonl: what the judge said about a pair in each order, and the label kept. */
export const JudgementRecordSchema = z.object({
  pairId: z.string(),
  /** The order asked first, drawn from the seed and the pair id. */
  firstOrder: JudgeOrderSchema,
  /**
   * The verdict in each order as the model gave it, by position: in `swapped`,
   * "a" means the response shown first, which is the stored b. Null: no valid answer.
   */
  verdicts: z.object({ original: LabelSchema.nullable(), swapped: LabelSchema.nullable() }),
  /** The model's label in the stored orientation; null when an order has no verdict. */
  label: LabelSchema.nullable(),
  /** Whether the two orders agree once the swapped verdict is turned back; null when one is missing. */
  consistent: z.boolean().nullable(),
  /** The pair's human label, for reading the file on its own. */
  human: LabelSchema,
  /** Why an order has no verdict. */
  errors: z.object({ original: z.string().optional(), swapped: z.string().optional() }).optional(),
});
export type JudgementRecord = z.infer<typeof JudgementRecordSchema>;

/**
 * One line of self-data's judgements.jsonl: the evaluator's verdicts on two samples of one input,
 * in both orders, as judgements.jsonl has them, without a human label (there is none); `levels`
 * records what the samples were written for, which is never used as a label.
 */
export const SampleJudgementSchema = JudgementRecordSchema.omit({ human: true }).extend({
  samples: z.object({ a: z.number().int().positive(), b: z.number().int().positive() }),
  levels: z.object({ a: z.number().int().positive(), b: z.number().int().positive() }),
});
export type SampleJudgement = z.infer<typeof SampleJudgementSchema>;

/**
 * What became of a generated response: `kept`; `failed` (no text: the call failed or the text
 * was empty); dropped by the self-check as `off-target` (its self-score is more than delta away
 * from its level) or `unscored` (the self-score call failed, so the response could not be checked);
 * `revised`: a draft of the feedback loop that a later round replaced.
 */
export const ResponseStatusSchema = z.enum(["kept", "failed", "off-target", "unscored", "revised"]);
export type ResponseStatus = z.infer<typeof ResponseStatusSchema>;

/** One line of responses.jsonl: a response the generator wrote for an input at a quality level. */
export const ResponseRecordSchema = z.object({
  inputId: z.string(),
  level: z.number().int().positive(),
  /** The seed sent with the call. */
  seed: z.number().int(),
  text: z.string().nullable(),
  status: ResponseStatusSchema,
  /** With a self-check: the model's score of its own response; null when it gave none. */
  selfScore: z.number().int().nullable().optional(),
  /** The feedback loop's round: 0 for the first draft, then one per revision. */
  round: z.number().int().nonnegative().optional(),
  /** The feedback loop's evaluator on this text; null when its call failed. */
  critique: CritiqueSchema.nullable().optional(),
  /** self-data: which of the input's samples (1..N), and the temperature it was drawn at. */
  sample: z.number().int().positive().optional(),
  temperature: z.number().nonnegative().optional(),
  error: z.string().optional(),
});
export type ResponseRecord = z.infer<typeof ResponseRecordSchema>;

/** profile.json's `agreement` (the evaluation setting): the judge's labels against the human ones. */
export const JudgeAgreementSchema = z.object({
  /** Accuracy without ties: same label among the pairs where neither label is a tie. */
  accuracy: z.number().min(0).max(1).nullable(),
  /** Cohen's kappa over a, b and tie. */
  kappa: z.number().nullable(),
  /** Share of the pairs answered in both orders whose two verdicts agree once unswapped. */
  positionConsistency: z.number().min(0).max(1).nullable(),
  /** Share of ties among the model's labels. */
  tieRate: z.number().min(0).max(1).nullable(),
});
export type JudgeAgreement = z.infer<typeof JudgeAgreementSchema>;

/**
 * manifest.json's `agreement` (the evaluation setting): profile.json's four figures and the
 * counts behind them.
 */
export const JudgeManifestAgreementSchema = JudgeAgreementSchema.extend({
  /** Pairs the model labelled. */
  pairs: count,
  /** Of them, pairs where neither label is a tie: the denominator of `accuracy`. */
  decisivePairs: count,
  /** Same label among all labelled pairs, ties included. */
  accuracyWithTies: z.number().min(0).max(1).nullable(),
  /** Share of ties among the human labels of those pairs. */
  humanTieRate: z.number().min(0).max(1).nullable(),
  /** Pairs answered in both orders: the denominator of `positionConsistency`. */
  positionConsistencyPairs: count,
});
export type JudgeManifestAgreement = z.infer<typeof JudgeManifestAgreementSchema>;

/** profile.json's `generation` (the generation setting): what was written and kept. */
export const GenerationSummarySchema = z.object({
  /** Distinct inputs written for. */
  inputs: count,
  /** K: responses asked per input, aimed at scores 1..K. */
  levels: z.number().int().min(2),
  /** Responses written (calls that returned a non-empty text). */
  responses: count,
  /** Responses the self-check dropped (off target, or could not be scored); 0 without a self-check. */
  dropped: count,
  /** Pairs formed from the kept responses: C(kept, 2) per input. */
  pairs: count,
});
export type GenerationSummary = z.infer<typeof GenerationSummarySchema>;

/** How a run's factor was set up, as manifest.json records it. */
export const FactorRecordSchema = z.object({
  id: z.string(),
  method: z.string(),
  level: z.string().optional(),
  options: z.record(z.string(), z.unknown()),
  promptVersion: z.string().optional(),
});

/**
 * manifest.json of a stage folder (analyze, judge, generate, or a setting of `run`): what ran and
 * how, written last, so a folder whose manifest.json is present finished. It holds no timestamps:
 * the same inputs and seed give the same bytes. Stage-specific blocks (`judge`, `generation`,
 * `agreement`, `extraction`, `usage`) are kept as written.
 */
export const StageManifestSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  command: z.string(),
  setting: z.enum(["human", "evaluation", "generation"]).optional(),
  configHash: z.string().optional(),
  input: z.looseObject({ path: z.string() }),
  factors: z.array(FactorRecordSchema),
  scoring: z.looseObject({
    variant: z.string(),
    bootstrap: count,
    permutations: count,
    seed: z.number().int(),
  }),
  counts: z.looseObject({ pairs: count, preferenceTies: count, groups: count }),
  models: z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.string()),
  node: z.string(),
});
export type StageManifest = z.infer<typeof StageManifestSchema>;

/** One setting of a study in its manifest.json: its folder, and the counts of its profile. */
const StudyStageSchema = z.looseObject({
  folder: z.string(),
  /** run: run now or resumed by `run`; found: written into the run folder by `judge` or `generate`. */
  status: z.enum(["run", "found"]),
  configHash: z.string().optional(),
  pairs: count,
  preferenceTies: count,
  groups: count,
  model: z.string().optional(),
});

/** A setting whose stage failed: it published nothing, and the next `run` runs it again. */
const FailedStudyStageSchema = z.looseObject({
  folder: z.string(),
  status: z.literal("failed"),
  error: z.looseObject({ code: z.string(), message: z.string() }),
});

const StudySettingSchema = z.union([StudyStageSchema, FailedStudyStageSchema]);

/**
 * manifest.json at the top of a `run` study: the resolved config and its hash, the data's
 * sha256, the plugins, factors, seed and models, each setting's folder and counts (a failed
 * setting's error instead), and the
 * usage of every stage (each stage's usage report under `byStage`, and their sums), kept as
 * written. Written last, after every setting and the alignment.
 */
export const StudyManifestSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  command: z.literal("run"),
  config: z.looseObject({
    /** The config file, relative to the study folder. */
    file: z.string(),
    hash: z.string(),
    /** The config as `run` validated it, every default applied. */
    resolved: z.record(z.string(), z.unknown()),
  }),
  task: z.string(),
  data: z.looseObject({ path: z.string(), sha256: z.string() }),
  plugins: z.array(
    z.looseObject({ spec: z.string(), factors: z.array(z.string()), tasks: z.array(z.string()) }),
  ),
  factors: z.array(FactorRecordSchema),
  seed: z.number().int(),
  models: z.record(z.string(), z.string()),
  stages: z.looseObject({
    human: StudySettingSchema.optional(),
    evaluation: StudySettingSchema.optional(),
    generation: StudySettingSchema.optional(),
    alignment: z.looseObject({ folder: z.string(), comparisons: count }).optional(),
    /** refine's `improvement` setting, registered by the CLI beside the built-in ones. */
    improvement: z
      .union([
        z.looseObject({ folder: z.string(), status: z.literal("run"), configHash: z.string() }),
        FailedStudyStageSchema,
      ])
      .optional(),
  }),
  usage: z.looseObject({ byStage: z.record(z.string(), z.unknown()) }),
  versions: z.record(z.string(), z.string()),
  node: z.string(),
});
export type StudyManifest = z.infer<typeof StudyManifestSchema>;
