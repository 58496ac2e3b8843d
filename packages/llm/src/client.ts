import { setTimeout as delay } from "node:timers/promises";
import {
  type ChatMessage,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  ProfilekitError,
  type TokenUsage,
} from "@profilekit/spec";
import type { z } from "zod";
import { DEFAULT_CACHE_PATH, ResponseCache } from "./cache.js";
import { cacheKey } from "./cache-key.js";
import { BudgetExceededError, type FailureKind, ModelCallError, ModelConfigurationError } from "./errors.js";
import { approxInputTokens, type EstimateReport } from "./estimate.js";
import { costOf, findPrice, type PriceOverrides, priceTable } from "./prices.js";
import { createLanguageModel } from "./providers/registry.js";
import { redactSecrets } from "./redact.js";
import { type BackoffOptions, classifyError, DEFAULT_BACKOFF, retryDelay } from "./retry.js";
import { RequestScheduler } from "./scheduler.js";
import { jsonSchemaOf, parseStructured, reaskMessages, structuredRequest } from "./structured-output.js";
import { type UsageReport, UsageTracker } from "./usage.js";

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 4;
/** Output tokens assumed per call by `estimate` when a request sets no maxOutputTokens. */
export const DEFAULT_ESTIMATED_OUTPUT_TOKENS = 256;

export interface ModelClientOptions {
  /** A model, or its id (`openai:gpt-4o-mini`), built with createLanguageModel and the environment. */
  readonly model: LanguageModel | string;
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
  /** USD. Once the estimated spend exceeds it, no new request starts (`budget_exceeded`). */
  readonly maxCost?: number;
  /** Prices laid over the dated defaults (with a shared `usage` tracker, give them to the tracker instead). */
  readonly prices?: PriceOverrides;
  /** Share one tracker between clients so a run reports (and budgets) all its models together. */
  readonly usage?: UsageTracker;
  /** Progress and diagnostics; must not throw. Never carries an API key. */
  readonly onEvent?: (event: ModelEvent) => void;
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
 * re-ask. `model_call_failed`: no answer after the retries. (Configuration
 * errors, 401/403/404, an exceeded budget and aborts are thrown instead:
 * they end the run rather than one item.)
 */
export type GenerateResult<T> =
  | { readonly ok: true; readonly value: T; readonly cached: boolean; readonly usage: TokenUsage }
  | { readonly ok: false; readonly error: string; readonly code: "invalid_output" | "model_call_failed" };

/** A call as generateText or generateObject would get it. */
export type EstimateRequest = CallOptions | GenerateObjectOptions<z.ZodType>;

export type ModelEvent =
  | { readonly type: "cache-hit"; readonly model: string; readonly stage: string }
  | { readonly type: "merged"; readonly model: string; readonly stage: string }
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
  | { readonly type: "failure"; readonly model: string; readonly stage: string; readonly error: string }
  | {
      readonly type: "invalid-output";
      readonly model: string;
      readonly stage: string;
      readonly schemaName: string;
      readonly error: string;
      readonly willReask: boolean;
    }
  | { readonly type: "concurrency"; readonly model: string; readonly limit: number }
  | { readonly type: "budget-exceeded"; readonly costUsd: number; readonly maxCost: number };

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

/** A request ready to send: what the cache key is computed from. */
interface PreparedCall {
  readonly messages: readonly ChatMessage[];
  readonly responseSchema: ModelRequest["responseSchema"];
  readonly options: CallOptions;
}

interface CallAnswer {
  readonly response: ModelResponse;
  readonly cached: boolean;
}

/**
 * The one entry point model-based features use: caching, merging of identical
 * calls, scheduling, retries, structured output with one re-ask, usage, cost
 * and budget around a LanguageModel.
 */
export function createModelClient(options: ModelClientOptions): ModelClient {
  checkOptions(options);
  const model = typeof options.model === "string" ? createLanguageModel(options.model) : options.model;
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
  const cache =
    options.cache === false ? undefined : new ResponseCache(options.cache?.path ?? DEFAULT_CACHE_PATH);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...options.backoff };
  const emit = options.onEvent ?? (() => {});
  const { maxCost } = options;
  if (maxCost !== undefined && !findPrice(prices, modelName)) {
    throw new ModelConfigurationError("unknown_price", `A budget was set, but ${modelName} has no price.`, {
      hint: `Add "${modelName}": { inputPerMTok, outputPerMTok } to the prices in the config, or drop the budget.`,
    });
  }
  const scheduler = new RequestScheduler({
    concurrency: options.concurrency,
    rpm: options.rpm,
    tpm: options.tpm,
    adaptive: options.adaptiveConcurrency,
    onLimitChange: (limit) => emit({ type: "concurrency", model: modelName, limit }),
  });
  const inFlight = new Map<string, Promise<ModelResponse>>();
  let closed = false;
  let budgetAnnounced = false;

