import {
  type ChatMessage,
  type LanguageModel,
  type ModelCallRequest,
  type ModelRequest,
  type ModelResponse,
  ProfilekitError,
  type TokenUsage,
  canonicalJson,
} from "@profilekit/spec";
import type { z } from "zod";
import { type AnswerCheck, AnswerCache } from "./answer-cache.js";
import type { BatchQueue } from "./batch/queue.js";
import { retrying } from "./attempts.js";
import { budgeted } from "./budget.js";
import { type CacheCheck, DEFAULT_CACHE_PATH, ResponseCache } from "./cache.js";
import { cacheKey } from "./cache-key.js";
import {
  BudgetExceededError,
  type FailureCause,
  type FailureKind,
  ModelCallError,
  ModelConfigurationError,
} from "./errors.js";
import { approxInputTokens, type EstimateReport } from "./estimate.js";
import { failureSummary } from "./failures.js";
import { InFlightCalls } from "./in-flight.js";
import { instanceOf, plannedChoices } from "./json-schema-instance.js";
import {
  costOf,
  findPrice,
  type ModelPrice,
  type PriceOverrides,
  type PriceRate,
  priceTable,
} from "./prices.js";
import { createLanguageModel, type ProviderRegistry } from "./providers/registry.js";
import { redactSecrets } from "./redact.js";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./retry.js";
import { RequestScheduler } from "./scheduler.js";
import { askStructured, jsonSchemaOf, parseStructured, structuredRequest } from "./structured-output.js";
import { type UsageReport, UsageTracker } from "./usage.js";

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 4;
/** Output tokens assumed per call by `estimate` when a request sets no maxOutputTokens. */
export const DEFAULT_ESTIMATED_OUTPUT_TOKENS = 256;
/**
 * Output tokens a budget reserves for a request that sets no maxOutputTokens:
 * this, or the longest answer the client has had so far, whichever is more.
 */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 1024;

export interface ModelClientOptions {
  /** A model, or its id (`openai:gpt-4o-mini`), built with createLanguageModel and the environment. */
  readonly model: LanguageModel | string;
  /** Where a model id is resolved; default: the built-in providers. */
  readonly providers?: ProviderRegistry;
  /** The on-disk cache; `false` turns it off. Default `{ path: ".profilekit/cache.db" }`. */
  readonly cache?: { readonly path?: string } | false;
  /** Requests in flight at once for this model. Default 8. */
  readonly concurrency?: number;
  /** Requests per minute. Default: no limit. */
  readonly rpm?: number;
  /** Tokens (input + output) per minute. Default: no limit. */
  readonly tpm?: number;
  /** Halve the concurrency on 429s and recover it slowly (AIMD). Default true. */
  readonly adaptiveConcurrency?: boolean;
  /** Per request (each attempt). Default 120 000 ms. */
  readonly timeoutMs?: number;
  /** Retries after a 429, 5xx, timeout, reset or garbled answer; 0 means none. Default 4. */
  readonly maxRetries?: number;
  /** Exponential backoff with full jitter, used when the server gives no retry-after. */
  readonly backoff?: Partial<BackoffOptions>;
  /**
   * USD. No request starts whose estimated cost, added to what was spent and
   * what requests in flight have reserved, could cross it (`budget_exceeded`).
   * Shared by every client on the same `usage` tracker.
   */
  readonly maxCost?: number;
  /** Prices laid over the dated defaults (with a shared `usage` tracker, give them to the tracker instead). */
  readonly prices?: PriceOverrides;
  /** Share one tracker between clients so a run reports (and budgets) all its models together. */
  readonly usage?: UsageTracker;
  /** Progress and diagnostics; must not throw. Never carries an API key. */
  readonly onEvent?: (event: ModelEvent) => void;
  /**
   * Batch mode: calls the cache does not answer are handed to this round's queue instead of sent
   * (they end `deferred`), except the one canary per model, prompt version and schema, and calls
   * an earlier batch answered unusably, which are sent as usual. Needs the cache.
   */
  readonly batch?: BatchQueue;
}

