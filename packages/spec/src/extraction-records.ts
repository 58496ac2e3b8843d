import { z } from "zod";

// evidence.jsonl: what a model extractor read, one record a line, so every count in
// manifestations.jsonl can be checked against the facts and marks it was counted from.

/** How the model factors are read. See ModelFactorExtractorOptions.mode. */
export const ExtractionModeSchema = z.enum(["joint", "pair-joint", "per-factor"]);
export type ExtractionMode = z.infer<typeof ExtractionModeSchema>;

/**
 * A response as readings know it: keyed by its text with its source and prompt (the inputs a
 * reading may show), so the same text under another question is another response.
 */
export const ResponseRefSchema = z.object({
  key: z
    .string()
    .regex(/^[0-9a-f]{32}$/)
    .describe("sha256 of [source, prompt, text], first 32 hex digits."),
  text: z.string(),
});
export type ResponseRef = z.infer<typeof ResponseRefSchema>;

const LabelSchema = z.object({ reason: z.string(), verdict: z.string() });

/** One fact of a ledger with its labels, by ledger factor id. */
export const LedgerFactRecordSchema = z.object({
  fact: z.string(),
  labels: z.record(z.string(), LabelSchema),
});

export const ChecklistRecordSchema = z.object({
  kind: z.literal("checklist"),
  /** The percentage factor the checklist serves. */
  factor: z.string(),
  /** inputKey of the inputs it was drawn up from; readings name it under `checklists`. */
  input: z.string(),
  promptVersion: z.string(),
  items: z.array(z.string()),
});
export type ChecklistRecord = z.infer<typeof ChecklistRecordSchema>;

/**
 * One reading of one response: the fact ledger every ledger factor counts from, the checklist
 * marks, and the value each factor took (null with the error when it could not be read), so
 * every count can be checked against the facts and labels it was counted from.
 */
export const ReadingRecordSchema = z.object({
  kind: z.literal("reading"),
  mode: ExtractionModeSchema,
  response: ResponseRefSchema,
  /** pair-joint only: the pair and the order in which the response was read beside the other. */
  pairId: z.string().optional(),
  order: z.enum(["given", "swapped"]).optional(),
  /** Which of the `readings` samples (0-based). */
  reading: z.number().int().nonnegative(),
  promptVersion: z.string(),
  /** The response-level factors this reading measured. */
  factors: z.array(z.string()),
  facts: z.array(LedgerFactRecordSchema).optional(),
  /** Per percentage factor: the inputKey of its checklist, and one mark per item. */
  checklists: z.record(
    z.string(),
    z.object({
      input: z.string(),
      marks: z.array(z.object({ item: z.string(), reason: z.string(), covered: z.boolean() })),
    }),
  ),
  values: z.record(z.string(), z.number().nullable()),
  errors: z.record(z.string(), z.string()),
});
export type ReadingRecord = z.infer<typeof ReadingRecordSchema>;

/** What the extractor hands to `onRecord`, for the run folder. */
export const ExtractionRecordSchema = z.discriminatedUnion("kind", [
  ChecklistRecordSchema,
  ReadingRecordSchema,
]);
export type ExtractionRecord = z.infer<typeof ExtractionRecordSchema>;
