import {
  type EstimateReport,
  type ExtractionStats,
  ExtractionStatsSchema,
  type UsageReport,
  UsageReportSchema,
} from "@profilekit/llm";
import { describe, expect, it } from "vitest";
import { formatEstimate, formatExtraction, formatSkippedFactors, formatUsage } from "./usage-summary.js";

const totals = (calls: number, costUsd: number | null) => ({
  calls,
  requests: calls,
  cacheHits: 0,
  merged: 0,
  retries: 0,
  failures: 0,
  invalidOutputs: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  costUsd,
});

describe("formatUsage", () => {
  it("sums up the calls per stage, requests, cache hits, failures, tokens and cost, then the notes", () => {
    const report: UsageReport = UsageReportSchema.parse({
      pricesAsOf: "2025-11-01",
      total: {
        ...totals(1234, 0.0042),
        requests: 1200,
        cacheHits: 34,
        failures: 2,
        inputTokens: 1_234_567,
        outputTokens: 8901,
      },
      byModel: [],
      byStage: [
        { stage: "extract", ...totals(1000, 0.003) },
        { stage: "judge", ...totals(234, 0.0012) },
      ],
      notes: ["openai:x has no price"],
    });
    expect(formatUsage(report)).toBe(
      "model calls: 1,234 (extract 1,000, judge 234); 1,200 requests, 34 from the cache, 2 failed; " +
        "tokens 1,234,567 in / 8,901 out; cost $0.0042 (prices as of 2025-11-01)\nopenai:x has no price",
    );
  });

  it("gives a cost of a cent or more to the cent, and an unknown one as unknown", () => {
    const report = (costUsd: number | null): UsageReport =>
      UsageReportSchema.parse({
        pricesAsOf: "2025-11-01",
        total: totals(2, costUsd),
        byModel: [],
        byStage: [],
        notes: [],
      });
    expect(formatUsage(report(3.5))).toBe(
      "model calls: 2; 2 requests, 0 from the cache, 0 failed; tokens 0 in / 0 out; cost $3.50 (prices as of 2025-11-01)",
    );
    expect(formatUsage(report(null))).toContain("; cost unknown (prices as of 2025-11-01)");
  });
});

describe("formatEstimate", () => {
  it("says what a dry run would ask of the model and what it would cost", () => {
    const estimate: EstimateReport = {
      model: "openai:gpt-4o-mini",
      requests: 20,
      calls: 15,
      cached: 5,
      inputTokens: 3000,
      outputTokens: 150,
      costUsd: 0.25,
      batchCostUsd: 0.125,
      pricesAsOf: "2025-11-01",
      notes: ["tokens are estimated"],
    };
    expect(formatEstimate("dry run: 10 pairs x 2 model factors", estimate)).toBe(
      "dry run: 10 pairs x 2 model factors: 20 calls to openai:gpt-4o-mini, 5 already in the cache, 15 to make: " +
        "about 3,000 input and 150 output tokens, about $0.25, $0.13 through the batch API (prices as of 2025-11-01)\ntokens are estimated",
    );
    expect(formatEstimate("x", { ...estimate, costUsd: null, batchCostUsd: null, notes: [] })).toMatch(
      /tokens, cost unknown \(prices as of 2025-11-01\)$/,
    );
  });
});

describe("formatExtraction", () => {
  const stats = (fields: Partial<ExtractionStats>): ExtractionStats =>
    ExtractionStatsSchema.parse({
      mode: "joint",
      bothOrders: true,
      readings: 1,
      templates: { joint: "j@1", single: "s@1", factLedger: "f@1", checklist: "c@1" },
      calls: 12,
      responseReadings: 12,
      checklists: 0,
      reasks: 0,
      recoveredParts: 0,
      cacheHits: 4,
      failures: 1,
      invalidOutputs: 0,
      inconsistentAnswers: 0,
      consistency: { countMismatches: 0, repeatedFacts: 0 },
      sourcesCut: { maxChars: 24000, count: 0, charsRemoved: 0 },
      factors: {},
      ...fields,
    });

  it("gives calls, cache hits and failures, and the position consistency of factors asked in both orders", () => {
    expect(
      formatExtraction(
        stats({
          factors: {
            fluency: { pairs: 6, missing: 0, positionConsistency: null },
            "intent-alignment": {
              pairs: 6,
              missing: 0,
              positionConsistency: { pairs: 6, consistent: 5, rate: 5 / 6 },
            },
            coherence: { pairs: 6, missing: 0, positionConsistency: { pairs: 6, consistent: 6, rate: 1 } },
          },
        }),
      ),
    ).toBe(
      "extraction (joint, both orders): 12 calls, 4 from the cache, 1 failed\n" +
        "position consistency: intent-alignment 83%, coherence 100%",
    );
  });

  it("says how many sources were cut to the budget", () => {
    expect(
      formatExtraction(
        stats({
          mode: "per-factor",
          bothOrders: false,
          sourcesCut: { maxChars: 800, count: 3, charsRemoved: 90 },
        }),
      ),
    ).toBe("extraction (per-factor): 12 calls, 4 from the cache, 1 failed; 3 sources cut to 800 chars");
  });
});

describe("formatSkippedFactors", () => {
  it("names the factors left out and how to measure them, or says nothing", () => {
    expect(formatSkippedFactors([])).toBe("");
    const line = formatSkippedFactors(["fluency", "helpfulness"]);
    expect(line).toMatch(
      /^skipping fluency, helpfulness: measured by a language model, and none is configured\. /,
    );
    expect(line).toContain("--extractor openai:gpt-4o-mini");
    expect(line.endsWith("\n")).toBe(true);
  });
});
