import { ProfilekitError } from "./errors.js";
import type { FactorMetadata, FactorPlugin, FactorPrompt } from "./factor.js";
import { FactorPromptSchema } from "./factor.js";
import { specificationVersion } from "./version.js";

export type ModelFactorDescription = Omit<FactorMetadata, "specificationVersion" | "method" | "prompt"> & {
  prompt: FactorPrompt;
};

/**
 * Defines a factor measured by a language model. The plugin is data (its
 * definition and versioned prompt); `extract` hands the pairs to the run's
 * model extractor, which may measure several factors in one reading.
 * A `comparison` prompt needs level `pair`; every other output needs `response`.
 * Every input the factor `requires` must be one its prompt declares in `inputs`.
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
  const unread = (description.requires ?? []).find((input) => !(prompt.inputs ?? []).includes(input));
  if (unread !== undefined) {
    throw new ProfilekitError(
      "invalid_factor",
      `factor "${description.id}" requires the ${unread}, and its prompt does not declare it among its inputs`,
      {
        location: { factor: description.id },
        hint: `add "${unread}" to the prompt's inputs (a new prompt version), or drop it from requires`,
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