/** What one call asks, besides the schema of a structured call. */
export interface CallOptions {
  readonly messages: readonly ChatMessage[];
  /** The version of the prompt template the messages come from; part of the cache key. */
  readonly promptVersion: string;
  /** Usage is summed per stage: 'extract', 'judge', 'generate'... */
  readonly stage: string;
  /** Which of several samples of the same request (each cached apart). Default 0. */
  readonly sampleIndex?: number;
  readonly temperature?: number;
  readonly seed?: number;
  readonly maxOutputTokens?: number;
  /** Aborting rejects the call with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface GenerateObjectOptions<S extends z.ZodType, A extends z.ZodType = S> extends CallOptions {
  /** The answer's shape, sent to the model as JSON schema; a z.object at the root. */
  readonly schema: S;
  /**
   * What an answer must satisfy to be used (and cached); default `schema`. A caller that
   * salvages the valid parts of an answer passes a schema that accepts any answer with a usable
   * part, and checks the parts itself.
   */
  readonly accept?: A;
  /** Names the schema for the API (response_format name, tool name) and in messages. */
  readonly schemaName: string;
}

/**
 * The outcome of a call. A failure is a value, not an exception: the caller
 * records the item as missing. `invalid_output`: still invalid after one
 * re-ask. `model_call_failed`: no answer after the retries. `deferred`: left to
 * a batch (batch mode); a caller must not ask what depends on it. (Configuration
 * errors, 401/403/404, an exceeded budget and aborts are thrown instead:
 * they end the run rather than one item.)
 */
export type GenerateResult<T> =
  | { readonly ok: true; readonly value: T; readonly cached: boolean; readonly usage: TokenUsage }
  | {
      readonly ok: false;
      readonly error: string;
      readonly code: "invalid_output" | "model_call_failed" | "deferred";
    };

/** A call as generateText or generateObject would get it. */
export type EstimateRequest = CallOptions | GenerateObjectOptions<z.ZodType>;

export type ModelEvent =
  | { readonly type: "cache-hit"; readonly model: string; readonly stage: string }
  | { readonly type: "merged"; readonly model: string; readonly stage: string }
  /** Left to a batch (queued this round, or out in an open one): the caller got no answer yet. */
  | { readonly type: "deferred"; readonly model: string; readonly stage: string }
  | {
      readonly type: "response";
      readonly model: string;
      readonly stage: string;
      readonly attempt: number;
      readonly durationMs: number;
      readonly usage: TokenUsage;
    }
  | {
      readonly type: "retry";
      readonly model: string;
      readonly stage: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly kind: FailureKind;
      readonly status: number | undefined;
    }
  | {
      readonly type: "failure";
      readonly model: string;
      readonly stage: string;
      readonly error: string;
      readonly cause: FailureCause;
    }
  | {
      readonly type: "invalid-output";
      readonly model: string;
      readonly stage: string;
      readonly schemaName: string;
      readonly error: string;
      readonly willReask: boolean;
    }
  | { readonly type: "concurrency"; readonly model: string; readonly limit: number }
  | {
      readonly type: "budget-exceeded";
      /** Spent when the call was refused. */
      readonly costUsd: number;
      readonly maxCost: number;
      readonly reservedUsd: number;
      readonly nextCallUsd: number;
    };

export interface ModelClient {
  readonly model: LanguageModel;
  /** `provider:modelId`, the label used in usage and prices. */
  readonly modelName: string;
  generateObject<S extends z.ZodType, A extends z.ZodType = S>(
    options: GenerateObjectOptions<S, A>,
  ): Promise<GenerateResult<z.output<A>>>;
  generateText(options: CallOptions): Promise<GenerateResult<string>>;
  /** For --dry-run: calls that would be made (cache and duplicates accounted for), tokens, cost. */
  estimate(requests: readonly EstimateRequest[], options?: { outputTokensPerCall?: number }): EstimateReport;
  /** Usage so far, of every client sharing this client's tracker. */
  usage(): UsageReport;
  /** Waits for calls in flight, then closes the cache. */
  close(): Promise<void>;
}

/** What a layer below the cache is told about the call it serves. */
interface CallContext {
  readonly stage: string;
  /** The attempt in progress, from 0 (set by the retry layer). */
  attempt: number;
}

/**
 * What the layers under the cache produce for one call: the answer to give, whether it is good
 * enough to store (validated against the call's schema, or a non-empty text), or why there is none.
 */
type Produced<T> =
  | { readonly ok: true; readonly value: T; readonly response: ModelResponse; readonly store: boolean }
  | { readonly ok: false; readonly error: string };

/**
 * The one entry point model-based features use. It composes, from the outside
 * in: the cache (only good answers are stored, and a stored one is re-checked
 * when read), merging of identical calls in flight, structured output with its
 * one re-ask, the budget (each request reserves its estimated cost before it
 * is sent), retries and scheduling, and the model; usage is counted at each
 * layer.
 */
