import { createHash } from "node:crypto";
import { type ChatMessage, canonicalJson } from "@profilekit/spec";

/** Bump when the meaning of a cached entry changes; old entries then miss. */
const CACHE_FORMAT_VERSION = 1;

/**
 * Everything that can change a model's answer. The API key is deliberately
 * absent: the same question to the same model has the same answer whoever pays.
 */
export interface CacheKeyParts {
  readonly provider: string;
  readonly modelId: string;
  readonly baseURL: string | undefined;
  readonly messages: readonly ChatMessage[];
  readonly temperature: number | undefined;
  readonly maxOutputTokens: number | undefined;
  readonly seed: number | undefined;
  readonly responseSchema:
    | { readonly name: string; readonly jsonSchema: Record<string, unknown> }
    | undefined;
  readonly promptVersion: string;
  readonly sampleIndex: number;
}

/** sha256 (hex) of the canonical JSON of the parts and the cache format version. */
export function cacheKey(parts: CacheKeyParts): string {
  const body = canonicalJson({ format: CACHE_FORMAT_VERSION, ...parts });
  return createHash("sha256").update(body).digest("hex");
}
