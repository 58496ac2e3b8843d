import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { cacheStats } from "./cache-maintenance.js";
import { createModelClient, type ModelClientOptions, type ModelEvent } from "./client.js";
import { createLanguageModel } from "./providers/registry.js";
import { type MockHandler, type MockReply, type MockServer, startMockServer } from "./testing/mock-server.js";

const KEY = "sk-client-test-0123456789";
const schema = z.object({ score: z.number().int().min(1).max(5) });

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-client-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: MockHandler, latencyMs = 0): Promise<MockServer> {
  server = await startMockServer({ handler, latencyMs });
  return server;
}

function client(
  mock: MockServer,
  options: Partial<ModelClientOptions> & { id?: string; apiKey?: string; structuredOutput?: "text" } = {},
) {
  const { id = "openai-compatible:mock-model", apiKey = KEY, structuredOutput, ...rest } = options;
  const baseURL = id.startsWith("anthropic:") ? mock.anthropicBaseURL : mock.openaiBaseURL;
  return createModelClient({
    model: createLanguageModel(id, { baseURL, apiKey, ...(structuredOutput ? { structuredOutput } : {}) }),
    cache: { path: join(dir, "cache.db") },
    backoff: { baseMs: 5, maxMs: 20 },
    ...rest,
  });
}

function ask(item: number | string, extra: Record<string, unknown> = {}) {
  return {
    schema,
    schemaName: "rating",
    messages: [
      { role: "system" as const, content: "You rate answers." },
      { role: "user" as const, content: `Rate item ${item}.` },
    ],
    promptVersion: "rating@1",
    stage: "extract",
    ...extra,
  };
}

const always3: MockHandler = () => ({ json: { score: 3 } });

describe("cache", () => {
  it("answers a repeated call from the cache with zero requests, across clients", async () => {
    const mock = await serve(always3);
    const first = client(mock);
    expect(await first.generateObject(ask(1))).toMatchObject({
      ok: true,
      value: { score: 3 },
      cached: false,
    });
    await first.close();
    expect(mock.stats.requests).toBe(1);

    mock.reset();
    const second = client(mock, { apiKey: "sk-another-key-9876543210" }); // the key is not part of the cache key
    const again = await second.generateObject(ask(1));
    expect(again).toMatchObject({ ok: true, value: { score: 3 }, cached: true });
    expect(mock.stats.requests).toBe(0);
    expect(second.usage().total).toMatchObject({ calls: 1, cacheHits: 1, requests: 0, inputTokens: 0 });
    await second.close();
  });

  it("misses when the prompt version, sample, temperature, seed or schema differ", async () => {
    const mock = await serve(always3);
    const c = client(mock);
    await c.generateObject(ask(1));
    const variants = [
      ask(1, { promptVersion: "rating@2" }),
      ask(1, { sampleIndex: 1 }),
      ask(1, { temperature: 0.7 }),
      ask(1, { seed: 42 }),
      ask(1, { schema: z.object({ score: z.number().int() }) }),
    ];
    for (const variant of variants)
      expect(await c.generateObject(variant)).toMatchObject({ ok: true, cached: false });
    expect(mock.stats.requests).toBe(1 + variants.length);
    expect(mock.log[2]?.temperature).toBeUndefined();
    expect(mock.log[3]?.temperature).toBe(0.7);
    expect(mock.log[4]?.seed).toBe(42);
    await c.close();
  });

  it("refuses a damaged cache file before any call, naming it and the repair command", async () => {
    const mock = await serve(always3);
    writeFileSync(join(dir, "cache.db"), "not a database ".repeat(300));
    expect(() => client(mock)).toThrow(
      expect.objectContaining({
        code: "cache_corrupt",
        hint: expect.stringContaining("profilekit cache repair"),
      }),
    );
    expect(mock.stats.requests).toBe(0);
  });

  it("with cache: false, asks every time", async () => {
    const mock = await serve(always3);
    const c = client(mock, { cache: false });
    await c.generateObject(ask(1));
    await c.generateObject(ask(1));
    expect(mock.stats.requests).toBe(2);
    await c.close();
  });

  it("never caches an error", async () => {
    let fail = true;
    const mock = await serve(() => (fail ? { fault: "server-error" } : { json: { score: 4 } }));
    const c = client(mock, { maxRetries: 0 });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: false, code: "model_call_failed" });
    fail = false;
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 4 }, cached: false });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, cached: true });
    expect(mock.stats.requests).toBe(2);
    await c.close();
  });

  it("merges identical calls in flight into one request", async () => {
    const mock = await serve(always3, 50);
    const c = client(mock);
    const results = await Promise.all(Array.from({ length: 5 }, () => c.generateObject(ask(7))));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(mock.stats.requests).toBe(1);
    expect(c.usage().total).toMatchObject({ calls: 5, merged: 4, requests: 1 });
    await c.close();
  });
});

