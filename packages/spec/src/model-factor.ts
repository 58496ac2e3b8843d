import { z } from "zod";
import { ProfilekitError } from "./errors.js";
import type { FactorMetadata, FactorOutput, FactorPlugin, FactorPrompt } from "./factor.js";
import { FactorPromptSchema } from "./factor.js";
import { specificationVersion } from "./version.js";

/**
 * The answer a model gives for one factor, by the prompt's `output`. Counts and
 * percentages list what they counted first, so every answer can be checked.
 */
export const CountAnswerSchema = z.object({
  items: z.array(z.string()).describe("Each thing counted, one per item, in the response's order."),
  count: z.number().int().nonnegative().describe("The number of items listed."),
});
export const RatingAnswerSchema = z.object({
  reasons: z.string().describe("Why this rating, citing the response."),
  rating: z.number().int().min(1).max(5),
});
export const PercentageAnswerSchema = z.object({
  items: z
    .array(z.object({ item: z.string(), counted: z.boolean() }))
    .describe("Each thing considered (e.g. a key point of the source) and whether it counts (is covered)."),
  percentage: z.number().min(0).max(100).describe("100 times the counted items over all items."),
});
export const ComparisonAnswerSchema = z.object({
  reasons: z.string().describe("Why this answer, citing both responses."),
  answer: z.enum(["a", "b", "same"]).describe("Which response shows more of the factor."),
});
export const FactorAnswerSchemas = {
  count: CountAnswerSchema,
  rating: RatingAnswerSchema,
  percentage: PercentageAnswerSchema,
  comparison: ComparisonAnswerSchema,
} as const satisfies Record<FactorOutput, z.ZodType>;
export type CountAnswer = z.infer<typeof CountAnswerSchema>;
export type RatingAnswer = z.infer<typeof RatingAnswerSchema>;
export type PercentageAnswer = z.infer<typeof PercentageAnswerSchema>;
export type ComparisonAnswer = z.infer<typeof ComparisonAnswerSchema>;

export type ModelFactorDescription = Omit<FactorMetadata, "specificationVersion" | "method" | "prompt"> & {
  prompt: FactorPrompt;
};

/**
 * Defines a factor measured by a language model. The plugin is data (its
 * definition and versioned prompt); `extract` hands the pairs to the run's
 * model extractor, which may measure several factors in one call per pair.
 * A `comparison` prompt needs level `pair`; every other output needs `response`.
 */
export function defineModelFactor(description: ModelFactorDescription): FactorPlugin<Record<string, never>> {
  const prompt = FactorPromptSchema.parse(description.prompt);
  const expectedLevel = prompt.output === "comparison" ? "pair" : "response";
  if (description.level !== expectedLevel) {
    throw new ProfilekitError(
      "invalid_factor",
      `factor "${description.id}" asks for a ${prompt.output}, which is measured at level "${expectedLevel}", not "${description.level}"`,
      {
        location: { factor: description.id },
        hint: 'use output "comparison" with level "pair", and count, rating or percentage with level "response"',
      },
    );
  }
  const plugin: FactorPlugin<Record<string, never>> = {
    specificationVersion,
    method: "llm",
    ...description,
    prompt,
    async extract(pairs, context) {
      const extractor = context.modelExtractor;
      if (!extractor) {
        throw new ProfilekitError(
          "model_required",
          `factor "${plugin.id}" is measured by a language model, and no model is configured`,
          {
            location: { factor: plugin.id },
            hint:
              "choose a model with --extractor openai:gpt-4o-mini (with OPENAI_API_KEY set), or point " +
              "OPENAI_BASE_URL at a local OpenAI-compatible server; or leave this factor out, since " +
              "length, novelty, source-overlap, readability and formality need no model",
          },
        );
      }
      const results = await extractor.extract([plugin], pairs, { signal: context.signal });
      const byPair = new Map((results.get(plugin.id) ?? []).map((m) => [m.pairId, m]));
      return pairs.map(
        (pair) =>
          byPair.get(pair.id) ?? {
            pairId: pair.id,
            factor: plugin.id,
            sign: null,
            error: `the model extractor returned no "${plugin.id}" value for this pair`,
          },
      );
    },
  };
  return plugin;
}
