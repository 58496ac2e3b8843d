import { describe, expect, it } from "vitest";
import { describeFailures, FailureLog, failureSummary } from "./failures.js";
import { priceTable } from "./prices.js";
import { UsageReportSchema, UsageTracker } from "./usage.js";

describe("UsageTracker: prompt-cache tokens", () => {
  it("prices cached input and cache writes at their rates, and reports the rates used", () => {
    const tracker = new UsageTracker();
    // 10,000 input tokens, of which 8,000 read from the cache and 1,000 written; 500 output.
    tracker.add("anthropic:claude-haiku-4-5", "extract", {
      calls: 1,
      requests: 1,
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      cacheWriteInputTokens: 1_000,
      outputTokens: 500,
    });
    // Haiku 4.5: $1 input, $0.10 cache reads, $1.25 cache writes, $5 output per million.
    const expected = (1_000 * 1 + 8_000 * 0.1 + 1_000 * 1.25 + 500 * 5) / 1e6;
    const report = tracker.report();
    expect(report.total.costUsd).toBeCloseTo(expected, 12);
    expect(report.total).toMatchObject({
      inputTokens: 10_000,
      cachedInputTokens: 8_000,
      cacheWriteInputTokens: 1_000,
    });
    expect(report.prices).toEqual([
      expect.objectContaining({
        model: "anthropic:claude-haiku-4-5",
        asOf: "2025-11-01",
        cachedInputPerMTok: 0.1,
      }),
    ]);
  });

  it("reads a report written before the cached counts, failures and prices existed", () => {
    const totals = {
      calls: 1,
      requests: 1,
      cacheHits: 0,
      merged: 0,
      retries: 0,
      failures: 0,
      invalidOutputs: 0,
      inputTokens: 5,
      outputTokens: 2,
      costUsd: null,
    };
    const old = UsageReportSchema.parse({
      pricesAsOf: "2025-11-01",
      total: totals,
      byModel: [],
      byStage: [],
      notes: [],
    });
    expect(old.total.cachedInputTokens).toBe(0);
    expect(old.failureCauses).toEqual([]);
    expect(old.prices).toEqual([]);
  });
});

describe("UsageTracker: the budget", () => {
  it("is one per tracker, shared by every client on it, with one cap", async () => {
    const tracker = new UsageTracker(
      priceTable({ models: { "x:m": { inputPerMTok: 1e6, outputPerMTok: 0 } } }),
    );
    const budget = tracker.budget(5);
    expect(tracker.budget(5)).toBe(budget);
    expect(() => tracker.budget(6)).toThrow(expect.objectContaining({ code: "conflicting_options" }));
    // The budget reads what the tracker has counted: $1 a token here.
    tracker.add("x:m", "s", { inputTokens: 3 });
    await expect(budget.reserve(2.5)).rejects.toMatchObject({ code: "budget_exceeded" });
  });

  it("a new tracker (a new run) starts from nothing spent", async () => {
    const prices = priceTable({ models: { "x:m": { inputPerMTok: 1e6, outputPerMTok: 0 } } });
    const first = new UsageTracker(prices);
    first.add("x:m", "s", { inputTokens: 5 });
    await expect(first.budget(5).reserve(0.5)).rejects.toMatchObject({ code: "budget_exceeded" });
    await expect(new UsageTracker(prices).budget(5).reserve(0.5)).resolves.toBeDefined();
  });
});

describe("failures", () => {
  it("groups failed calls by model, stage and cause, with a few distinct examples", () => {
    const tracker = new UsageTracker();
    const refused = failureSummary("connection-refused", { endpoint: "http://127.0.0.1:8000/v1" });
    for (let i = 0; i < 5; i += 1) {
      tracker.recordFailure("openai-compatible:m", "judge", {
        cause: "connection-refused",
        summary: refused,
        message: `openai-compatible request failed: Connection error. (call ${i % 4})`,
      });
    }
    tracker.recordFailure("openai-compatible:m", "extract", {
      cause: "invalid-answer",
      summary: failureSummary("invalid-answer", { endpoint: "x" }),
      message: "no valid factors",
    });
    const report = tracker.report();
    expect(report.total.failures).toBe(6);
    expect(report.failureCauses).toEqual([
      {
        model: "openai-compatible:m",
        stage: "extract",
        cause: "invalid-answer",
        count: 1,
        summary: "invalid answers (not valid for the schema, still after one re-ask)",
        examples: ["no valid factors"],
      },
      {
        model: "openai-compatible:m",
        stage: "judge",
        cause: "connection-refused",
        count: 5,
        summary: "connection refused at http://127.0.0.1:8000/v1",
        examples: [0, 1, 2].map((i) => `openai-compatible request failed: Connection error. (call ${i})`),
      },
    ]);
    expect(describeFailures(report.failureCauses)).toBe(
      [
        "6 model calls failed:",
        '  5  connection refused at http://127.0.0.1:8000/v1 (openai-compatible:m; e.g. "openai-compatible request failed: Connection error. (call 0)")',
        '  1  invalid answers (not valid for the schema, still after one re-ask) (openai-compatible:m; e.g. "no valid factors")',
      ].join("\n"),
    );
    expect(describeFailures([])).toBe("");
  });

  it("names the cause as a person needs it", () => {
    const endpoint = "https://api.openai.com/v1";
    expect(failureSummary("auth", { endpoint, status: 401, keyEnvVar: "OPENAI_API_KEY" })).toBe(
      "401 unauthorized (check OPENAI_API_KEY)",
    );
    expect(failureSummary("auth", { endpoint, status: 403 })).toBe("403 forbidden (check the API key)");
    expect(failureSummary("not-found", { endpoint, modelId: "gpt-9" })).toBe(
      'model not found ("gpt-9") at https://api.openai.com/v1 (check the model id and the base URL)',
    );
    expect(failureSummary("timeout", { endpoint, timeoutMs: 500 })).toContain("no answer within 500 ms");
    expect(failureSummary("server", { endpoint })).toBe("server errors (5xx) at https://api.openai.com/v1");
  });

  it("never keeps a key in a summary or an example", () => {
    const log = new FailureLog();
    log.record("m", "s", {
      cause: "auth",
      summary: "401 with sk-proj-abcdefghijklmnop",
      message: "Incorrect API key provided: sk-proj-abcdefghijklmnop.",
    });
    const [group] = log.report();
    expect(JSON.stringify(group)).not.toContain("abcdefghijklmnop");
  });
});
