import {
  type BatchQueue,
  ProviderRegistry as ProviderRegistryClass,
  createLanguageModel,
  createModelClient,
  DEFAULT_CACHE_PATH,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type ModelClient,
  type ModelEvent,
  type ProviderRegistry,
  type UsageTracker,
} from "@profilekit/llm";
import { z } from "zod";

/** A model id: `provider:model`, e.g. `openai:gpt-4o-mini`. */
const ModelIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*:.+$/, 'a model id is "provider:model", e.g. "openai:gpt-4o-mini"');

/** The limits of one model's client; each left out takes its default. */
export const ModelSettingsSchema = z.strictObject({
  baseURL: z
    .url()
    .optional()
    .describe("The server's base URL (default: OPENAI_BASE_URL / ANTHROPIC_BASE_URL)."),
  concurrency: z.int().min(1).max(1024).optional().describe("Requests in flight at once."),
  rpm: z.int().min(1).optional().describe("Requests per minute."),
  tpm: z.int().min(1).optional().describe("Tokens per minute."),
  maxRetries: z
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe("Retries after 429, 5xx, timeouts and resets (0: none)."),
  timeout: z.int().min(100).optional().describe("Timeout of each request, in milliseconds."),
  maxCost: z
    .number()
    .positive()
    .optional()
    .describe("Stop cleanly once this model's estimated spend exceeds this many USD."),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/** A model of a stage: its id and its client settings; a bare id takes every default. */
export const ModelSpecSchema = z
  .union([ModelIdSchema, ModelSettingsSchema.extend({ id: ModelIdSchema })])
  .transform((spec) => (typeof spec === "string" ? { id: spec } : spec));
export type ModelSpec = z.output<typeof ModelSpecSchema>;
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;

const isProviderRegistry = (value: unknown): value is ProviderRegistry =>
  value instanceof ProviderRegistryClass;

/** Where the providers of model ids are found: the built-in ones, and any a config's plugins add. */
export const ProvidersSchema = z.custom<ProviderRegistry>(isProviderRegistry, {
  message: "providers must be a ProviderRegistry (createProviderRegistry from @profilekit/llm)",
});

/** Where model answers are cached (sqlite), or false for no cache. */
export const CacheSpecSchema = z
  .union([z.string().min(1), z.literal(false)])
  .default(DEFAULT_CACHE_PATH)
  .describe("The model response cache (an sqlite file), or false for none.");
export type CacheSpec = z.output<typeof CacheSpecSchema>;

/**
 * A client for a model spec, sharing `usage` with the other models of a run so that manifest.json
 * and the budget cover them all.
 */
export function openModelClient(
  spec: ModelSpec,
  cache: CacheSpec,
  shared: {
    readonly usage?: UsageTracker;
    readonly onEvent?: (event: ModelEvent) => void;
    /** Where the model id's provider is found (default: the built-in providers). */
    readonly providers?: ProviderRegistry | undefined;
    /** Batch mode: the round's queue, which takes the calls the cache does not answer. */
    readonly batch?: BatchQueue | undefined;
  } = {},
): ModelClient {
  const model = createLanguageModel(spec.id, {
    ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
    ...(shared.providers ? { registry: shared.providers } : {}),
  });
  return createModelClient({
    model,
    cache: cache === false ? false : { path: cache },
    concurrency: spec.concurrency ?? DEFAULT_CONCURRENCY,
    timeoutMs: spec.timeout ?? DEFAULT_TIMEOUT_MS,
    maxRetries: spec.maxRetries ?? DEFAULT_MAX_RETRIES,
    ...(spec.rpm ? { rpm: spec.rpm } : {}),
    ...(spec.tpm ? { tpm: spec.tpm } : {}),
    ...(spec.maxCost ? { maxCost: spec.maxCost } : {}),
    ...(shared.usage ? { usage: shared.usage } : {}),
    ...(shared.onEvent ? { onEvent: shared.onEvent } : {}),
    ...(shared.batch ? { batch: shared.batch } : {}),
  });
}