describe("retries", () => {
  it("retries 429, 500, resets, timeouts and garbled bodies, and counts them", async () => {
    const script: MockReply[] = [
      { fault: "rate-limit", retryAfterMs: 10 },
      { fault: "server-error", status: 503 },
      { fault: "reset" },
      { fault: "malformed" },
      { fault: "hang" },
    ];
    const mock = await serve((request) => script[request.index] ?? { json: { score: 2 } });
    const events: ModelEvent[] = [];
    const c = client(mock, { maxRetries: 5, timeoutMs: 300, onEvent: (event) => events.push(event) });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 2 } });
    expect(mock.stats.requests).toBe(6);
    expect(c.usage().total).toMatchObject({ calls: 1, requests: 6, retries: 5, failures: 0 });
    const kinds = events.flatMap((event) => (event.type === "retry" ? [event.kind] : []));
    expect(kinds).toEqual(["rate-limit", "server", "connection", "malformed", "timeout"]);
    await c.close();
  });

  it("gives up after maxRetries, reporting a failure (not a guess)", async () => {
    const mock = await serve(() => ({ fault: "server-error" }));
    const c = client(mock, { maxRetries: 2 });
    const result = await c.generateObject(ask(1));
    expect(result).toMatchObject({
      ok: false,
      code: "model_call_failed",
      error: expect.stringMatching(/after 2 retries/),
    });
    expect(mock.stats.requests).toBe(3);
    expect(c.usage().total).toMatchObject({ calls: 1, requests: 3, retries: 2, failures: 1 });
    await c.close();
  });

  it("maxRetries 0 means one request and no retry", async () => {
    const mock = await serve(() => ({ fault: "rate-limit", retryAfterMs: 1 }));
    const c = client(mock, { maxRetries: 0 });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: false });
    expect(mock.stats.requests).toBe(1);
    expect(c.usage().total).toMatchObject({ requests: 1, retries: 0, failures: 1 });
    await c.close();
  });

  it("a request that never answers times out", async () => {
    const mock = await serve(() => ({ fault: "hang" }));
    const c = client(mock, { maxRetries: 0, timeoutMs: 200 });
    const started = performance.now();
    const result = await c.generateText({
      messages: [{ role: "user", content: "hi" }],
      promptVersion: "t",
      stage: "generate",
    });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringContaining("did not answer within 200 ms"),
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await c.close();
  });

  it("honours retry-after in seconds over its own backoff", async () => {
    const arrivals: number[] = [];
    const mock = await serve((request) => {
      arrivals.push(performance.now());
      return request.index === 0 ? { fault: "rate-limit", retryAfterSeconds: 1 } : { json: { score: 1 } };
    });
    // Backoff alone would wait at most 1 ms.
    const c = client(mock, { backoff: { baseMs: 1, maxMs: 1 } });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(990);
    await c.close();
  });

  it("honours retry-after-ms", async () => {
    const arrivals: number[] = [];
    const mock = await serve((request) => {
      arrivals.push(performance.now());
      return request.index === 0 ? { fault: "rate-limit", retryAfterMs: 300 } : { json: { score: 1 } };
    });
    const events: ModelEvent[] = [];
    const c = client(mock, { backoff: { baseMs: 1, maxMs: 1 }, onEvent: (event) => events.push(event) });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true });
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(295);
    expect(events).toContainEqual(expect.objectContaining({ type: "retry", delayMs: 300, status: 429 }));
    await c.close();
  });

  it("does not retry a bad request, and stops the run on a rejected key or unknown model", async () => {
    const mock = await serve((request) =>
      request.model === "gone" ? { fault: "not-found" } : { fault: "unauthorized" },
    );
    const c = client(mock);
    await expect(c.generateObject(ask(1))).rejects.toMatchObject({ code: "model_auth_failed", exitCode: 2 });
    expect(mock.stats.requests).toBe(1);
    const gone = client(mock, { id: "openai-compatible:gone" });
    await expect(
      gone.generateText({ messages: [{ role: "user", content: "x" }], promptVersion: "p", stage: "s" }),
    ).rejects.toMatchObject({
      code: "model_not_found",
    });
    expect(mock.stats.requests).toBe(2);
    await c.close();
    await gone.close();
  });

  it("rejects with the caller's reason when aborted, without retrying", async () => {
    const controller = new AbortController();
    const mock = await serve(() => {
      setTimeout(() => controller.abort(new Error("user stop")), 10);
      return { fault: "hang" };
    });
    const c = client(mock);
    await expect(c.generateObject(ask(1, { signal: controller.signal }))).rejects.toThrow("user stop");
    expect(mock.stats.requests).toBe(1);
    await c.close();
  });
});

