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

/**
 * The level at which pairs are clustered for resampling, the unit the bootstrap draws and the
 * sign-flip test flips (the coarsest level at which pairs depend on each other):
 * - `auto`: the pair's `group` when set, else one cluster per source and prompt, else the pair;
 * - `source`, `prompt`, `source+prompt`: pairs with the same source text, prompt text, or both;
 * - `pair`: every pair on its own;
 * - `group`: the pair's `group` field;
 * - `meta.<key>`: the value of `meta[key]` (a string, number or boolean).
 * A dataset preset declares the natural level of its dataset.
 */
export const ClusterLevelSchema = z.union([
  z.enum(["auto", "source", "prompt", "source+prompt", "pair", "group"]),
  z.templateLiteral(["meta.", z.string().min(1)]),
]);
export type ClusterLevel = z.infer<typeof ClusterLevelSchema>;

const optionalStringKeys = ["source", "prompt", "group"] as const;

/**
 * `PairSchema.safeParse(value).data` for the common record, at a fraction of the cost: a
 * plain object whose fields have the right types, without `meta`. It returns undefined for
 * anything else (a wrong type, an empty id, a `meta` to copy), and the caller then parses with
 * `PairSchema`, which stays the definition and reports the problem. The result is built like
 * the schema's output: the schema's keys in its order, unknown keys dropped. A property test
 * holds the two to agreement.
 */
export function parseCommonPair(value: unknown): Pair | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const { id, task, source, prompt, a, b, label, group } = record;
  if (typeof id !== "string" || id.length === 0 || typeof task !== "string" || task.length === 0)
    return undefined;
  if (typeof a !== "string" || typeof b !== "string" || (label !== "a" && label !== "b" && label !== "tie")) {
    return undefined;
  }
  if ("meta" in record) return undefined;
  for (const key of optionalStringKeys) {
    if (key in record && typeof record[key] !== "string") return undefined;
  }
  if (group === "") return undefined;
  const pair = { id, task } as Pair;
  if (source !== undefined) pair.source = source as string;
  if (prompt !== undefined) pair.prompt = prompt as string;
  pair.a = a;
  pair.b = b;
  pair.label = label;
  if (group !== undefined) pair.group = group as string;
  return pair;
}
