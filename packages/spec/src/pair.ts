import { z } from "zod";

/** Which response of a pair was preferred. */
export const LabelSchema = z.enum(["a", "b", "tie"]);
export type Label = z.infer<typeof LabelSchema>;

/** p in PROFILE's notation: +1 if `a` is preferred, -1 if `b`, 0 for a tie. */
export function labelToPreference(label: Label): 1 | -1 | 0 {
  return label === "a" ? 1 : label === "b" ? -1 : 0;
}

/**
 * One input with two responses and a preference label. This is the canonical
 * record of profilekit: one JSON object per line of a `.jsonl` file.
 */
export const PairSchema = z.object({
  id: z.string().min(1).describe("Unique id of the pair within its file."),
  task: z.string().min(1).describe("Task id, e.g. summarization, instruction-following, document-qa."),
  source: z.string().optional().describe("The source document, for grounded tasks."),
  prompt: z.string().optional().describe("The instruction, question or dialogue."),
  a: z.string().describe("The first response."),
  b: z.string().describe("The second response."),
  label: LabelSchema.describe("Which response was preferred: a, b or tie."),
  group: z
    .string()
    .min(1)
    .optional()
    .describe("Cluster for resampling; derived from source plus prompt when absent."),
  meta: z.record(z.string(), z.unknown()).optional().describe("Anything else, kept as is."),
});
export type Pair = z.infer<typeof PairSchema>;
