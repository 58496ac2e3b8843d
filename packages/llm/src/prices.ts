import { z } from "zod";
import { ModelConfigurationError } from "./errors.js";

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "asOf is a date, YYYY-MM-DD");

/**
 * A model's rates, USD per one million tokens, and the date they were read.
 * `inputPerMTok` is the standard (uncached) input rate. A rate left out costs
 * as the standard one: cached input and cache writes at `inputPerMTok`, the
 * batch rate at the synchronous one (`batchMultiplier` 1).
 */
export const ModelPriceSchema = z.object({
  /** When these rates were read from the provider's price list; else the table's date. */
  asOf: DateSchema.optional(),
  inputPerMTok: z.number().nonnegative(),
  outputPerMTok: z.number().nonnegative(),
  /** Input tokens read from the provider's prompt cache (OpenAI cached input, Anthropic cache reads). */
  cachedInputPerMTok: z.number().nonnegative().optional(),
  /** Input tokens written to the prompt cache (Anthropic cache writes, 5-minute TTL). */
  cacheWriteInputPerMTok: z.number().nonnegative().optional(),
  /** The batch API's price as a share of the synchronous one, for every rate (0.5: half price). */
  batchMultiplier: z.number().positive().max(1).optional(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/** Prices keyed by `provider:modelId`, with the date of the table. */
export const PriceTableSchema = z.object({
  asOf: DateSchema,
  models: z.record(z.string().min(1), ModelPriceSchema),
});
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** Config overrides: prices for more (or repriced) models, and optionally their date. */
export const PriceOverridesSchema = z.object({
  asOf: DateSchema.optional(),
  models: z.record(z.string().min(1), ModelPriceSchema),
});
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/** Which price applies: a synchronous request, or one sent through a provider's batch API. */
export type PriceRate = "standard" | "batch";

/** Token counts as a cost needs them; the cached counts are parts of `inputTokens`. */
export interface TokenCounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

const ASOF = "2025-11-01";
/** OpenAI: cached input at the model's cached rate, batch at half price. */
const openai = (input: number, cached: number, output: number): ModelPrice => ({
  asOf: ASOF,
  inputPerMTok: input,
  cachedInputPerMTok: cached,
  outputPerMTok: output,
  batchMultiplier: 0.5,
});
/** Anthropic: cache reads at 0.1x input, cache writes (5-minute TTL) at 1.25x, batch at half price. */
const anthropic = (input: number, output: number): ModelPrice => ({
  asOf: ASOF,
  inputPerMTok: input,
  cachedInputPerMTok: round(input * 0.1),
  cacheWriteInputPerMTok: round(input * 1.25),
  outputPerMTok: output,
  batchMultiplier: 0.5,
});
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * List prices as published by OpenAI and Anthropic on each entry's `asOf`:
 * standard input, cached input (OpenAI) or cache reads and writes
 * (Anthropic), output, and the batch APIs' 50%. They change: check them, or
 * override them in the config, before trusting a budget.
 */
export const DEFAULT_PRICES: PriceTable = {
  asOf: ASOF,
  models: {
    "openai:gpt-4o": openai(2.5, 1.25, 10),
    "openai:gpt-4o-mini": openai(0.15, 0.075, 0.6),
    "openai:gpt-4.1": openai(2, 0.5, 8),
    "openai:gpt-4.1-mini": openai(0.4, 0.1, 1.6),
    "openai:gpt-4.1-nano": openai(0.1, 0.025, 0.4),
    "openai:gpt-5": openai(1.25, 0.125, 10),
    "openai:gpt-5-mini": openai(0.25, 0.025, 2),
    "openai:gpt-5-nano": openai(0.05, 0.005, 0.4),
    "openai:o4-mini": openai(1.1, 0.275, 4.4),
    "anthropic:claude-opus-4-1": anthropic(15, 75),
    "anthropic:claude-sonnet-4-5": anthropic(3, 15),
    "anthropic:claude-sonnet-4": anthropic(3, 15),
    "anthropic:claude-haiku-4-5": anthropic(1, 5),
    "anthropic:claude-3-5-haiku": anthropic(0.8, 4),
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
        hint: 'Write prices as { asOf: "YYYY-MM-DD", models: { "provider:model": { inputPerMTok, outputPerMTok, cachedInputPerMTok?, cacheWriteInputPerMTok?, batchMultiplier? } } }.',
        location: { field: "prices" },
      },
    );
  }
  const parsed = result.data;
  const models = Object.fromEntries(
    Object.entries(parsed.models).map(([model, price]) => [
      model,
      price.asOf || !parsed.asOf ? price : { ...price, asOf: parsed.asOf },
    ]),
  );
  return { asOf: parsed.asOf ?? DEFAULT_PRICES.asOf, models: { ...DEFAULT_PRICES.models, ...models } };
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

/**
 * USD for the tokens at the price: uncached input at the standard rate, cached
 * input and cache writes at theirs, output at the output rate; at the batch
 * rate, all of it times `batchMultiplier`.
 */
export function costOf(price: ModelPrice, tokens: TokenCounts, rate: PriceRate = "standard"): number {
  const cached = tokens.cachedInputTokens ?? 0;
  const written = tokens.cacheWriteInputTokens ?? 0;
  const uncached = Math.max(0, tokens.inputTokens - cached - written);
  const sync =
    (uncached * price.inputPerMTok +
      cached * (price.cachedInputPerMTok ?? price.inputPerMTok) +
      written * (price.cacheWriteInputPerMTok ?? price.inputPerMTok) +
      tokens.outputTokens * price.outputPerMTok) /
    1_000_000;
  return rate === "batch" ? sync * (price.batchMultiplier ?? 1) : sync;
}
