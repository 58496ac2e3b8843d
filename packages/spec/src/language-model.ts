import { z } from "zod";
import type { specificationVersion } from "./version.js";

export const ChatMessageSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
  /**
   * Marks the end of a prefix that many requests share (instructions, then a source document):
   * a provider that caches prompts on request (Anthropic's cache_control) caches the messages up
   * to and including this one. Providers that cache prefixes on their own ignore it.
   */
  cacheBoundary: z.boolean().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** How a provider can be made to answer in a JSON schema. */
export const StructuredOutputSupportSchema = z.enum([
  "json-schema", // OpenAI response_format json_schema
  "tool", // a forced tool call whose arguments follow the schema (Anthropic)
  "text", // none: JSON is asked for in the text and validated afterwards
]);
export type StructuredOutputSupport = z.infer<typeof StructuredOutputSupportSchema>;

export interface ModelRequest {
  readonly messages: readonly ChatMessage[];
  /** When present, the answer must follow this JSON schema. */
  readonly responseSchema?: { readonly name: string; readonly jsonSchema: Record<string, unknown> };
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export const TokenUsageSchema = z.object({
  /** Every input token of the request, those read from or written to a prompt cache included. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /**
   * Of `inputTokens`, those read from the provider's prompt cache (OpenAI
   * `prompt_tokens_details.cached_tokens`, Anthropic `cache_read_input_tokens`), priced at the
   * cached-input rate. Absent means none.
   */
  cachedInputTokens: z.number().int().nonnegative().optional(),
  /**
   * Of `inputTokens`, those written to the provider's prompt cache (Anthropic
   * `cache_creation_input_tokens`), priced at the cache-write rate. Absent means none.
   */
  cacheWriteInputTokens: z.number().int().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export interface ModelResponse {
  /** The answer's text; for structured output, the JSON text. */
  readonly text: string;
  readonly usage: TokenUsage;
  readonly finishReason: string;
}

/** What a request is, apart from how it is sent (the caller's signal and deadline). */
export type ModelCallRequest = Omit<ModelRequest, "signal" | "timeoutMs">;

/** One HTTP request of a provider's API: the path (as batch files name it) and the JSON body. */
export interface WireRequest {
  /** e.g. `/v1/chat/completions`, `/v1/messages`. */
  readonly endpoint: string;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * How a model's calls look on the wire. The synchronous path sends
 * `buildRequest`'s body and reads the answer with `parseResponse`; a batch
 * path (a provider's batch API, a vLLM batch file) sends the same bodies and
 * reads its answers with the same parser, so an answer means the same
 * whichever way it came.
 */
export interface ModelWireFormat {
  buildRequest(request: ModelCallRequest): WireRequest;
  /** The provider's response body (JSON, parsed) as a ModelResponse; throws when it is not one. */
  parseResponse(body: unknown): ModelResponse;
}

/** One request of a provider batch: its `custom_id` (profilekit sends the call's cache key) and the request. */
export interface BatchRequest {
  readonly customId: string;
  readonly request: WireRequest;
}

/** What one batch of a provider's batch API may hold. */
export interface BatchLimits {
  readonly maxRequests: number;
  /** The upload's size: the JSON Lines file (OpenAI) or the request body (Anthropic). */
  readonly maxBytes: number;
}

/**
 * A batch as its provider reports it, in words common to the providers. `phase`: still
 * validating or running, cancelling, or ended; an ended batch's `outcome` says how (completed,
 * expired after its window, cancelled, or failed as a whole, e.g. a file that did not validate).
 */
export interface BatchState {
  /** The provider's batch id. */
  readonly id: string;
  readonly phase: "validating" | "in_progress" | "finalizing" | "cancelling" | "ended";
  readonly outcome?: "completed" | "expired" | "cancelled" | "failed";
  /** Requests in the batch, and those already finished (answered or errored), when the provider says. */
  readonly counts: { readonly total: number; readonly finished: number };
  /** ISO 8601. */
  readonly createdAt: string;
  readonly expiresAt?: string;
  /** Why a failed batch failed. */
  readonly error?: string;
}

/** One request's outcome in an ended batch: the response body, or why there is none. */
export type BatchResult =
  | { readonly customId: string; readonly type: "succeeded"; readonly body: unknown }
  | { readonly customId: string; readonly type: "errored"; readonly error: string }
  | { readonly customId: string; readonly type: "expired" }
  | { readonly customId: string; readonly type: "cancelled" };

/**
 * A provider's batch API for one model (OpenAI Batch, Anthropic Message Batches): requests go
 * up as `wire.buildRequest` builds them, answers come back as the bodies `wire.parseResponse`
 * reads. Results may come in any order; match them by `customId`.
 */
export interface ModelBatchApi {
  readonly limits: BatchLimits;
  /** Creates one batch of these requests (within `limits`). `metadata` is kept by providers that take it. */
  submit(requests: readonly BatchRequest[], metadata: Readonly<Record<string, string>>): Promise<BatchState>;
  retrieve(id: string): Promise<BatchState>;
  /** The results of an ended batch (a cancelled one's partial results included). */
  results(id: string): AsyncIterable<BatchResult>;
  cancel(id: string): Promise<BatchState>;
}

/**
 * One model at one provider. Implementations make exactly one request per
 * call and never retry: retries, caching and rate limits belong to the caller,
 * so they are counted once.
 */
export interface LanguageModel {
  readonly specificationVersion: typeof specificationVersion;
  /** e.g. openai, anthropic, openai-compatible */
  readonly provider: string;
  readonly modelId: string;
  /** The endpoint, when not the provider's default; part of every cache key. */
  readonly baseURL: string | undefined;
  readonly structuredOutput: StructuredOutputSupport;
  generate(request: ModelRequest): Promise<ModelResponse>;
  /** The request builder and response parser `generate` uses, when the model has a wire format. */
  readonly wire?: ModelWireFormat;
  /** The provider's batch API for this model, when it has one (it sends `wire`'s bodies). */
  readonly batch?: ModelBatchApi;
}
