import { type FailureKind, ModelCallError } from "./errors.js";

/** Anything with `get(name)`, e.g. the `Headers` an SDK error carries. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Retry-after values above this are not waited for: the error is final. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * How long the server asked us to wait: `retry-after-ms` (milliseconds, as
 * OpenAI sends), else `retry-after` as seconds or as an HTTP date. Undefined
 * when absent or unreadable.
 */
export function retryAfterMs(
  headers: HeaderReader | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(after);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

export interface Classification {
  readonly kind: FailureKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** Nothing was listening: ECONNREFUSED somewhere in the error's causes. */
  readonly refused: boolean;
}

const RETRYABLE: ReadonlySet<FailureKind> = new Set([
  "rate-limit",
  "server",
  "timeout",
  "connection",
  "malformed",
]);

const CONNECTION_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

export function kindOfStatus(status: number): FailureKind {
  if (status === 429) return "rate-limit";
  if (status === 408) return "timeout";
  if (status >= 500) return "server";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  return "bad-request";
}

/**
 * Sorts an error into a failure kind. Our providers throw ModelCallError; a
 * LanguageModel written elsewhere may throw raw SDK errors, which carry
 * `status` and `headers`, or Node network errors, which carry `code`.
 */
export function classifyError(error: unknown): Classification {
  if (error instanceof ModelCallError) {
    return {
      kind: error.kind,
      retryable: RETRYABLE.has(error.kind),
      retryAfterMs: error.retryAfterMs,
      refused: error.failureCause === "connection-refused",
    };
  }
  const kind = kindOfUnknown(error);
  const headers = (error as { headers?: unknown } | null)?.headers;
  const after = isHeaderReader(headers) ? retryAfterMs(headers) : undefined;
  return {
    kind,
    retryable: RETRYABLE.has(kind),
    retryAfterMs: after,
    refused: kind === "connection" && isConnectionRefused(error),
  };
}

/** Whether ECONNREFUSED is the error's code or that of one of its causes (fetch wraps it twice). */
export function isConnectionRefused(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === "object" && current !== null; ) {
    if (seen.has(current)) return false;
    seen.add(current);
    if ((current as { code?: unknown }).code === "ECONNREFUSED") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function kindOfUnknown(error: unknown): FailureKind {
  if (typeof error !== "object" || error === null) return "other";
  const { status, name, code, cause } = error as {
    status?: unknown;
    name?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  if (typeof status === "number") return kindOfStatus(status);
  if (name === "TimeoutError" || /Timeout/.test(String(name))) return "timeout";
  if (name === "AbortError") return "aborted";
  if (name === "SyntaxError") return "malformed";
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return "connection";
  if (cause !== undefined && cause !== error) {
    const inner = kindOfUnknown(cause);
    if (inner !== "other") return inner;
  }
  return "other";
}

function isHeaderReader(value: unknown): value is HeaderReader {
  return typeof value === "object" && value !== null && typeof (value as HeaderReader).get === "function";
}

export interface BackoffOptions {
  /** The first retry waits up to this long (full jitter). Default 1000 ms. */
  readonly baseMs: number;
  /** No backoff wait exceeds this. Default 60 s. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000 };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): a uniform wait in [0, min(max, base * 2^retry)).
 * `retry` counts from 0. `random` returns [0, 1).
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before the next attempt: the server's retry-after when it gave
 * one, else backoff. Undefined means do not retry (the server asked for a
 * wait longer than MAX_RETRY_AFTER_MS).
 */
export function retryDelay(
  classification: Classification,
  retry: number,
  options: BackoffOptions,
  random?: () => number,
): number | undefined {
  if (classification.retryAfterMs !== undefined) {
    return classification.retryAfterMs > MAX_RETRY_AFTER_MS
      ? undefined
      : Math.ceil(classification.retryAfterMs);
  }
  return backoffDelay(retry, options, random);
}
