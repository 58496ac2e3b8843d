import { z } from "zod";
import { FactorRecordSchema } from "./run-files.js";

// Extractor validation (`profilekit validate`): items that people rated or marked, the declared
// mappings from a factor to those human labels, and the files a validation run writes.

const count = z.number().int().nonnegative();
const factorId = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "a factor id is kebab-case, e.g. source-coverage");

/** A human label of a validation item: a rating or a count (a number), or a mark (a boolean). */
export const ValidationLabelSchema = z.union([z.number().finite(), z.boolean()]);
export type ValidationLabel = z.infer<typeof ValidationLabelSchema>;

/**
 * One response that people rated or marked, with its labels: one JSON object per line of a
 * validation file (docs/data-format.md). Factors are measured on `response`, with `source` and
 * `prompt` as a pair's would be; `cluster` is the unit the intervals resample (the document, the
 * question), and the unit within which summary-level correlations are taken.
 */
export const ValidationItemSchema = z.object({
  id: z.string().min(1).describe("Unique id of the item within its file."),
  task: z.string().min(1).describe("Task id, e.g. summarization, document-qa."),
  source: z.string().optional().describe("The source document, for grounded tasks."),
  prompt: z.string().optional().describe("The instruction or question."),
  response: z.string().describe("The response the labels are about."),
  cluster: z.string().min(1).describe("The item's cluster: its document or question."),
  labels: z
    .record(z.string().min(1), ValidationLabelSchema)
    .describe("Human labels by name, e.g. { coherence: 3.67 } or { unverifiable: 2 }."),
  meta: z.record(z.string(), z.unknown()).optional().describe("Anything else, kept as is."),
});
export type ValidationItem = z.infer<typeof ValidationItemSchema>;

/** A published figure a mapping's result is printed beside. */
export const ReferenceFigureSchema = z.strictObject({
  /** The evaluator, e.g. "G-Eval (GPT-4)". */
  evaluator: z.string().min(1),
  /** Where the figure is published, e.g. "Liu et al. 2023, Table 1". */
  citation: z.string().min(1),
  /** The data it was measured on, e.g. "SummEval, 1,600 summaries (100 articles x 16 systems)". */
  data: z.string().min(1),
  spearman: z.number().min(-1).max(1).optional(),
  kendallTauB: z.number().min(-1).max(1).optional(),
});
export type ReferenceFigure = z.infer<typeof ReferenceFigureSchema>;

/**
 * How one factor is compared with human labels. The factor's value on each item is correlated
 * with the sum of `labels` (a boolean counts 1 when true); `reversed` negates the factor's value
 * first (more hallucination = less consistent), so a positive statistic always means agreement.
 * - `summary-level`: Spearman and Kendall tau_b within each cluster, averaged over the clusters
 *   (Bhandari et al. 2020), for clusters holding many rated responses (one article's summaries).
 * - `item-level`: Kendall tau_b over all items, and the AUC for "the label sum is above 0" (a span
 *   of the type is present), for clusters holding one or few items (one answer per question).
 * `measure`: the factor is meant to measure what the label rates. `proxy`: a factor that needs no
 * model, standing in under its own name (readability for fluency); it measures something else.
 */
export const ValidationMappingSchema = z.strictObject({
  factor: factorId,
  labels: z.array(z.string().min(1)).min(1).describe("The human label, or labels summed."),
  /** How tables name the labels (default: joined by " + "). */
  labelName: z.string().min(1).optional(),
  direction: z.enum(["same", "reversed"]),
  role: z.enum(["measure", "proxy"]),
  statistic: z.enum(["summary-level", "item-level"]),
  references: z.array(ReferenceFigureSchema).default([]),
  /** What the mapping means and what to keep in mind reading it. */
  note: z.string().min(1).optional(),
});
export type ValidationMapping = z.output<typeof ValidationMappingSchema>;
export type ValidationMappingInput = z.input<typeof ValidationMappingSchema>;

const interval = z.tuple([z.number(), z.number()]).nullable();

/** A statistic with its clustered interval. */
export const ValidationEstimateSchema = z.object({
  value: z.number().nullable(),
  ci95: interval,
  ci95MonteCarloError: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable(),
  /** The clusters the value and interval come from (for summary-level: those with a defined correlation). */
  clusters: count,
});
export type ValidationEstimate = z.infer<typeof ValidationEstimateSchema>;

/** One mapping's result in validation.json. */
export const ValidationResultSchema = ValidationMappingSchema.extend({
  /** Items with both a value and every label of the mapping: the ones compared. */
  items: count,
  clusters: count,
  /** Items lacking one of the mapping's labels (counted, never guessed). */
  missingLabel: count,
  /** Items the factor could not be measured on (no source, an answer that failed, ...). */
  notMeasured: count,
  /** Summary-level only. */
  spearman: ValidationEstimateSchema.nullable(),
  kendallTauB: ValidationEstimateSchema.nullable(),
  /** Item-level only: the AUC of the label's presence (sum > 0), with its positives and negatives. */
  auc: ValidationEstimateSchema.extend({ positives: count, negatives: count }).nullable(),
  intervalMethod: z.enum(["percentile-bootstrap", "sign-flip-inversion", "none"]),
  /** Why the mapping was not computed (its factor needs a model and none was given). */
  skipped: z.string().optional(),
  /** Few clusters, missing labels and values, few positives. */
  notes: z.array(z.string()),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

/** validation.json: every dataset's mappings with their statistics. */
export const ValidationFileSchema = z.object({
  schemaVersion: z.number().int().positive(),
  seed: z.number().int(),
  bootstrap: count,
  permutations: count,
  datasets: z.array(
    z.object({
      name: z.string().min(1),
      /** The file read, or "(items given in code)". */
      input: z.string().min(1),
      items: count,
      clusters: count,
      results: z.array(ValidationResultSchema),
    }),
  ),
  /** Factors left out because they need a model and no extractor was given. */
  skippedFactors: z.array(z.string()),
});
export type ValidationFile = z.infer<typeof ValidationFileSchema>;

/** One line of measurements.jsonl: a factor's value on an item, or why there is none. */
export const MeasurementRecordSchema = z.object({
  dataset: z.string(),
  itemId: z.string(),
  factor: z.string(),
  value: z.number().nullable(),
  error: z.string().optional(),
});
export type MeasurementRecord = z.infer<typeof MeasurementRecordSchema>;

/**
 * manifest.json of a validation folder: what ran and how, written last. No timestamps: the same
 * items, factors and seed give the same bytes.
 */
export const ValidationManifestSchema = z.looseObject({
  schemaVersion: z.number().int().positive(),
  command: z.string(),
  input: z.object({
    datasets: z.array(z.object({ name: z.string(), path: z.string(), items: count, mappings: count })),
  }),
  factors: z.array(FactorRecordSchema),
  scoring: z.object({ bootstrap: count, permutations: count, seed: z.number().int() }),
  models: z.record(z.string(), z.string()).optional(),
  versions: z.record(z.string(), z.string()),
  node: z.string(),
});
export type ValidationManifest = z.infer<typeof ValidationManifestSchema>;
