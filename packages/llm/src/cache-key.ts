import { createHash } from "node:crypto";
import type { ChatMessage } from "@profilekit/spec";

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

/** Canonical text of frozen objects (which cannot change), e.g. a schema sent with every call. */
const frozenText = new WeakMap<object, string>();

/**
 * JSON with object keys sorted at every depth and undefined members dropped,
 * so two equal values always give the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === "object" && Object.isFrozen(value)) {
    let text = frozenText.get(value);
    if (text === undefined) {
      text = canonicalText(value);
      frozenText.set(value, text);
    }
    return text;
  }
  return canonicalText(value);
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    }
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(",")}}`;
}

/** sha256 (hex) of the canonical JSON of the parts and the cache format version. */
export function cacheKey(parts: CacheKeyParts): string {
  const body = canonicalJson({ format: CACHE_FORMAT_VERSION, ...parts });
  return createHash("sha256").update(body).digest("hex");
}
