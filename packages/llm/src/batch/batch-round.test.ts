import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { type CallOptions, createModelClient, type GenerateObjectOptions } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import { type MockBatchOptions, type MockServer, startMockServer } from "../testing/index.js";
import { cancelBatches, collectBatches, listBatches, refreshBatches } from "./collect.js";
import { BatchJournal } from "./journal.js";
import { BatchQueue } from "./queue.js";
import { submitBatchRound } from "./submit.js";

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-batch-round-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const KEY = "sk-batch-test-0123456789";
const rating = z.object({ rating: z.number().int().min(1).max(5) });

/** Structured calls the fake model answers from the text (`fluency=<n>` sets the rating). */
function ratingCall(i: number): GenerateObjectOptions<typeof rating> {
  return {
    schema: rating,
    schemaName: "fluency",
    messages: [
      { role: "system", content: "Rate the fluency of the response from 1 to 5." },
      { role: "user", content: `<response>\nResponse number ${i}. fluency=${(i % 5) + 1}\n</response>` },
    ],
    promptVersion: "fluency@1",
    stage: "extract",
    temperature: 0,
  };
}

function textCall(i: number): CallOptions {
  return {
    messages: [{ role: "user", content: `Write two sentences about topic ${i}.` }],
    promptVersion: "writer@1",
    stage: "generate",
    sampleIndex: i,
  };
}

const RATINGS = 6;
const TEXTS = 3;

async function serve(batches: MockBatchOptions = {}): Promise<MockServer> {
  server = await startMockServer({
    handler: createFakeModel({ measure: (_key, text) => Number(/fluency=(\d)/.exec(text)?.[1] ?? 3) }),
    batches,
  });
  return server;
}

function client(provider: "openai" | "anthropic", cache: string, batch?: BatchQueue) {
  const id = provider === "openai" ? "openai:gpt-4o-mini" : "anthropic:claude-haiku-4-5";
  const baseURL = provider === "openai" ? server!.openaiBaseURL : server!.anthropicBaseURL;
  return createModelClient({
    model: createLanguageModel(id, { baseURL, apiKey: KEY }),
    cache: { path: cache },
    ...(batch ? { batch } : {}),
  });
}

/** Every call once: the answers (or how each ended), in order. */
async function ask(provider: "openai" | "anthropic", cache: string, batch?: BatchQueue) {
  const c = client(provider, cache, batch);
  try {
    const results = await Promise.all([
      ...Array.from({ length: RATINGS }, (_, i) => c.generateObject(ratingCall(i))),
      ...Array.from({ length: TEXTS }, (_, i) => c.generateText(textCall(i))),
    ]);
    return results.map((result) =>
      result.ok ? { value: result.value, cached: result.cached } : { code: result.code },
    );
  } finally {
    await c.close();
  }
}

