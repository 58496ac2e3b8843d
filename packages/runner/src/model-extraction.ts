import {
  createModelFactorExtractor,
  DEFAULT_SOURCE_MAX_CHARS,
  type EstimateRequest,
  type ModelClient,
  type ModelFactorExtractorWithStats,
  planExtraction,
  type ProviderRegistry,
  type UsageTracker,
} from "@profilekit/llm";
import { type ExtractionRecord, ExtractionModeSchema, type FactorPlugin, type Pair } from "@profilekit/spec";
import { z } from "zod";
import { type CacheSpec, type ModelSpec, openModelClient } from "./model-spec.js";

/** How the model-extracted factors are asked. */
export const ExtractionSettingsSchema = z.strictObject({
  mode: ExtractionModeSchema.default("joint").describe(
    "joint: each distinct response read once with every response-level factor, pair-level factors per pair; " +
      "pair-joint: every factor in one call per pair and order; per-factor: one call per factor.",
  ),
  readings: z
    .int()
    .min(1)
    .max(20)
    .default(1)
    .describe("Readings of each distinct response, averaged (joint and per-factor)."),
  bothOrders: z
    .boolean()
    .default(true)
    .describe("Ask every pair in both orders and reconcile them (else one seeded order)."),
  sourceBudget: z
    .int()
    .min(1000)
    .default(DEFAULT_SOURCE_MAX_CHARS)
    .describe("Longer source documents are cut to this many characters (the cut is counted)."),
});
export type ExtractionSettings = z.output<typeof ExtractionSettingsSchema>;
export type ExtractionSettingsInput = z.input<typeof ExtractionSettingsSchema>;

/** The model that measures the model-extracted factors, and how it is asked. */
export interface ExtractorSpec {
  readonly model: ModelSpec;
  readonly settings: ExtractionSettings;
}

/** The extractor of a run, with its own client. */
export interface Extraction {
  readonly client: ModelClient;
  readonly extractor: ModelFactorExtractorWithStats;
  /** The exact calls extracting these factors from these pairs would make (for a dry run). */
  plan(factors: readonly FactorPlugin[], pairs: readonly Pair[]): Promise<EstimateRequest[]>;
}

/**
 * Opens the extractor, sharing the run's usage tracker so manifest.json and the budget cover every
 * model of the run. Its calls never show a label, so they are cached under the same keys in every
 * setting: profiling a model's labels re-uses the extractions of the human run.
 */
export function openExtraction(
  spec: ExtractorSpec,
  cache: CacheSpec,
  usage: UsageTracker,
  seed: number,
  onRecord?: (record: ExtractionRecord) => void,
  providers?: ProviderRegistry,
): Extraction {
  const client = openModelClient(spec.model, cache, { usage, providers });
  const options = {
    client,
    seed,
    mode: spec.settings.mode,
    readings: spec.settings.readings,
    bothOrders: spec.settings.bothOrders,
    sourceBudget: { maxChars: spec.settings.sourceBudget },
    ...(onRecord ? { onRecord } : {}),
  };
  return {
    client,
    extractor: createModelFactorExtractor(options),
    plan: (factors, pairs) => planExtraction(options, factors, pairs),
  };
}
