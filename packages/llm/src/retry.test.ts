import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ModelCallError } from "./errors.js";
import {
  backoffDelay,
  classifyError,
  isConnectionRefused,
  MAX_RETRY_AFTER_MS,
  retryAfterMs,
  retryDelay,
} from "./retry.js";

describe("retryAfterMs", () => {
  it("reads retry-after as seconds", () => {
    expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(retryAfterMs(new Headers({ "retry-after": "0.5" }))).toBe(500);
  });

  it("reads retry-after as an HTTP date, relative to now", () => {
    const now = Date.parse("Wed, 21 Oct 2015 07:27:55 GMT");
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" }), now)).toBe(5000);
    // A date in the past means: retry now.
    expect(retryAfterMs(new Headers({ "retry-after": "Wed, 21 Oct 2015 07:27:00 GMT" }), now)).toBe(0);
  });

  it("prefers retry-after-ms", () => {
    expect(retryAfterMs(new Headers({ "retry-after-ms": "150", "retry-after": "9" }))).toBe(150);
  });

  it("ignores absent, negative and unreadable values", () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
    expect(retryAfterMs(new Headers({ "retry-after": "-3" }))).toBeUndefined();
    expect(retryAfterMs(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    expect(retryAfterMs(new Headers({ "retry-after-ms": "x", "retry-after": "1" }))).toBe(1000);
  });
});

describe("backoffDelay", () => {
  it("is full jitter over an exponential ceiling", () => {
    const half = () => 0.5;
    const options = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, options, half)).toBe(500);
    expect(backoffDelay(3, options, half)).toBe(4000); // 0.5 * 1000 * 2^3
    expect(backoffDelay(10, options, half)).toBe(30_000); // capped at 60 000
  });

  it("stays in [0, min(max, base * 2^retry))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, baseMs, maxMs, r) => {
          const wait = backoffDelay(retry, { baseMs, maxMs }, () => r);
          expect(wait).toBeGreaterThanOrEqual(0);
          expect(wait).toBeLessThan(Math.max(1, Math.min(maxMs, baseMs * 2 ** retry)));
        },
      ),
    );
  });
});

describe("classifyError", () => {
  it("trusts a ModelCallError's kind", () => {
    const error = new ModelCallError("x", { kind: "rate-limit", status: 429, retryAfterMs: 1200 });
    expect(classifyError(error)).toEqual({
      kind: "rate-limit",
      retryable: true,
      retryAfterMs: 1200,
      refused: false,
    });
    expect(classifyError(new ModelCallError("x", { kind: "bad-request" })).retryable).toBe(false);
  });

  it("reads status and headers from raw SDK-like errors", () => {
    const raw = Object.assign(new Error("429"), {
      status: 429,
      headers: new Headers({ "retry-after": "3" }),
    });
    expect(classifyError(raw)).toEqual({
      kind: "rate-limit",
      retryable: true,
      retryAfterMs: 3000,
      refused: false,
    });
    expect(classifyError(Object.assign(new Error("x"), { status: 503 })).kind).toBe("server");
    expect(classifyError(Object.assign(new Error("x"), { status: 401 }))).toMatchObject({
      kind: "auth",
      retryable: false,
    });
    expect(classifyError(Object.assign(new Error("x"), { status: 422 }))).toMatchObject({
      kind: "bad-request",
      retryable: false,
    });
  });

  it("recognises network errors, also as a cause", () => {
    expect(classifyError(Object.assign(new Error("x"), { code: "ECONNRESET" })).kind).toBe("connection");
    const fetchFailed = new TypeError("fetch failed", {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    expect(classifyError(fetchFailed)).toMatchObject({ kind: "connection", retryable: true, refused: true });
    // fetch wraps the socket error twice; a reset is not a refusal.
    const wrapped = new Error("Connection error.", { cause: fetchFailed });
    expect(isConnectionRefused(wrapped)).toBe(true);
    expect(isConnectionRefused(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isConnectionRefused(loop)).toBe(false);
    const refused = new ModelCallError("x", { kind: "connection", refused: true });
    expect(classifyError(refused)).toMatchObject({ kind: "connection", refused: true });
    expect(refused.failureCause).toBe("connection-refused");
    expect(classifyError(new DOMException("t", "TimeoutError")).kind).toBe("timeout");
    expect(classifyError(new SyntaxError("Unexpected end of JSON input")).kind).toBe("malformed");
    expect(classifyError("what")).toMatchObject({ kind: "other", retryable: false });
  });
});

describe("retryDelay", () => {
  const backoff = { baseMs: 1000, maxMs: 60_000 };
  it("waits what the server asked, else backs off", () => {
    expect(
      retryDelay(
        { kind: "rate-limit", retryable: true, retryAfterMs: 2500, refused: false },
        0,
        backoff,
        () => 0.9,
      ),
    ).toBe(2500);
    expect(
      retryDelay(
        { kind: "server", retryable: true, retryAfterMs: undefined, refused: false },
        1,
        backoff,
        () => 0.5,
      ),
    ).toBe(1000);
  });

  it("gives up when the server asks for more than the cap", () => {
    const far = {
      kind: "rate-limit" as const,
      retryable: true,
      retryAfterMs: MAX_RETRY_AFTER_MS + 1,
      refused: false,
    };
    expect(retryDelay(far, 0, backoff)).toBeUndefined();
  });
});