describe.each(["openai", "anthropic"] as const)("a batch round through %s's batch API", (provider) => {
  it("defers all but one canary per schema, submits the rest, and collects answers a re-run reads with no call", async () => {
    await serve();
    const reference = await ask(provider, join(dir, "sync.db"));
    expect(server!.stats.requests).toBe(RATINGS + TEXTS);
    server!.reset();

    const cache = join(dir, "batch.db");
    const queue = new BatchQueue({ cache, mode: "submit" });
    const round = await ask(provider, cache, queue);
    // One canary per model, prompt version and schema: the first rating and the first text.
    expect(server!.stats.requests).toBe(2);
    expect(round.filter((entry) => "code" in entry)).toHaveLength(RATINGS + TEXTS - 2);
    expect(round.every((entry) => !("code" in entry) || entry.code === "deferred")).toBe(true);
    const submission = await submitBatchRound(queue);
    queue.close();
    expect(submission).toMatchObject({ mode: "submit", canaries: 2, waiting: 0, asked: 0 });
    expect(submission.batches).toHaveLength(1);
    expect(submission.batches[0]!.requests).toBe(RATINGS + TEXTS - 2);
    expect(submission.estimate.batchCostUsd).toBeCloseTo(submission.estimate.standardCostUsd! / 2, 12);

    // The batch is still running at the first look: nothing is collected yet.
    const early = await collectBatches({ cache, env: { [`${provider.toUpperCase()}_API_KEY`]: KEY } });
    expect(early).toMatchObject({ running: 1, settled: { answered: 0 } });
    const collected = await collectBatches({ cache, env: { [`${provider.toUpperCase()}_API_KEY`]: KEY } });
    expect(collected).toMatchObject({
      running: 0,
      settled: { answered: RATINGS + TEXTS - 2, errored: 0, requeued: 0 },
    });
    expect(server!.stats.requests).toBe(2); // the batch's answers came through the batch API only
    expect(server!.batches.stats).toMatchObject({ created: 1, answered: RATINGS + TEXTS - 2 });

    // The same calls again, without batch mode: all from the cache, the same answers as the synchronous run.
    const rerun = await ask(provider, cache);
    expect(server!.stats.requests).toBe(2);
    expect(rerun.map((entry) => ("value" in entry ? entry.value : entry))).toEqual(
      reference.map((entry) => ("value" in entry ? entry.value : entry)),
    );
    expect(rerun.every((entry) => "cached" in entry && entry.cached)).toBe(true);

    // Collecting again changes nothing and counts nothing twice.
    const again = await collectBatches({ cache, env: { [`${provider.toUpperCase()}_API_KEY`]: KEY } });
    expect(again.settled).toEqual({ answered: 0, invalid: 0, errored: 0, requeued: 0, unknown: 0 });
    const [job] = (await listBatches({ cache })).jobs;
    expect(job).toMatchObject({ state: "collected", items: { answered: RATINGS + TEXTS - 2 } });
    // The usage the provider reported for the answers, each counted once, priced at the batch rate.
    const sum = server!.batches.items.reduce((total, item) => total + (item.request ? 1 : 0), 0);
    expect(sum).toBe(RATINGS + TEXTS - 2);
    expect(job!.usage.inputTokens).toBeGreaterThan(0);
  });

  it("cancels an open batch: collect requeues its requests, and the next round sends them again", async () => {
    await serve({ pollsToEnd: 5 });
    const cache = join(dir, "batch.db");
    const env = { [`${provider.toUpperCase()}_API_KEY`]: KEY };
    const queue = new BatchQueue({ cache, mode: "submit" });
    await ask(provider, cache, queue);
    const keys = [...queue.calls.keys()];
    const { batches } = await submitBatchRound(queue);
    queue.close();
    const status = await refreshBatches({ cache, env });
    expect(status.jobs[0]!.providerState).toMatchObject({
      phase: "in_progress",
      counts: { total: keys.length },
    });
    // Cancelling another batch id is an error naming it; cancelling ours asks the provider.
    await expect(cancelBatches({ cache, env, ids: ["batch-that-is-not-here"] })).rejects.toMatchObject({
      code: "unknown_batch",
    });
    await cancelBatches({ cache, env, ids: [batches[0]!.batchId] });
    const collected = await collectBatches({ cache, env });
    expect(collected.settled).toMatchObject({ answered: 0, requeued: keys.length });
    expect(collected.jobs[0]).toMatchObject({ state: "collected", items: { cancelled: keys.length } });
    const next = new BatchQueue({ cache, mode: "submit" });
    await ask(provider, cache, next);
    // Every cancelled call goes out again: as this round's canaries, or queued.
    const sent = [...next.calls.keys(), ...next.canaries.map((canary) => canary.key)];
    expect(sent.sort()).toEqual([...keys].sort());
    next.close();
  });

  it("requeues expired items, answers errored and invalid ones synchronously next round, and loses nothing", async () => {
    const fake = createFakeModel({ measure: (_key, text) => Number(/fluency=(\d)/.exec(text)?.[1] ?? 3) });
    server = await startMockServer({
      // Rating 5's answer is invalid (a rating of 9): the batch returns whatever the handler says.
      handler: (request) =>
        request.messages.some((message) => message.content.includes("number 5."))
          ? { json: { rating: 9 } }
          : fake(request),
      batches: {
        outcome: ({ customId, attempt }) =>
          attempt > 0
            ? "answer"
            : expiring.includes(customId)
              ? "expire"
              : customId === erroring
                ? "error"
                : "answer",
      },
    });
    const cache = join(dir, "batch.db");
    const env = { [`${provider.toUpperCase()}_API_KEY`]: KEY };
    const queue = new BatchQueue({ cache, mode: "submit" });
    await ask(provider, cache, queue);
    // Rating 0 was the canary; ratings 1..5 and the texts 1..2 are queued, in that order.
    const keys = [...queue.calls.keys()];
    const expiring = [keys[0]!, keys[2]!];
    const erroring = keys[1]!;
    await submitBatchRound(queue);
    queue.close();
    await collectBatches({ cache, env });
    const first = await collectBatches({ cache, env });
    // One invalid answer (rating 9), one provider error, two expired; the rest answered.
    expect(first.settled).toEqual({
      answered: keys.length - 4,
      invalid: 1,
      errored: 1,
      requeued: 2,
      unknown: 0,
    });

    // Round two: the errored and invalid calls are asked synchronously (with the synchronous
    // path's re-ask); of the expired ones, the first is this round's canary, the other goes out again.
    const before = server.stats.requests;
    const second = new BatchQueue({ cache, mode: "submit" });
    const results = await ask(provider, cache, second);
    expect([...second.calls.keys()]).toEqual([expiring[1]]);
    expect(second.asked.size).toBe(2);
    expect(second.canaries.map((canary) => canary.key)).toEqual([expiring[0]]);
    expect(server.stats.requests - before).toBe(2 + 1 + 1); // the errored one, the invalid one and its re-ask, the canary
    // The invalid one stays invalid after its re-ask, as it would in a synchronous run.
    expect(results.flatMap((entry) => ("code" in entry ? [entry.code] : []))).toEqual([
      "deferred",
      "invalid_output",
    ]);
    await submitBatchRound(second);
    second.close();
    await collectBatches({ cache, env });
    expect((await collectBatches({ cache, env })).settled).toMatchObject({ answered: 1, requeued: 0 });

    // Every call but the invalid one has its answer cached: a run asks only that one (and re-asks it).
    const sent = server.stats.requests;
    const final = await ask(provider, cache);
    expect(server.stats.requests - sent).toBe(2);
    expect(final.filter((entry) => "cached" in entry && entry.cached)).toHaveLength(RATINGS + TEXTS - 1);
    const journal = new BatchJournal(cache);
    expect(journal.status(expiring[1]!)).toBe("tried");
    expect(journal.status(erroring)).toBe("tried");
    journal.close();
  });
});