  function keyOf(call: PreparedCall): string {
    return cacheKey({
      provider: model.provider,
      modelId: model.modelId,
      baseURL: model.baseURL,
      messages: call.messages,
      temperature: call.options.temperature,
      maxOutputTokens: call.options.maxOutputTokens,
      seed: call.options.seed,
      responseSchema: call.responseSchema,
      promptVersion: call.options.promptVersion,
      sampleIndex: call.options.sampleIndex ?? 0,
    });
  }

  function checkBudget(): void {
    if (maxCost === undefined) return;
    const spent = tracker.spentUsd();
    if (spent > maxCost) throw new BudgetExceededError(spent, maxCost);
  }

  /** Answers from the cache, from an identical call in flight, or from the model. */
  async function call(prepared: PreparedCall): Promise<CallAnswer> {
    if (closed) throw new ProfilekitError("client_closed", "This model client is closed.");
    const { stage } = prepared.options;
    const key = keyOf(prepared);
    const hit = cache?.get(key);
    if (hit) {
      tracker.add(modelName, stage, { calls: 1, cacheHits: 1 });
      emit({ type: "cache-hit", model: modelName, stage });
      return { response: hit, cached: true };
    }
    const pending = inFlight.get(key);
    if (pending) {
      tracker.add(modelName, stage, { calls: 1, merged: 1 });
      emit({ type: "merged", model: modelName, stage });
      try {
        return { response: await pending, cached: false };
      } catch (error) {
        tracker.add(modelName, stage, { failures: 1 });
        throw error;
      }
    }
    checkBudget();
    const request = send(prepared, key).finally(() => inFlight.delete(key));
    inFlight.set(key, request);
    return { response: await request, cached: false };
  }

  /** One call to the model, retried; committed to the cache as soon as it succeeds. */
  async function send(prepared: PreparedCall, key: string): Promise<ModelResponse> {
    const { stage, signal } = prepared.options;
    const estimated = approxInputTokens(prepared.messages, prepared.responseSchema);
    for (let attempt = 0; ; attempt += 1) {
      const lease = await scheduler.acquire(estimated, signal);
      tracker.add(modelName, stage, { requests: 1, retries: attempt > 0 ? 1 : 0 });
      const timeout = AbortSignal.timeout(timeoutMs);
      const started = performance.now();
      let response: ModelResponse;
      try {
        response = await model.generate({
          messages: prepared.messages,
          responseSchema: prepared.responseSchema,
          temperature: prepared.options.temperature,
          maxOutputTokens: prepared.options.maxOutputTokens,
          seed: prepared.options.seed,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          timeoutMs,
        });
      } catch (error) {
        if (signal?.aborted) {
          lease.release({});
          throw signal.reason;
        }
        // Our own deadline fired: whatever the SDK called it, it is a timeout.
        const thrown = timeout.aborted
          ? new ModelCallError(`${modelName} did not answer within ${timeoutMs} ms`, { kind: "timeout" })
          : error;
        const failure = classifyError(thrown);
        lease.release({ rateLimited: failure.kind === "rate-limit" });
        const wait =
          failure.retryable && attempt < maxRetries ? retryDelay(failure, attempt, backoff) : undefined;
        if (wait !== undefined) {
          emit({
            type: "retry",
            model: modelName,
            stage,
            attempt: attempt + 1,
            delayMs: wait,
            kind: failure.kind,
            status: thrown instanceof ModelCallError ? thrown.status : undefined,
          });
          await delay(wait, undefined, signal ? { signal } : undefined);
          continue;
        }
        const final = asModelCallError(thrown, attempt);
        tracker.add(modelName, stage, { calls: 1, failures: 1 });
        emit({ type: "failure", model: modelName, stage, error: final.message });
        throw final;
      }
      const { inputTokens, outputTokens } = response.usage;
      lease.release({ ok: true, tokens: inputTokens + outputTokens });
      cache?.put(key, response, { model: modelName, promptVersion: prepared.options.promptVersion });
      tracker.add(modelName, stage, { calls: 1, inputTokens, outputTokens });
      emit({
        type: "response",
        model: modelName,
        stage,
        attempt,
        durationMs: performance.now() - started,
        usage: response.usage,
      });
      if (maxCost !== undefined && !budgetAnnounced) {
        const spent = tracker.spentUsd();
        if (spent > maxCost) {
          budgetAnnounced = true;
          emit({ type: "budget-exceeded", costUsd: spent, maxCost });
        }
      }
      return response;
    }
  }

