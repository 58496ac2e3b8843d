import {
  createModelFactorExtractor,
  DEFAULT_SOURCE_MAX_CHARS,
  type EstimateRequest,
  type ModelClient,
  type ModelFactorExtractorWithStats,
  planExtraction,
  type UsageTracker,
} from "@profilekit/llm";
import type { FactorPlugin, Pair } from "@profilekit/spec";
import { z } from "zod";
import { type CacheSpec, type ModelSpec, openModelClient } from "./model-spec.js";

/** How the model-extracted factors are asked. */
export const ExtractionSettingsSchema = z.strictObject({
  mode: z
    .enum(["joint", "per-factor"])
    .default("joint")
    .describe("joint: all model factors in one call per pair; per-factor: one call per factor and response."),
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
): Extraction {
  const client = openModelClient(spec.model, cache, { usage });
  const options = {
    client,
    seed,
    mode: spec.settings.mode,
    bothOrders: spec.settings.bothOrders,
    sourceBudget: { maxChars: spec.settings.sourceBudget },
  };
  return {
    client,
    extractor: createModelFactorExtractor(options),
    plan: (factors, pairs) => planExtraction(options, factors, pairs),
  };
}
