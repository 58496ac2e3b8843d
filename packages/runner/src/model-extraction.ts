import {
  type BatchQueue,
  createModelFactorExtractor,
  DEFAULT_SOURCE_MAX_CHARS,
  type EstimateRequest,
  type ModelClient,
  type ModelEvent,
  type ModelFactorExtractorWithStats,
  planExtraction,
  type ProviderRegistry,
  UsageTracker,
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
  extras: {
    /** Receives what the extractor read (fact ledgers, checklists), for evidence.jsonl. */
    readonly onRecord?: ((record: ExtractionRecord) => void) | undefined;
    readonly providers?: ProviderRegistry | undefined;
    readonly onEvent?: ((event: ModelEvent) => void) | undefined;
    /** Batch mode: the round's queue. */
    readonly batch?: BatchQueue | undefined;
  } = {},
): Extraction {
  const { onRecord, providers, onEvent, batch } = extras;
  const client = openModelClient(spec.model, cache, {
    usage,
    providers,
    ...(onEvent ? { onEvent } : {}),
    ...(batch ? { batch } : {}),
  });
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

/**
 * The extraction calls these pairs would need, as a dry run's call plan (the calls are planned by
 * running the extractor against a client that answers nothing); undefined without model factors.
 */
export async function extractionCallPlan(
  spec: ExtractorSpec,
  context: {
    readonly cache: CacheSpec;
    readonly seed: number;
    readonly providers?: ProviderRegistry | undefined;
  },
  factors: readonly FactorPlugin[],
  pairs: readonly Pair[],
  note?: string,
): Promise<import("./dry-run.js").CallPlan | undefined> {
  const modelFactors = factors.filter((factor) => factor.method === "llm" && factor.prompt !== undefined);
  if (modelFactors.length === 0) return undefined;
  const extraction = openExtraction(spec, context.cache, new UsageTracker(), context.seed, {
    providers: context.providers,
  });
  try {
    const requests = await extraction.plan(modelFactors, pairs);
    return { purpose: "extract", model: spec.model, requests, ...(note ? { note } : {}) };
  } finally {
    await extraction.client.close();
  }
}
