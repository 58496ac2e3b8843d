import { z } from "zod";
import type { Label } from "./pair.js";
import { specificationVersion } from "./version.js";

/**
 * A prompt as versioned data. `user` (and `system`) may hold `{{placeholders}}`
 * such as {{prompt}}, {{source}}, {{a}}, {{b}}, {{level}}, {{levels}}; a judge
 * prompt holds {{choices}}, filled with `judgeChoices(allowTies)`. Render it with
 * `renderPromptTemplate`.
 */
export const PromptTemplateSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  system: z.string().optional(),
  user: z.string().min(1),
});
export type PromptTemplate = z.infer<typeof PromptTemplateSchema>;

/**
 * A task: its factor set, its dataset presets, and the prompts of the three
 * settings (judging a pair, writing at a quality level, and guidance used by
 * refinement).
 */
export const TaskAdapterSchema = z.object({
  specificationVersion: z.literal(specificationVersion),
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  factors: z.array(z.string().min(1)).min(1).describe("PROFILE's factor set for the task."),
  classicalFactors: z
    .array(z.string().min(1))
    .default([])
    .describe("Deterministic measures that suit the task and need no model; never PROFILE factors."),
  presets: z.array(z.string().min(1)).default([]),
  prompts: z.object({
    judge: PromptTemplateSchema.optional(),
    generation: PromptTemplateSchema.optional(),
    guidance: PromptTemplateSchema.optional(),
  }),
});
export type TaskAdapter = z.infer<typeof TaskAdapterSchema>;
export type TaskAdapterInput = z.input<typeof TaskAdapterSchema>;

/** The verdicts a judge may give: `a` or `b`, and `tie` only when ties are allowed. */
export function judgeVerdicts(allowTies: boolean): Label[] {
  return allowTies ? ["a", "b", "tie"] : ["a", "b"];
}

/** The text for a judge prompt's {{choices}}: the verdicts of `judgeVerdicts(allowTies)`, quoted. */
export function judgeChoices(allowTies: boolean): string {
  return allowTies
    ? '"a", "b" or "tie" ("tie" only when neither response is better than the other)'
    : '"a" or "b"';
}