  /** Non-fatal failures become results; fatal ones (auth, not found) are rethrown. */
  function failed(error: unknown): GenerateResult<never> {
    if (error instanceof ModelCallError && error.kind !== "auth" && error.kind !== "not-found") {
      return { ok: false, error: error.message, code: "model_call_failed" };
    }
    throw error;
  }

  function normalize(messages: readonly ChatMessage[]): ChatMessage[] {
    return messages.map((message) => ({ role: message.role, content: message.content }));
  }

  function prepareObject(options: GenerateObjectOptions<z.ZodType, z.ZodType>): PreparedCall {
    const jsonSchema = jsonSchemaOf(options.schema, options.schemaName);
    const structured = structuredRequest(
      normalize(options.messages),
      jsonSchema,
      options.schemaName,
      model.structuredOutput,
    );
    return { messages: structured.messages, responseSchema: structured.responseSchema, options };
  }

  async function generateObject<S extends z.ZodType, A extends z.ZodType = S>(
    options: GenerateObjectOptions<S, A>,
  ): Promise<GenerateResult<z.output<A>>> {
    const accept = (options.accept ?? options.schema) as A;
    const first = prepareObject(options);
    const { stage } = options;
    let answer: CallAnswer;
    try {
      answer = await call(first);
    } catch (error) {
      return failed(error);
    }
    const parsed = parseStructured(answer.response.text, accept, answer.response.finishReason);
    if (parsed.ok)
      return { ok: true, value: parsed.value, cached: answer.cached, usage: answer.response.usage };
    tracker.add(modelName, stage, { invalidOutputs: 1 });
    emit({
      type: "invalid-output",
      model: modelName,
      stage,
      schemaName: options.schemaName,
      error: parsed.error,
      willReask: true,
    });
    const second: PreparedCall = {
      messages: reaskMessages(first.messages, answer.response.text, parsed.error),
      responseSchema: first.responseSchema,
      options,
    };
    let retry: CallAnswer;
    try {
      retry = await call(second);
    } catch (error) {
      return failed(error);
    }
    const reparsed = parseStructured(retry.response.text, accept, retry.response.finishReason);
    const usage = {
      inputTokens: answer.response.usage.inputTokens + retry.response.usage.inputTokens,
      outputTokens: answer.response.usage.outputTokens + retry.response.usage.outputTokens,
    };
    if (reparsed.ok) return { ok: true, value: reparsed.value, cached: answer.cached && retry.cached, usage };
    tracker.add(modelName, stage, { invalidOutputs: 1 });
    emit({
      type: "invalid-output",
      model: modelName,
      stage,
      schemaName: options.schemaName,
      error: reparsed.error,
      willReask: false,
    });
    return {
      ok: false,
      code: "invalid_output",
      error: `${modelName} gave no valid ${options.schemaName} after one re-ask: ${reparsed.error}`,
    };
  }

  async function generateText(options: CallOptions): Promise<GenerateResult<string>> {
    try {
      const answer = await call({
        messages: normalize(options.messages),
        responseSchema: undefined,
        options,
      });
      return { ok: true, value: answer.response.text, cached: answer.cached, usage: answer.response.usage };
    } catch (error) {
      return failed(error);
    }
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
      const prepared =
        "schema" in request
          ? prepareObject(request)
          : { messages: normalize(request.messages), responseSchema: undefined, options: request };
      const key = keyOf(prepared);
      if (cache?.get(key)) {
        cached += 1;
        continue;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      inputTokens += approxInputTokens(prepared.messages, prepared.responseSchema);
      outputTokens +=
        request.maxOutputTokens ?? estimateOptions.outputTokensPerCall ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS;
    }
    const price = findPrice(prices, modelName);
    const notes = [
      "Tokens are approximated as characters / 4; output tokens as maxOutputTokens or a fixed amount per call. Re-asks and retries are not included.",
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
      costUsd: price ? costOf(price, inputTokens, outputTokens) : null,
      pricesAsOf: prices.asOf,
      notes,
    };
  }

  async function close(): Promise<void> {
    closed = true;
    await Promise.allSettled([...inFlight.values()]);
    cache?.close();
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

function asModelCallError(error: unknown, retries: number): ModelCallError {
  const base =
    error instanceof ModelCallError
      ? error
      : new ModelCallError(redactSecrets(error instanceof Error ? error.message : String(error)), {
          kind: classifyError(error).kind,
        });
  if (retries === 0) return base;
  return new ModelCallError(`${base.message} (after ${retries} ${retries === 1 ? "retry" : "retries"})`, {
    kind: base.kind,
    status: base.status,
    hint: base.hint,
  });
}