export function createModelClient(options: ModelClientOptions): ModelClient {
  checkOptions(options);
  const model =
    typeof options.model === "string"
      ? createLanguageModel(options.model, options.providers ? { registry: options.providers } : {})
      : options.model;
  const modelName = `${model.provider}:${model.modelId}`;
  if (options.usage && options.prices) {
    throw new ModelConfigurationError(
      "conflicting_options",
      "Give prices either to the shared usage tracker or to the client, not both.",
      {
        hint: "Create the tracker with new UsageTracker(priceTable(overrides)) and drop `prices` here.",
      },
    );
  }
  const tracker = options.usage ?? new UsageTracker(priceTable(options.prices));
  const prices = tracker.prices;
  const price = findPrice(prices, modelName);
  const { maxCost } = options;
  if (maxCost !== undefined && !price) {
    throw new ModelConfigurationError("unknown_price", `A budget was set, but ${modelName} has no price.`, {
      hint: `Add "${modelName}": { inputPerMTok, outputPerMTok } to the prices in the config, or drop the budget.`,
    });
  }
  const { batch } = options;
  if (batch) checkBatchable(model, modelName, batch, options.cache);
  const answers = new AnswerCache(
    options.cache === false ? undefined : new ResponseCache(options.cache?.path ?? DEFAULT_CACHE_PATH),
  );
  answers.verify();
  const emit = options.onEvent ?? (() => {});
  const target = {
    modelName,
    // A base URL may hold credentials (https://user:password@host): shown without them.
    endpoint: redactSecrets(model.baseURL ?? `the ${model.provider} default endpoint`),
    modelId: model.modelId,
  };
  let longestAnswer = 0;
  let budgetAnnounced = false;

  /** The innermost layer: one request to the model, its tokens counted as it answers (before the budget releases its reservation). */
  async function request(call: ModelRequest, context: CallContext): Promise<ModelResponse> {
    const started = performance.now();
    const response = await model.generate(call);
    const { usage } = response;
    tracker.add(modelName, context.stage, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens ?? 0,
      cacheWriteInputTokens: usage.cacheWriteInputTokens ?? 0,
    });
    longestAnswer = Math.max(longestAnswer, usage.outputTokens);
    emit({
      type: "response",
      model: modelName,
      stage: context.stage,
      attempt: context.attempt,
      durationMs: performance.now() - started,
      usage,
    });
    return response;
  }

  /** A request's worst-case cost as the budget reserves it: no prompt-cache discount assumed. */
  function reservedCost(call: ModelCallRequest, rate: PriceRate = "standard"): number {
    const outputTokens = call.maxOutputTokens ?? Math.max(DEFAULT_RESERVED_OUTPUT_TOKENS, longestAnswer);
    const inputTokens = approxInputTokens(call.messages, call.responseSchema);
    return costOf(price as ModelPrice, { inputTokens, outputTokens }, rate);
  }

  const retried = retrying<CallContext>(request, {
    scheduler: new RequestScheduler({
      concurrency: options.concurrency,
      rpm: options.rpm,
      tpm: options.tpm,
      adaptive: options.adaptiveConcurrency,
      onLimitChange: (limit) => emit({ type: "concurrency", model: modelName, limit }),
    }),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    estimateTokens: (call) => approxInputTokens(call.messages, call.responseSchema),
    target,
    onAttempt: (attempt, context) => {
      context.attempt = attempt;
      tracker.add(modelName, context.stage, { requests: 1, retries: attempt > 0 ? 1 : 0 });
    },
    onRetry: (event, context) => emit({ type: "retry", model: modelName, stage: context.stage, ...event }),
  });
  const send = maxCost === undefined ? retried : budgeted(tracker.budget(maxCost), reservedCost, retried);
  const inFlight = new InFlightCalls<Produced<unknown>>();
  let closed = false;

  /** The request a call sends, as the batch layer sends it too. */
  function callRequest(
    messages: readonly ChatMessage[],
    responseSchema: ModelCallRequest["responseSchema"],
    call: CallOptions,
  ): ModelCallRequest {
    return {
      messages,
      ...(responseSchema ? { responseSchema } : {}),
      ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
      ...(call.maxOutputTokens === undefined ? {} : { maxOutputTokens: call.maxOutputTokens }),
      ...(call.seed === undefined ? {} : { seed: call.seed }),
    };
  }

  /** One model call (a re-ask is a second one), through retries, scheduling and the budget. */
  function ask(
    messages: readonly ChatMessage[],
    responseSchema: ModelCallRequest["responseSchema"],
    call: CallOptions,
  ): Promise<ModelResponse> {
    tracker.add(modelName, call.stage, { calls: 1 });
    return send(
      {
        messages,
        responseSchema,
        temperature: call.temperature,
        maxOutputTokens: call.maxOutputTokens,
        seed: call.seed,
      },
      { stage: call.stage, attempt: 0 },
      call.signal,
    );
  }

  function keyOf(
    messages: readonly ChatMessage[],
    responseSchema: ModelCallRequest["responseSchema"],
    call: CallOptions,
  ): string {
    return cacheKey({
      provider: model.provider,
      modelId: model.modelId,
      baseURL: model.baseURL,
      // cacheBoundary changes how a provider bills the prompt, not the answer.
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      temperature: call.temperature,
      maxOutputTokens: call.maxOutputTokens,
      seed: call.seed,
      responseSchema,
      promptVersion: call.promptVersion,
      sampleIndex: call.sampleIndex ?? 0,
    });
  }

  /** What `answer` needs of a call: its key, how an answer is checked and produced, and its batch form. */
  interface AnswerCall<T> {
    readonly key: string;
    readonly options: CallOptions;
    readonly check: AnswerCheck<T>;
    readonly kind: CacheCheck;
    readonly produce: () => Promise<Produced<T>>;
    /** The request as a batch sends it. */
    readonly request: ModelCallRequest;
    /** Structured calls: the JSON Schema an answer must satisfy, and the schema's name. */
    readonly accept?: { readonly schema: z.ZodType; readonly name: string };
  }

  /** Cache, then the batch queue, then merging, then `produce` (the layers below). */
  async function answer<T>(call: AnswerCall<T>): Promise<GenerateResult<T>> {
    if (closed) throw new ProfilekitError("client_closed", "This model client is closed.");
    const { stage } = call.options;
    const hit = answers.read(call.key, call.check, call.kind);
    if (hit) {
      tracker.add(modelName, stage, { calls: 1, cacheHits: 1 });
      emit({ type: "cache-hit", model: modelName, stage });
      return { ok: true, value: hit.value, cached: true, usage: hit.response.usage };
    }
    if (!batch) return produceAnswer(call);
    const signature = signatureOf(call);
    const route = batch.route({
      model,
      modelName,
      request: call.request,
      signature,
      item: {
        key: call.key,
        stage,
        promptVersion: call.options.promptVersion,
        checked: call.kind,
        schema: call.accept ? acceptJsonSchema(call.accept.schema, call.accept.name) : undefined,
      },
      ...(maxCost === undefined
        ? {}
        : { hold: { budget: tracker.budget(maxCost), costUsd: reservedCost(call.request, "batch") } }),
    });
    if (route === "defer") {
      emit({ type: "deferred", model: modelName, stage });
      return { ok: false, code: "deferred", error: `left to a batch of ${modelName}; no answer yet` };
    }
    if (route === "simulate") return placeholderOf(call);
    const result = await produceAnswer(call);
    if (route === "canary") batch.canaryDone(signature, result.ok ? undefined : result.error);
    return result;
  }

  /** The calls one canary stands for: the model, the prompt version and the answer's schema. */
  function signatureOf(call: AnswerCall<unknown>): string {
    const schema = call.request.responseSchema ?? call.accept?.name ?? "text";
    return `${modelName}\u0000${call.options.promptVersion}\u0000${canonicalJson(schema)}`;
  }

  /**
   * A planned round's answer: a placeholder that fits the schema (as dry runs plan), or a text of
   * its own (two planned texts alike would share the calls made on them, and hide a round).
   */
  function placeholderOf<T>(call: AnswerCall<T>): GenerateResult<T> {
    const usage = { inputTokens: 0, outputTokens: 0 };
    if (!call.accept) {
      return { ok: true, value: `A planned answer (${call.key.slice(0, 16)}).` as T, cached: false, usage };
    }
    const placeholder = instanceOf(
      jsonSchemaOf(call.accept.schema, call.accept.name),
      plannedChoices(call.key),
    );
    const parsed = call.accept.schema.safeParse(placeholder);
    return parsed.success
      ? { ok: true, value: parsed.data as T, cached: false, usage }
      : { ok: false, code: "deferred", error: "planned: no placeholder fits the schema" };
  }

  /** Merging, then `produce` (the layers below); failures become results or are rethrown. */
  async function produceAnswer<T>(call: AnswerCall<T>): Promise<GenerateResult<T>> {
    const { stage } = call.options;
    const { promise, merged } = inFlight.run(call.key, async () => {
      const produced = await call.produce();
      if (produced.ok && produced.store) {
        answers.write(call.key, produced.response, {
          model: modelName,
          promptVersion: call.options.promptVersion,
          checked: call.kind,
        });
      }
      return produced;
    });
    if (merged) {
      tracker.add(modelName, stage, { calls: 1, merged: 1 });
      emit({ type: "merged", model: modelName, stage });
    }
    let produced: Produced<T>;
    try {
      produced = (await promise) as Produced<T>;
    } catch (error) {
      return failed(error, stage);
    }
    if (produced.ok) {
      return { ok: true, value: produced.value, cached: false, usage: produced.response.usage };
    }
    tracker.recordFailure(modelName, stage, {
      cause: "invalid-answer",
      summary: failureSummary("invalid-answer", target),
      message: produced.error,
    });
    emit({ type: "failure", model: modelName, stage, error: produced.error, cause: "invalid-answer" });
    return { ok: false, code: "invalid_output", error: produced.error };
  }

  /** A call that ended in an error: counted with its cause; a value unless it ends the run. */
  function failed(error: unknown, stage: string): GenerateResult<never> {
    if (error instanceof BudgetExceededError && !budgetAnnounced) {
      budgetAnnounced = true;
      emit({
        type: "budget-exceeded",
        costUsd: error.costUsd,
        maxCost: error.maxCost,
        reservedUsd: error.reservedUsd,
        nextCallUsd: error.nextCallUsd,
      });
    }
    if (!(error instanceof ModelCallError)) throw error;
    tracker.recordFailure(modelName, stage, {
      cause: error.failureCause,
      summary: error.summary ?? failureSummary(error.failureCause, { ...target, status: error.status }),
      message: error.message,
    });
    emit({ type: "failure", model: modelName, stage, error: error.message, cause: error.failureCause });
    if (error.kind === "auth" || error.kind === "not-found") throw error;
    return { ok: false, error: error.message, code: "model_call_failed" };
  }

  function normalize(messages: readonly ChatMessage[]): ChatMessage[] {
    return messages.map((message) =>
      message.cacheBoundary
        ? { role: message.role, content: message.content, cacheBoundary: true }
        : { role: message.role, content: message.content },
    );
  }

  function prepareObject(options: GenerateObjectOptions<z.ZodType, z.ZodType>) {
    const jsonSchema = jsonSchemaOf(options.schema, options.schemaName);
    return structuredRequest(
      normalize(options.messages),
      jsonSchema,
      options.schemaName,
      model.structuredOutput,
    );
  }

  function objectCheck<A extends z.ZodType>(accept: A): AnswerCheck<z.output<A>> {
    return (response) => parseStructured(response.text, accept, response.finishReason);
  }

  const textCheck: AnswerCheck<string> = (response) =>
    response.text === "" ? { ok: false } : { ok: true, value: response.text };

  async function generateObject<S extends z.ZodType, A extends z.ZodType = S>(
    options: GenerateObjectOptions<S, A>,
  ): Promise<GenerateResult<z.output<A>>> {
    const accept = (options.accept ?? options.schema) as A;
    const { messages, responseSchema } = prepareObject(options);
    return answer({
      key: keyOf(messages, responseSchema, options),
      options,
      check: objectCheck(accept),
      kind: "structured",
      request: callRequest(messages, responseSchema, options),
      accept: { schema: accept, name: options.schemaName },
      produce: async () => {
        const outcome = await askStructured(
          (conversation) => ask(conversation, responseSchema, options),
          messages,
          accept,
          (error, willReask) => {
            tracker.add(modelName, options.stage, { invalidOutputs: 1 });
            emit({
              type: "invalid-output",
              model: modelName,
              stage: options.stage,
              schemaName: options.schemaName,
              error,
              willReask,
            });
          },
        );
        return outcome.ok
          ? { ...outcome, store: true } // validated against `accept` by askStructured
          : {
              ok: false,
              error: `${modelName} gave no valid ${options.schemaName} after one re-ask: ${outcome.error}`,
            };
      },
    });
  }

  async function generateText(options: CallOptions): Promise<GenerateResult<string>> {
    const messages = normalize(options.messages);
    return answer({
      key: keyOf(messages, undefined, options),
      options,
      check: textCheck,
      kind: "text",
      request: callRequest(messages, undefined, options),
      produce: async () => {
        const response = await ask(messages, undefined, options);
        // An empty answer is given to the caller but not stored: a re-run asks again.
        return { ok: true, value: response.text, response, store: textCheck(response).ok };
      },
    });
  }

  function estimate(
    requests: readonly EstimateRequest[],
    estimateOptions: { outputTokensPerCall?: number } = {},
  ): EstimateReport {
    const seen = new Set<string>();
    let cached = 0;
    let inputTokens = 0;
    let outputTokens = 0;
    for (const request of requests) {
      const structured = "schema" in request;
      const { messages, responseSchema } = structured
        ? prepareObject(request)
        : { messages: normalize(request.messages), responseSchema: undefined };
      const key = keyOf(messages, responseSchema, request);
      const check: AnswerCheck<unknown> = structured
        ? objectCheck(request.accept ?? request.schema)
        : textCheck;
      if (answers.read(key, check, structured ? "structured" : "text", false)) {
        cached += 1;
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      inputTokens += approxInputTokens(messages, responseSchema);
      outputTokens +=
        request.maxOutputTokens ?? estimateOptions.outputTokensPerCall ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS;
    }
    const notes = [
      "Tokens are approximated as characters / 4; output tokens as maxOutputTokens or a fixed amount per call. Re-asks, retries and prompt-cache discounts are not included.",
    ];
    if (!price)
      notes.push(`No price for ${modelName}: its cost is unknown (add it to the price table in the config).`);
    return {
      model: modelName,
      requests: requests.length,
      calls: seen.size,
      cached,
      inputTokens,
      outputTokens,
      costUsd: price ? costOf(price, { inputTokens, outputTokens }) : null,
      batchCostUsd: price ? costOf(price, { inputTokens, outputTokens }, "batch") : null,
      pricesAsOf: price?.asOf ?? prices.asOf,
      notes,
    };
  }

  async function close(): Promise<void> {
    closed = true;
    await inFlight.settled();
    answers.close();
  }

  return {
    model,
    modelName,
    generateObject,
    generateText,
    estimate,
    usage: () => tracker.report(),
    close,
  };
}

