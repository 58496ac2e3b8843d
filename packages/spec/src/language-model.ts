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
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export interface ModelResponse {
  /** The answer's text; for structured output, the JSON text. */
  readonly text: string;
  readonly usage: TokenUsage;
  readonly finishReason: string;
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
}