describe("scheduling", () => {
  it("never has more requests in flight than the concurrency", async () => {
    const mock = await serve(always3, 30);
    const c = client(mock, { concurrency: 5 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, item) => c.generateObject(ask(item))));
    expect(results.filter((result) => result.ok)).toHaveLength(40);
    expect(mock.stats.requests).toBe(40);
    expect(mock.stats.maxInFlight).toBe(5);
    await c.close();
  });

  it("lowers the concurrency after 429s (AIMD)", async () => {
    const mock = await serve(
      (request) => (request.index < 4 ? { fault: "rate-limit", retryAfterMs: 20 } : { json: { score: 3 } }),
      10,
    );
    const limits: number[] = [];
    const c = client(mock, {
      concurrency: 8,
      onEvent: (event) => {
        if (event.type === "concurrency") limits.push(event.limit);
      },
    });
    await Promise.all(Array.from({ length: 16 }, (_, item) => c.generateObject(ask(item))));
    expect(limits[0]).toBe(4);
    await c.close();
  });
});

describe("structured output", () => {
  it("re-asks once with the validation error, then accepts", async () => {
    const mock = await serve((request) =>
      request.index === 0 ? { json: { score: 9 } } : { json: { score: 5 } },
    );
    const c = client(mock);
    const result = await c.generateObject(ask(1));
    expect(result).toMatchObject({ ok: true, value: { score: 5 } });
    expect(mock.stats.requests).toBe(2);
    const reask = mock.log[1]!.messages;
    expect(reask.at(-2)).toEqual({ role: "assistant", content: '{"score":9}' });
    expect(reask.at(-1)?.content).toMatch(/invalid.*score/s);
    expect(c.usage().total).toMatchObject({ calls: 2, invalidOutputs: 1 });
    await c.close();
  });

  it("reports a failure after the one re-ask, never a guess, and caches nothing", async () => {
    const mock = await serve(() => ({ json: { score: "high" } }));
    const c = client(mock);
    const result = await c.generateObject(ask(1));
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_output",
      error: expect.stringContaining("rating"),
    });
    expect(mock.stats.requests).toBe(2);
    expect(c.usage().total).toMatchObject({ invalidOutputs: 2, failures: 1 });
    expect(c.usage().failureCauses).toEqual([
      expect.objectContaining({ cause: "invalid-answer", count: 1, stage: "extract" }),
    ]);
    await c.close();
    // A re-run asks again: the invalid answer was not cached as a result.
    mock.reset();
    const again = client(mock);
    expect(await again.generateObject(ask(1))).toMatchObject({ ok: false, code: "invalid_output" });
    expect(mock.stats.requests).toBe(2);
    await again.close();
  });

  it("caches the answer a re-ask made valid under the call itself: a re-run makes no request", async () => {
    let first = true;
    const mock = await serve(() => {
      const json = first ? { score: 9 } : { score: 5 };
      first = false;
      return { json };
    });
    const c = client(mock);
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 5 } });
    await c.close();
    expect(mock.stats.requests).toBe(2);
    mock.reset();
    const again = client(mock);
    expect(await again.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 5 }, cached: true });
    expect(mock.stats.requests).toBe(0);
    await again.close();
  });

  it("re-checks an entry of an older version when read: an invalid one is asked again and replaced", async () => {
    let score = 9;
    const mock = await serve(() => ({ json: { score } }));
    // A lenient accept stores {score: 9}; then the entry is made to look as profilekit 0.1 wrote it
    // (0.1 cached answers before validating them, and recorded no check).
    const lenient = client(mock);
    expect(
      await lenient.generateObject({ ...ask(1), accept: z.object({ score: z.number() }) }),
    ).toMatchObject({
      ok: true,
    });
    await lenient.close();
    const raw = new DatabaseSync(join(dir, "cache.db"));
    raw.exec("UPDATE responses SET checked = NULL");
    raw.close();
    mock.reset();
    score = 4;
    const strict = client(mock);
    expect(await strict.generateObject(ask(1))).toMatchObject({
      ok: true,
      value: { score: 4 },
      cached: false,
    });
    expect(mock.stats.requests).toBe(1);
    await strict.close();
    expect(cacheStats(join(dir, "cache.db"))).toMatchObject({ entries: 1, unchecked: 0 });
    mock.reset();
    const third = client(mock);
    expect(await third.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 4 }, cached: true });
    expect(mock.stats.requests).toBe(0);
    await third.close();
  });

  it("does not cache an empty text answer: a re-run asks again", async () => {
    const mock = await serve(() => ({ text: "" }));
    const text = {
      messages: [{ role: "user" as const, content: "Write." }],
      promptVersion: "gen@1",
      stage: "generate",
    };
    const c = client(mock);
    expect(await c.generateText(text)).toMatchObject({ ok: true, value: "", cached: false });
    expect(await c.generateText(text)).toMatchObject({ ok: true, value: "", cached: false });
    expect(mock.stats.requests).toBe(2);
    await c.close();
  });

  it("validates by `accept` when given, while the schema sent stays `schema`", async () => {
    const mock = await serve(() => ({ json: { score: 9 } }));
    const c = client(mock);
    const lenient = z.object({ score: z.number() });
    const result = await c.generateObject({ ...ask(1), accept: lenient });
    expect(result).toMatchObject({ ok: true, value: { score: 9 } });
    expect(mock.stats.requests).toBe(1);
    const sent = mock.log[0]!.responseSchema!.jsonSchema as { properties: { score: { maximum?: number } } };
    expect(sent.properties.score.maximum).toBe(5);
    await c.close();
  });

  it("sends a strict json_schema response_format to OpenAI", async () => {
    const mock = await serve(always3);
    const c = client(mock, { id: "openai:gpt-4o-mini" });
    await c.generateObject(ask(1, { maxOutputTokens: 50 }));
    const [request] = mock.log;
    expect(request?.responseSchema).toMatchObject({ name: "rating", strict: true });
    expect(request?.body.max_completion_tokens).toBe(50);
    expect(request?.apiKey).toBe(KEY);
    await c.close();
  });

  it("forces a tool call with Anthropic, system prompt apart", async () => {
    const mock = await serve(always3);
    const c = client(mock, { id: "anthropic:claude-haiku-4-5" });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 3 } });
    const [request] = mock.log;
    expect(request?.body.tool_choice).toEqual({ type: "tool", name: "rating" });
    expect(request?.body.system).toBe("You rate answers.");
    expect(request?.body.max_tokens).toBe(4096);
    expect(request?.apiKey).toBe(KEY);
    await c.close();
  });

  it("asks text-only servers for JSON in the prompt and digs it out of the answer", async () => {
    const mock = await serve(() => ({ text: 'Sure:\n```json\n{"score": 2}\n```\nHope that helps.' }));
    const c = client(mock, { structuredOutput: "text" });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 2 } });
    const [request] = mock.log;
    expect(request?.responseSchema).toBeUndefined();
    expect(request?.messages.at(-1)?.content).toContain("JSON schema");
    await c.close();
  });

  it("asks Anthropic in text mode without tools", async () => {
    const mock = await serve(() => ({ text: '{"score": 4}' }));
    const c = client(mock, { id: "anthropic:claude-haiku-4-5", structuredOutput: "text" });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true, value: { score: 4 } });
    expect(mock.log[0]?.body.tools).toBeUndefined();
    await c.close();
  });

  it("returns plain text from generateText", async () => {
    const mock = await serve(() => ({ text: "A short story.", usage: { inputTokens: 11, outputTokens: 4 } }));
    const c = client(mock);
    const result = await c.generateText({
      messages: [{ role: "user", content: "Write." }],
      promptVersion: "gen@1",
      stage: "generate",
    });
    expect(result).toEqual({
      ok: true,
      value: "A short story.",
      cached: false,
      usage: { inputTokens: 11, outputTokens: 4 },
    });
    await c.close();
  });
});