/** A model a batch queue can take: a wire format, a batch API to submit to, and a cache to collect into. */
function checkBatchable(
  model: LanguageModel,
  modelName: string,
  batch: BatchQueue,
  cache: ModelClientOptions["cache"],
): void {
  if (batch.mode === "simulate") return;
  if (cache === false) {
    throw new ProfilekitError(
      "batch_needs_cache",
      "Batch mode needs the response cache: batch answers are collected into it.",
      {
        hint: "Drop --no-cache (or cache: false), or run without --batch.",
      },
    );
  }
  const missing =
    model.wire === undefined
      ? "has no wire format (a request builder and response parser)"
      : batch.mode === "submit" && model.batch === undefined
        ? "has no batch API"
        : undefined;
  if (missing) {
    throw new ModelConfigurationError("batch_unsupported", `The model ${modelName} ${missing}.`, {
      hint: "Run it without --batch; batch mode works with the openai, anthropic and openai-compatible providers.",
    });
  }
}

/** The JSON Schema an answer must satisfy, as the batch journal keeps it; undefined when it has none. */
function acceptJsonSchema(accept: z.ZodType, name: string): Readonly<Record<string, unknown>> | undefined {
  try {
    return jsonSchemaOf(accept, name);
  } catch {
    return undefined;
  }
}

/** Numeric options, checked before anything is built. */
function checkOptions(options: ModelClientOptions): void {
  const rules: [keyof ModelClientOptions, (value: number) => boolean, string][] = [
    ["concurrency", (value) => Number.isInteger(value) && value >= 1, "a positive integer"],
    ["maxRetries", (value) => Number.isInteger(value) && value >= 0, "a non-negative integer"],
    ["rpm", (value) => value > 0, "a positive number"],
    ["tpm", (value) => value > 0, "a positive number"],
    ["timeoutMs", (value) => value > 0, "a positive number of milliseconds"],
    ["maxCost", (value) => value >= 0, "a non-negative amount of USD"],
  ];
  for (const [name, valid, expected] of rules) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== "number" || Number.isNaN(value) || !valid(value)) {
      throw new ModelConfigurationError(
        "invalid_option",
        `The model option ${name} must be ${expected}, got ${String(value)}.`,
        {
          location: { field: name },
        },
      );
    }
  }
}
