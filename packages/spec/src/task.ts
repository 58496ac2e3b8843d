import { z } from "zod";
import { specificationVersion } from "./version.js";

/**
 * A prompt as versioned data. `user` (and `system`) may hold `{{placeholders}}`
 * such as {{prompt}}, {{source}}, {{a}}, {{b}}, {{level}}, {{levels}}.
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
  factors: z.array(z.string().min(1)).min(1),
  presets: z.array(z.string().min(1)).default([]),
  prompts: z.object({
    judge: PromptTemplateSchema.optional(),
    generation: PromptTemplateSchema.optional(),
    guidance: PromptTemplateSchema.optional(),
  }),
});
export type TaskAdapter = z.infer<typeof TaskAdapterSchema>;
export type TaskAdapterInput = z.input<typeof TaskAdapterSchema>;
