import {
  DEFAULT_CACHE_PATH,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
} from "@profilekit/llm";
import { batchModeOf, type CacheSpec, defaultMaxFailures, type ModelSpec } from "@profilekit/runner";
import { type Command, InvalidArgumentError } from "commander";
import { integerIn } from "./option-parsers.js";

/** The flags every command that calls a model shares. */
export interface ModelFlags {
  readonly baseUrl?: string;
  readonly concurrency: number;
  readonly rpm?: number;
  readonly tpm?: number;
  readonly timeout: number;
  readonly maxRetries: number;
  readonly cache: boolean;
  readonly cachePath: string;
  readonly maxCost?: number;
  readonly maxFailures: number;
  readonly dryRun?: boolean;
  readonly batch?: string[];
}

const positiveNumber = (raw: string): number => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`expected a positive number, got "${raw}"`);
  return value;
};

const share = (raw: string): number => {
  const text = raw.trim();
  const value = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new InvalidArgumentError(`expected a share from 0 to 1 or a percentage (5%), got "${raw}"`);
  }
  return value;
};

/** Adds the model flags (concurrency, limits, retries, cache, budget, dry run) to a command. */
export function addModelOptions(command: Command): Command {
  return command
    .option("--base-url <url>", "the model server's base URL (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL)")
    .option(
      "--concurrency <n>",
      "requests in flight at once per model",
      integerIn(1, 1024),
      DEFAULT_CONCURRENCY,
    )
    .option("--rpm <n>", "requests per minute limit", integerIn(1))
    .option("--tpm <n>", "tokens per minute limit", integerIn(1))
    .option("--timeout <ms>", "timeout of each request, in milliseconds", integerIn(100), DEFAULT_TIMEOUT_MS)
    .option(
      "--max-retries <n>",
      "retries after 429, 5xx, timeouts and resets (0: none)",
      integerIn(0, 100),
      DEFAULT_MAX_RETRIES,
    )
    .option("--no-cache", "do not read or write the response cache")
    .option("--cache-path <file>", "the response cache (sqlite)", DEFAULT_CACHE_PATH)
    .option(
      "--max-cost <usd>",
      "a budget in US dollars: no call starts whose estimated cost could take the spend past it (exit 3)",
      positiveNumber,
    )
    .option(
      "--max-failures <share>",
      "the share of failed calls a stage tolerates before it stops (exit 1), e.g. 5% or 0.05",
      share,
      defaultMaxFailures,
    )
    .option("--dry-run", "estimate calls, tokens and cost, and call nothing")
    .option("--batch <mode...>", "submit|wait|off (the providers' batch APIs), export FILE (vllm run-batch)");
}

/** The request's batch mode, from --batch (docs/scaling.md). */
export const batchOf = (flags: { batch?: string[] }) =>
  flags.batch ? { batch: batchModeOf(flags.batch) } : {};

/** The model `id` with the client settings of the flags. */
export function modelSpecOf(id: string, flags: ModelFlags): ModelSpec {
  return {
    id,
    ...(flags.baseUrl ? { baseURL: flags.baseUrl } : {}),
    concurrency: flags.concurrency,
    ...(flags.rpm ? { rpm: flags.rpm } : {}),
    ...(flags.tpm ? { tpm: flags.tpm } : {}),
    timeout: flags.timeout,
    maxRetries: flags.maxRetries,
    ...(flags.maxCost ? { maxCost: flags.maxCost } : {}),
  };
}

/** The response cache of the flags. */
export function cacheOf(flags: ModelFlags): CacheSpec {
  return flags.cache ? flags.cachePath : false;
}
