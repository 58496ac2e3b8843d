import { BatchReportSchema } from "@profilekit/llm";
import { type BatchRound, BatchRoundSchema } from "@profilekit/runner";
import { describe, expect, it } from "vitest";
import { renderBatchReport, renderBatchRound } from "./batch-summary.js";

const synchronous = {
  calls: 2,
  requests: 2,
  cacheHits: 0,
  merged: 0,
  retries: 0,
  failures: 0,
  invalidOutputs: 0,
  inputTokens: 1000,
  outputTokens: 20,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  costUsd: 0.0012,
};

function round(
  overrides: Partial<BatchRound["submission"]> = {},
  roundsAfter: number | null = 2,
): BatchRound {
  return BatchRoundSchema.parse({
    command: "judge",
    roundsAfter,
    synchronous,
    runFolder: "runs/pairs-judge",
    submission: {
      mode: "submit",
      cache: "/tmp/cache dir/cache.db",
      batches: [
        {
          job: "j1",
          batchId: "batch_1",
          kind: "provider",
          model: "openai:gpt-4o-mini",
          requests: 40000,
          bytes: 3 * 1024 * 1024,
          createdAt: "2026-01-01T00:00:00.000Z",
          expiresAt: "2026-01-02T00:00:00.000Z",
        },
        {
          job: "j2",
          batchId: "batch_2",
          kind: "provider",
          model: "openai:gpt-4o-mini",
          requests: 2000,
          bytes: 2048,
          createdAt: "2026-01-01T00:00:00.000Z",
        },
      ],
      waiting: 0,
      canaries: 2,
      asked: 0,
      estimate: { inputTokens: 1, outputTokens: 1, batchCostUsd: 4.5, standardCostUsd: 9 },
      ...overrides,
    },
  });
}

describe("renderBatchRound", () => {
  it("says what went out, at what cost, what is left, and what to run next", () => {
    const text = renderBatchRound(round());
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "judge: 42,000 calls submitted in 2 batches, about $4.50 at the batch rate ($9.00 synchronously)",
    );
    expect(text).toMatch(/batch_1 +openai:gpt-4o-mini +40,000 +3\.0 MB +2026-01-02/);
    expect(text).toMatch(/batch_2 +openai:gpt-4o-mini +2,000 +2 kB/);
    expect(text).toContain("2 canary calls made synchronously first ($0.0012).");
    expect(text).toContain("2 more rounds of dependent calls after this one");
    expect(text).toContain('profilekit batch collect --cache-path "/tmp/cache dir/cache.db"');
    expect(text).toContain("runs/pairs-judge/batches.jsonl");
  });

  it("a last round, one with nothing new, and an export", () => {
    expect(renderBatchRound(round({}, 0))).toContain("This is the last round");
    expect(renderBatchRound(round({}, null))).toContain("Rounds after this one: unknown");
    const waiting = renderBatchRound(round({ batches: [], waiting: 7, canaries: 0 }));
    expect(waiting.split("\n")[0]).toBe("judge: nothing new to submit");
    expect(waiting).toContain("7 calls already out in open batches.");
    const exported = renderBatchRound(
      round({
        mode: "export",
        batches: [
          {
            job: "j",
            batchId: "/data/batch.jsonl",
            kind: "file",
            model: "openai-compatible:Qwen/Qwen3-8B",
            requests: 12,
            bytes: 10,
            createdAt: "2026-01-01T00:00:00.000Z",
          },
        ],
      }),
    );
    expect(exported).toContain("judge: 12 calls written for vllm run-batch");
    expect(exported).toContain("vllm run-batch -i /data/batch.jsonl -o out.jsonl --model Qwen/Qwen3-8B");
    expect(exported).toContain("profilekit batch import out.jsonl");
  });
});

describe("renderBatchReport", () => {
  it("a table of batches with their items, then what was collected", () => {
    const job = {
      job: "j1",
      kind: "provider",
      provider: "anthropic",
      model: "anthropic:claude-haiku-4-5",
      baseURL: null,
      structuredOutput: "tool",
      batchId: "msgbatch_1",
      state: "collected",
      requests: 10,
      bytes: 100,
      runFolder: null,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      providerState: {
        phase: "ended",
        outcome: "completed",
        counts: { total: 10, finished: 10 },
        createdAt: "2026-01-01T00:00:00.000Z",
      },
      items: { answered: 6, errored: 1, invalid: 1, expired: 1, lost: 1 },
      usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
      costUsd: 0.5,
    };
    const running = {
      ...job,
      job: "j2",
      batchId: "msgbatch_2",
      state: "submitted",
      providerState: { ...job.providerState, phase: "in_progress" },
      items: { submitted: 3 },
      costUsd: 0,
    };
    const text = renderBatchReport(
      BatchReportSchema.parse({
        action: "collect",
        cache: "c.db",
        jobs: [job, running],
        settled: { answered: 6, invalid: 1, errored: 1, requeued: 2, unknown: 0 },
        running: 1,
      }),
    );
    expect(text).toMatch(/msgbatch_1 +anthropic:claude-haiku-4-5 +collected +10 +6 +2 +2 +\$0\.50/);
    expect(text).toMatch(/msgbatch_2 .* in progress +10 +0 +0 +0 +\$0\.00/);
    expect(text).toContain("collected: 6 answered and cached, 1 invalid, 1 errored");
    expect(text).toContain("2 requeued");
    expect(text).toContain("1 batch still running: collect again later.");
  });
});
