import type { ChatMessage } from "@profilekit/spec";
import { z } from "zod";
import { canonicalJson } from "@profilekit/spec";

/**
 * A rough token count: characters / 4, rounded up. It is the usual rule of
 * thumb for English with OpenAI and Anthropic tokenizers (within about 25% on
 * prose; worse for code or other languages). Used for dry-run estimates and
 * to reserve tokens-per-minute budget before a request; real usage always
 * comes from the API.
 */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Approximate input tokens of a request: its messages, plus the schema when one is sent. */
export function approxInputTokens(
  messages: readonly ChatMessage[],
  responseSchema: { readonly jsonSchema: Record<string, unknown> } | undefined,
): number {
  let chars = 0;
  for (const message of messages) chars += message.content.length;
  if (responseSchema) chars += canonicalJson(responseSchema.jsonSchema).length;
  return Math.ceil(chars / 4);
}

/** What a dry run would cost. */
export const EstimateReportSchema = z.object({
  model: z.string(),
  /** Requests as given. */
  requests: z.number().int().nonnegative(),
  /** Distinct calls that would reach the model (not cached, duplicates merged). */
  calls: z.number().int().nonnegative(),
  /** Requests the cache already answers. */
  cached: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** At the standard rate, without prompt-cache discounts. */
  costUsd: z.number().nonnegative().nullable(),
  /** The same calls through the provider's batch API, at its rate. */
  batchCostUsd: z.number().nonnegative().nullable(),
  /** The date of the model's price. */
  pricesAsOf: z.string(),
  notes: z.array(z.string()),
});
export type EstimateReport = z.infer<typeof EstimateReportSchema>;