describe("usage, cost and budget", () => {
  const prices = {
    models: { "openai-compatible:mock-model": { inputPerMTok: 1_000_000, outputPerMTok: 0 } },
  };
  // Every answer reports 1 input token: $1 a call at this price.
  const dollarACall: MockHandler = () => ({ json: { score: 3 }, usage: { inputTokens: 1, outputTokens: 7 } });

  it("sums tokens and cost per model and stage", async () => {
    const mock = await serve(dollarACall);
    const c = client(mock, { prices });
    await c.generateObject(ask(1));
    await c.generateObject(ask(2, { stage: "judge" }));
    await c.generateObject(ask(2, { stage: "judge" }));
    const report = c.usage();
    expect(report.total).toMatchObject({
      calls: 3,
      cacheHits: 1,
      inputTokens: 2,
      outputTokens: 14,
      costUsd: 2,
    });
    expect(report.byStage).toEqual([
      expect.objectContaining({ stage: "extract", calls: 1, costUsd: 1 }),
      expect.objectContaining({ stage: "judge", calls: 2, cacheHits: 1, costUsd: 1 }),
    ]);
    expect(report.byModel).toEqual([
      expect.objectContaining({ model: "openai-compatible:mock-model", costUsd: 2 }),
    ]);
    await c.close();
  });

  it("starts no call whose estimate could cross the budget; cached answers are still given", async () => {
    // Output at $1 a token, input free; a call reserves maxOutputTokens (2) = $2 and costs $1.
    const perToken = {
      models: { "openai-compatible:mock-model": { inputPerMTok: 0, outputPerMTok: 1_000_000 } },
    };
    const mock = await serve(() => ({ json: { score: 3 }, usage: { inputTokens: 1, outputTokens: 1 } }));
    const events: ModelEvent[] = [];
    const c = client(mock, { prices: perToken, maxCost: 5, onEvent: (event) => events.push(event) });
    const call = (item: number) => c.generateObject(ask(item, { maxOutputTokens: 2 }));
    // $0 + $2, $1 + $2, $2 + $2, $3 + $2 fit in $5; $4 + $2 does not.
    for (const item of [1, 2, 3, 4]) expect(await call(item)).toMatchObject({ ok: true });
    const refused = await call(5).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: "budget_exceeded",
      exitCode: 3,
      costUsd: 4,
      maxCost: 5,
      nextCallUsd: 2,
    });
    expect((refused as Error).message).toContain("$4.0000 spent");
    expect(events).toContainEqual({
      type: "budget-exceeded",
      costUsd: 4,
      maxCost: 5,
      reservedUsd: 0,
      nextCallUsd: 2,
    });
    expect(mock.stats.requests).toBe(4);
    expect(c.usage().total.costUsd).toBe(4);
    // Cached answers cost nothing and are still given; new calls are all refused now.
    expect(await call(1)).toMatchObject({ ok: true, cached: true });
    await expect(call(6)).rejects.toMatchObject({ code: "budget_exceeded" });
    await c.close();
    // A re-run is a new tracker: its new calls count against the cap again, its cached ones cost nothing.
    mock.reset();
    const rerun = client(mock, { prices: perToken, maxCost: 2 });
    for (const item of [1, 2, 3, 4])
      expect(await rerun.generateObject(ask(item, { maxOutputTokens: 2 }))).toMatchObject({ cached: true });
    expect(await rerun.generateObject(ask(5, { maxOutputTokens: 2 }))).toMatchObject({
      ok: true,
      cached: false,
    });
    await expect(rerun.generateObject(ask(6, { maxOutputTokens: 2 }))).rejects.toMatchObject({
      code: "budget_exceeded",
    });
    expect(mock.stats.requests).toBe(1);
    await rerun.close();
  });

  it("with concurrency 32, the spend after the run is within the cap", async () => {
    // Input at $1 a million tokens, output at $10; maxOutputTokens reserves 40 tokens a call.
    const prices = { models: { "openai-compatible:mock-model": { inputPerMTok: 1, outputPerMTok: 10 } } };
    const mock = await serve(always3, 15);
    const maxCost = 0.01;
    const c = client(mock, { prices, maxCost, concurrency: 32 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 600 }, (_, item) => c.generateObject(ask(item, { maxOutputTokens: 40 }))),
    );
    const answered = outcomes.filter((outcome) => outcome.status === "fulfilled").length;
    const refused = outcomes.filter(
      (outcome) =>
        outcome.status === "rejected" && (outcome.reason as { code?: string }).code === "budget_exceeded",
    ).length;
    expect(answered + refused).toBe(600);
    expect(refused).toBeGreaterThan(0);
    // The spend, recomputed here from what the server was asked and answered: ceil(prompt / 4)
    // input tokens and ceil(answer / 4) output tokens a request.
    const answerTokens = Math.ceil(JSON.stringify({ score: 3 }).length / 4);
    const spent = mock.log.reduce(
      (sum, request) => sum + (Math.ceil(request.prompt.length / 4) * 1 + answerTokens * 10) / 1e6,
      0,
    );
    expect(mock.stats.requests).toBe(answered);
    expect(spent).toBeLessThanOrEqual(maxCost);
    expect(c.usage().total.costUsd).toBeCloseTo(spent, 12);
    expect(mock.stats.maxInFlight).toBeGreaterThan(8);
    // The budget was used, not left idle by reservations: within one call's reservation of the cap.
    const reservation = (Math.ceil(mock.log[0]!.prompt.length / 4) + 40 * 10) / 1e6;
    expect(spent).toBeGreaterThan(maxCost - 2 * reservation);
    await c.close();
  });

  it("refuses invalid numeric options", async () => {
    const mock = await serve(always3);
    for (const bad of [
      { concurrency: 0 },
      { maxRetries: -1 },
      { maxRetries: 1.5 },
      { timeoutMs: 0 },
      { rpm: Number.NaN },
    ]) {
      expect(() => client(mock, bad)).toThrow(expect.objectContaining({ code: "invalid_option" }));
    }
  });

  it("refuses a budget it cannot price", async () => {
    const mock = await serve(always3);
    expect(() => client(mock, { maxCost: 1 })).toThrow(expect.objectContaining({ code: "unknown_price" }));
  });

  it("estimates a dry run from the cache and characters / 4", async () => {
    const mock = await serve(always3);
    const c = client(mock, {
      prices: { models: { "openai-compatible:mock-model": { inputPerMTok: 2, outputPerMTok: 4 } } },
    });
    await c.generateText({
      messages: [{ role: "user", content: "cached one" }],
      promptVersion: "p",
      stage: "s",
    });
    const text = (content: string) => ({
      messages: [{ role: "user" as const, content }],
      promptVersion: "p",
      stage: "s",
    });
    const report = c.estimate(
      [text("cached one"), text("x".repeat(40)), text("x".repeat(40)), text("y".repeat(9))],
      {
        outputTokensPerCall: 100,
      },
    );
    // Two distinct uncached calls: 40 chars -> 10 tokens, 9 chars -> 3 tokens; 100 output tokens each.
    expect(report).toMatchObject({ requests: 4, calls: 2, cached: 1, inputTokens: 13, outputTokens: 200 });
    expect(report.costUsd).toBeCloseTo((13 * 2 + 200 * 4) / 1e6, 12);
    expect(mock.stats.requests).toBe(1);
    // A structured request is keyed as generateObject keys it.
    await c.generateObject(ask(5));
    expect(c.estimate([ask(5), ask(6)])).toMatchObject({ requests: 2, calls: 1, cached: 1 });
    await c.close();
  });
});

describe("environment", () => {
  it("openai honours OPENAI_BASE_URL and OPENAI_API_KEY", async () => {
    const mock = await serve(always3);
    const model = createLanguageModel("openai:gpt-4o-mini", {
      env: { OPENAI_BASE_URL: mock.openaiBaseURL, OPENAI_API_KEY: KEY },
    });
    const c = createModelClient({ model, cache: false });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true });
    expect(mock.log[0]).toMatchObject({ api: "openai", model: "gpt-4o-mini", apiKey: KEY });
    await c.close();
  });

  it("anthropic honours ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY", async () => {
    const mock = await serve(always3);
    const model = createLanguageModel("anthropic:claude-haiku-4-5", {
      env: { ANTHROPIC_BASE_URL: mock.anthropicBaseURL, ANTHROPIC_API_KEY: KEY },
    });
    const c = createModelClient({ model, cache: false });
    expect(await c.generateObject(ask(1))).toMatchObject({ ok: true });
    expect(mock.log[0]).toMatchObject({ api: "anthropic", model: "claude-haiku-4-5", apiKey: KEY });
    await c.close();
  });
});
