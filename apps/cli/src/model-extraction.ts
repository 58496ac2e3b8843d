import {
  createModelFactorExtractor,
  type ModelClient,
  type ModelFactorExtractorWithStats,
  type UsageTracker,
} from "@profilekit/llm";
import { createClient, type ModelFlags } from "./model-options.js";

/** The model that measures the model-extracted factors (`--extractor`), with its own client. */
export interface Extraction {
  readonly client: ModelClient;
  readonly extractor: ModelFactorExtractorWithStats;
}

/**
 * The extractor of `--extractor <model>`, sharing the run's usage tracker so
 * manifest.json and --max-cost cover every model of the run. Its calls never
 * show a label, so they are cached under the same keys as `analyze`'s with the
 * same extractor: profiling model labels re-uses the extractions of the human run.
 */
export function createExtraction(
  modelId: string | undefined,
  flags: ModelFlags,
  usage: UsageTracker,
  seed: number,
): Extraction | undefined {
  if (modelId === undefined) return undefined;
  const client = createClient(modelId, flags, { usage });
  return { client, extractor: createModelFactorExtractor({ client, seed }) };
}
