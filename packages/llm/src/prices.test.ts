import { describe, expect, it } from "vitest";
import { costOf, DEFAULT_PRICES, findPrice, PriceTableSchema, priceTable } from "./prices.js";
import { UsageReportSchema, UsageTracker } from "./usage.js";

describe("prices", () => {
  it("the default table is dated, per model too, and valid", () => {
    expect(PriceTableSchema.parse(DEFAULT_PRICES).asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const [model, price] of Object.entries(DEFAULT_PRICES.models)) {
      expect(price.asOf, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // Every default has its cached and batch rates, and they are discounts.
      expect(price.cachedInputPerMTok, model).toBeLessThan(price.inputPerMTok);
      expect(price.batchMultiplier, model).toBe(0.5);
    }
    // Anthropic: reads at a tenth of the input price, writes at 1.25 times it.
    expect(DEFAULT_PRICES.models["anthropic:claude-sonnet-4-5"]).toMatchObject({
      inputPerMTok: 3,
      cachedInputPerMTok: 0.3,
      cacheWriteInputPerMTok: 3.75,
    });
  });

  it("finds a model, and a dated snapshot through its family", () => {
    expect(findPrice(DEFAULT_PRICES, "openai:gpt-4o-mini")).toMatchObject({
      inputPerMTok: 0.15,
      cachedInputPerMTok: 0.075,
      outputPerMTok: 0.6,
    });
    expect(findPrice(DEFAULT_PRICES, "anthropic:claude-sonnet-4-5-20250929")).toMatchObject({
      inputPerMTok: 3,
      outputPerMTok: 15,
    });
    expect(findPrice(DEFAULT_PRICES, "openai:gpt-4o-2024-08-06")).toMatchObject({
      inputPerMTok: 2.5,
      outputPerMTok: 10,
    });
    expect(findPrice(DEFAULT_PRICES, "openai-compatible:llama3")).toBeUndefined();
  });

  it("costs tokens per million", () => {
    // 1M input at $3 + 200k output at $15/M = 3 + 3
    const plain = { inputPerMTok: 3, outputPerMTok: 15 };
    expect(costOf(plain, { inputTokens: 1_000_000, outputTokens: 200_000 })).toBeCloseTo(6, 12);
    // Without cached or batch rates, those tokens cost as standard ones.
    expect(
      costOf(plain, { inputTokens: 1_000_000, outputTokens: 200_000, cachedInputTokens: 500_000 }, "batch"),
    ).toBeCloseTo(6, 12);
  });

  it("costs cached input, cache writes and batch at their rates", () => {
    const price = {
      inputPerMTok: 3,
      cachedInputPerMTok: 0.3,
      cacheWriteInputPerMTok: 3.75,
      outputPerMTok: 15,
      batchMultiplier: 0.5,
    };
    // 1M input of which 600k read from the cache and 100k written: 300k at $3, 600k at $0.30,
    // 100k at $3.75; 100k output at $15.
    const tokens = {
      inputTokens: 1_000_000,
      cachedInputTokens: 600_000,
      cacheWriteInputTokens: 100_000,
      outputTokens: 100_000,
    };
    const sync = 0.3 * 3 + 0.6 * 0.3 + 0.1 * 3.75 + 0.1 * 15;
    expect(costOf(price, tokens)).toBeCloseTo(sync, 12);
    expect(costOf(price, tokens, "batch")).toBeCloseTo(sync / 2, 12);
  });

  it("lays overrides over the defaults", () => {
    const table = priceTable({
      asOf: "2026-01-02",
      models: { "openai-compatible:m": { inputPerMTok: 1, outputPerMTok: 2 } },
    });
    expect(table.asOf).toBe("2026-01-02");
    // An override without a date of its own takes the overrides' date.
    expect(table.models["openai-compatible:m"]).toEqual({
      inputPerMTok: 1,
      outputPerMTok: 2,
      asOf: "2026-01-02",
    });
    expect(
      priceTable({ models: { "x:y": { inputPerMTok: 1, outputPerMTok: 2, asOf: "2025-03-04" } } }).models[
        "x:y"
      ]?.asOf,
    ).toBe("2025-03-04");
    expect(table.models["openai:gpt-4o"]).toEqual(DEFAULT_PRICES.models["openai:gpt-4o"]);
    expect(() => priceTable({ asOf: "yesterday", models: {} })).toThrow(
      expect.objectContaining({ code: "invalid_prices" }),
    );
  });
});

describe("UsageTracker", () => {
  it("sums per model and per stage, and prices what it can", () => {
    const tracker = new UsageTracker(DEFAULT_PRICES);
    tracker.add("openai:gpt-4o-mini", "extract", {
      calls: 2,
      requests: 3,
      retries: 1,
      inputTokens: 1000,
      outputTokens: 500,
    });
    tracker.add("openai:gpt-4o-mini", "judge", { calls: 1, cacheHits: 1 });
    tracker.add("openai-compatible:local", "judge", {
      calls: 1,
      requests: 1,
      inputTokens: 10,
      outputTokens: 5,
    });
    const report = UsageReportSchema.parse(tracker.report());
    const mini = report.byModel.find((row) => row.model === "openai:gpt-4o-mini")!;
    // (1000 * 0.15 + 500 * 0.60) / 1e6
    expect(mini.costUsd).toBeCloseTo(0.00045, 12);
    expect(mini).toMatchObject({ calls: 3, requests: 3, retries: 1, cacheHits: 1 });
    const local = report.byModel.find((row) => row.model === "openai-compatible:local")!;
    expect(local.costUsd).toBeNull();
    expect(report.total.costUsd).toBeNull();
    expect(report.notes).toEqual([expect.stringContaining("openai-compatible:local")]);
    const judge = report.byStage.find((row) => row.stage === "judge")!;
    expect(judge).toMatchObject({ calls: 2, cacheHits: 1, inputTokens: 10, costUsd: null });
    expect(report.byStage.find((row) => row.stage === "extract")!.costUsd).toBeCloseTo(0.00045, 12);
    expect(tracker.spentUsd()).toBeCloseTo(0.00045, 12);
    expect(report.pricesAsOf).toBe(DEFAULT_PRICES.asOf);
  });

  it("a model that only hit the cache cost nothing, priced or not", () => {
    const tracker = new UsageTracker();
    tracker.add("openai-compatible:local", "extract", { calls: 4, cacheHits: 4 });
    expect(tracker.report().total.costUsd).toBe(0);
    expect(tracker.report().notes).toEqual([]);
  });
});
