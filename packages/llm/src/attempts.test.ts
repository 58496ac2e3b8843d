import type { ModelRequest, ModelResponse } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { type Attempt, type RetryEvent, retrying } from "./attempts.js";
import { BudgetExceededError, ModelCallError } from "./errors.js";
import { RequestScheduler } from "./scheduler.js";

const ok: ModelResponse = { text: "fine", usage: { inputTokens: 3, outputTokens: 1 }, finishReason: "stop" };
const request = { messages: [{ role: "user" as const, content: "hi" }] };
const target = { modelName: "test:model", endpoint: "http://127.0.0.1:1/v1", modelId: "model" };

function layer(
  attempt: Attempt<{ log: string[] }>,
  options: { maxRetries?: number; timeoutMs?: number; concurrency?: number } = {},
) {
  const retries: RetryEvent[] = [];
  const attempts: number[] = [];
  const send = retrying(attempt, {
    scheduler: new RequestScheduler({ concurrency: options.concurrency ?? 4 }),
    timeoutMs: options.timeoutMs ?? 1000,
    maxRetries: options.maxRetries ?? 3,
    backoff: { baseMs: 1, maxMs: 2 },
    estimateTokens: () => 1,
    target,
    onAttempt: (n) => attempts.push(n),
    onRetry: (event) => retries.push(event),
  });
  return { send, retries, attempts };
}

describe("the retry and scheduling layer", () => {
  it("retries what is retryable, with the signal and deadline on every attempt", async () => {
    const failures = [
      new ModelCallError("429", { kind: "rate-limit", status: 429, retryAfterMs: 5 }),
      Object.assign(new Error("reset"), { code: "ECONNRESET" }),
    ];
    const seen: ModelRequest[] = [];
    const { send, retries, attempts } = layer(async (call) => {
      seen.push(call);
      const failure = failures.shift();
      if (failure) throw failure;
      return ok;
    });
    expect(await send(request, { log: [] })).toBe(ok);
    expect(attempts).toEqual([0, 1, 2]);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 5, kind: "rate-limit", status: 429 },
      { attempt: 2, delayMs: expect.any(Number), kind: "connection", status: undefined },
    ]);
    expect(seen.every((call) => call.signal instanceof AbortSignal && call.timeoutMs === 1000)).toBe(true);
  });

  it("ends with a ModelCallError that counts the retries and summarises the cause", async () => {
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    const { send, attempts } = layer(
      async () => {
        throw refused;
      },
      { maxRetries: 2 },
    );
    const error = await send(request, { log: [] }).catch((thrown: unknown) => thrown);
    expect(attempts).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(ModelCallError);
    expect(error).toMatchObject({
      kind: "connection",
      failureCause: "connection-refused",
      summary: "connection refused at http://127.0.0.1:1/v1",
      message: "fetch failed (after 2 retries)",
    });
  });

  it("does not retry a bad request, and summarises a raw error's status", async () => {
    const { send, attempts } = layer(async () => {
      throw Object.assign(new Error("401 nope"), { status: 401 });
    });
    const error = await send(request, { log: [] }).catch((thrown: unknown) => thrown);
    expect(attempts).toEqual([0]);
    expect(error).toMatchObject({
      kind: "auth",
      failureCause: "auth",
      summary: "401 unauthorized (check the API key)",
    });
  });

  it("lets an exceeded budget through at once, and frees the slot", async () => {
    let calls = 0;
    const { send, attempts } = layer(
      async () => {
        calls += 1;
        if (calls === 1) throw new BudgetExceededError(1, 1);
        return ok;
      },
      { concurrency: 1 },
    );
    await expect(send(request, { log: [] })).rejects.toBeInstanceOf(BudgetExceededError);
    expect(attempts).toEqual([0]);
    // With one slot, this would hang if the first had kept it.
    expect(await send(request, { log: [] })).toBe(ok);
  });

  it("times an attempt out with its own deadline, and rejects with the caller's reason on abort", async () => {
    const hang: Attempt<unknown> = (call) =>
      new Promise((_, reject) => call.signal?.addEventListener("abort", () => reject(new Error("aborted"))));
    const { send } = layer(hang, { maxRetries: 0, timeoutMs: 30 });
    await expect(send(request, { log: [] })).rejects.toMatchObject({
      kind: "timeout",
      message: "test:model did not answer within 30 ms",
      summary: "timeouts (no answer within 30 ms) at http://127.0.0.1:1/v1",
    });
    const controller = new AbortController();
    const { send: long } = layer(hang, { timeoutMs: 10_000 });
    setTimeout(() => controller.abort(new Error("user stop")), 10);
    await expect(long(request, { log: [] }, controller.signal)).rejects.toThrow("user stop");
  });
});
