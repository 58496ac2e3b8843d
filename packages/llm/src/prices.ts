import { z } from "zod";
import { ModelConfigurationError } from "./errors.js";

/** USD per one million tokens. */
export const ModelPriceSchema = z.object({
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** Prices keyed by `provider:modelId`, with the date they were read. */
export const PriceTableSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "asOf is a date, YYYY-MM-DD"),
  models: z.record(z.string().min(1), ModelPriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** Config overrides: prices for more (or repriced) models, and optionally their date. */
export const PriceOverridesSchema = z.object({
  asOf: PriceTableSchema.shape.asOf.optional(),
  models: z.record(z.string().min(1), ModelPriceSchema),
});
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/**
 * List prices for standard (non-batch, uncached) requests, as published by
 * OpenAI and Anthropic on `asOf`. They change: check them, or override them
 * in the config, before trusting a budget.
 */
export const DEFAULT_PRICES: PriceTable = {
  asOf: "2025-11-01",
  models: {
    "openai:gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
    "openai:gpt-4o-mini": { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    "openai:gpt-4.1": { inputPerMTok: 2, outputPerMTok: 8 },
    "openai:gpt-4.1-mini": { inputPerMTok: 0.4, outputPerMTok: 1.6 },
    "openai:gpt-4.1-nano": { inputPerMTok: 0.1, outputPerMTok: 0.4 },
    "openai:gpt-5": { inputPerMTok: 1.25, outputPerMTok: 10 },
    "openai:gpt-5-mini": { inputPerMTok: 0.25, outputPerMTok: 2 },
    "openai:gpt-5-nano": { inputPerMTok: 0.05, outputPerMTok: 0.4 },
    "openai:o4-mini": { inputPerMTok: 1.1, outputPerMTok: 4.4 },
    "anthropic:claude-opus-4-1": { inputPerMTok: 15, outputPerMTok: 75 },
    "anthropic:claude-sonnet-4-5": { inputPerMTok: 3, outputPerMTok: 15 },
    "anthropic:claude-sonnet-4": { inputPerMTok: 3, outputPerMTok: 15 },
    "anthropic:claude-haiku-4-5": { inputPerMTok: 1, outputPerMTok: 5 },
    "anthropic:claude-3-5-haiku": { inputPerMTok: 0.8, outputPerMTok: 4 },
  },
};

/** The default table with the overrides laid over it. */
export function priceTable(overrides?: PriceOverrides): PriceTable {
  if (!overrides) return DEFAULT_PRICES;
  const result = PriceOverridesSchema.safeParse(overrides);
  if (!result.success) {
    throw new ModelConfigurationError(
      "invalid_prices",
      `The price table is invalid:\n${z.prettifyError(result.error)}`,
      {
        hint: 'Write prices as { asOf: "YYYY-MM-DD", models: { "provider:model": { inputPerMTok, outputPerMTok } } }.',
        location: { field: "prices" },
      },
    );
  }
  const parsed = result.data;
  return { asOf: parsed.asOf ?? DEFAULT_PRICES.asOf, models: { ...DEFAULT_PRICES.models, ...parsed.models } };
}

/**
 * The price of `provider:modelId`. A dated snapshot id falls back to its
 * family (`claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`,
 * `gpt-4o-2024-08-06` -> `gpt-4o`), since snapshots are priced as the family.
 */
export function findPrice(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table.models[model];
  if (exact) return exact;
  const family = model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, "");
  return family === model ? undefined : table.models[family];
}

/** USD for the tokens at the price. */
export function costOf(price: ModelPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1_000_000;
}
