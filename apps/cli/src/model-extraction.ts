import {
  createModelFactorExtractor,
  DEFAULT_SOURCE_MAX_CHARS,
  type ExtractionMode,
  type ModelClient,
  type EstimateRequest,
  type ModelFactorExtractorWithStats,
  planExtraction,
  type UsageTracker,
} from "@profilekit/llm";
import type { FactorPlugin, Pair } from "@profilekit/spec";
import { type Command, Option } from "commander";
import { createClient, type ModelFlags } from "./model-options.js";
import { integerIn } from "./option-parsers.js";

/** How the model-extracted factors are asked (`--extract-mode`, `--no-both-orders`, `--source-budget`). */
export interface ExtractionFlags {
  readonly extractMode: ExtractionMode;
  readonly bothOrders: boolean;
  readonly sourceBudget: number;
}

/** Adds the flags that shape model extraction; they matter only with --extractor. */
export function addExtractionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--extract-mode <mode>",
        "joint: all model factors in one call per pair; per-factor: one call per factor and response",
      )
        .choices(["joint", "per-factor"])
        .default("joint"),
    )
    .option("--no-both-orders", "ask each pair in one seeded order only (default: both orders, reconciled)")
    .option(
      "--source-budget <chars>",
      "longer source documents are cut to this many characters (the cut is counted)",
      integerIn(1000),
      DEFAULT_SOURCE_MAX_CHARS,
    );
}

/** The model that measures the model-extracted factors (`--extractor`), with its own client. */
export interface Extraction {
  readonly client: ModelClient;
  readonly extractor: ModelFactorExtractorWithStats;
  /** The exact calls extracting these factors from these pairs would make (for --dry-run). */
  plan(factors: readonly FactorPlugin[], pairs: readonly Pair[]): Promise<EstimateRequest[]>;
}

/**
 * The extractor of `--extractor <model>`, sharing the run's usage tracker so
 * manifest.json and --max-cost cover every model of the run. Its calls never
 * show a label, so they are cached under the same keys as `analyze`'s with the
 * same extractor: profiling model labels re-uses the extractions of the human run.
 */
export function createExtraction(
  modelId: string | undefined,
  flags: ModelFlags & Partial<ExtractionFlags>,
  usage: UsageTracker,
  seed: number,
): Extraction | undefined {
  if (modelId === undefined) return undefined;
  const client = createClient(modelId, flags, { usage });
  const options = {
    client,
    seed,
    mode: flags.extractMode ?? "joint",
    bothOrders: flags.bothOrders ?? true,
    sourceBudget: { maxChars: flags.sourceBudget ?? DEFAULT_SOURCE_MAX_CHARS },
  };
  return {
    client,
    extractor: createModelFactorExtractor(options),
    plan: (factors, pairs) => planExtraction(options, factors, pairs),
  };
}
