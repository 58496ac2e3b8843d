import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BatchRequest,
  type LanguageModel,
  type ModelBatchApi,
  specificationVersion,
} from "@profilekit/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createModelClient } from "../client.js";
import { openaiWire } from "../providers/openai-wire.js";
import { BatchJournal } from "./journal.js";
import { BatchQueue } from "./queue.js";
import { submitBatchRound } from "./submit.js";

// Splitting a round under a provider's limits, and what the journal says when an upload fails,
// with an in-memory batch API (no server: these are about the submit side alone).

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-submit-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A model whose batch API keeps what it is sent; `failOn`: the submit (from 1) that fails. */
function fakeModel(limits: ModelBatchApi["limits"], failOn?: number) {
  const sent: BatchRequest[][] = [];
  const batch: ModelBatchApi = {
    limits,
    async submit(requests) {
      if (sent.length + 1 === failOn) throw new Error("connection reset during the upload");
      sent.push([...requests]);
      return {
        id: `fake-${sent.length}`,
        phase: "validating",
        counts: { total: requests.length, finished: 0 },
        createdAt: new Date(0).toISOString(),
      };
    },
    retrieve: async () => {
      throw new Error("not used");
    },
    results: () => {
      throw new Error("not used");
    },
    cancel: async () => {
      throw new Error("not used");
    },
  };
  const wire = openaiWire({ modelId: "m", structuredOutput: "text", compatible: true });
  const model: LanguageModel = {
    specificationVersion,
    provider: "openai-compatible",
    modelId: "m",
    baseURL: "http://127.0.0.1:9/v1",
    structuredOutput: "text",
    generate: async () => ({
      text: "canary answer",
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: "stop",
    }),
    wire,
    batch,
  };
  return { model, sent };
}

/** `count` text calls through a client on the queue: one canary answered, the rest queued. */
async function queueCalls(model: LanguageModel, queue: BatchQueue, count: number, length = 10) {
  const client = createModelClient({ model, cache: { path: queue.cachePath! }, batch: queue });
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      client.generateText({
        messages: [{ role: "user", content: `${i} ${"x".repeat(length)}` }],
        promptVersion: "p@1",
        stage: "generate",
      }),
    ),
  );
  await client.close();
}

describe("submitting a round", () => {
  it("splits the calls into batches within the limits less 5%, each request under its cache key", async () => {
    const { model, sent } = fakeModel({ maxRequests: 10, maxBytes: 1_000_000 });
    const queue = new BatchQueue({ cache: join(dir, "cache.db"), mode: "submit" });
    await queueCalls(model, queue, 21);
    const submission = await submitBatchRound(queue);
    // 20 queued (one canary): batches of at most floor(10 x 0.95) = 9.
    expect(sent.map((batch) => batch.length)).toEqual([9, 9, 2]);
    expect(submission.batches.map((batch) => batch.requests)).toEqual([9, 9, 2]);
    expect(new Set(sent.flat().map((request) => request.customId))).toEqual(new Set(queue.calls.keys()));
    queue.close();

    // A byte limit splits too; a single request above it is refused before anything is sent.
    const bytes = fakeModel({ maxRequests: 1000, maxBytes: 2000 });
    const byBytes = new BatchQueue({ cache: join(dir, "bytes.db"), mode: "submit" });
    await queueCalls(bytes.model, byBytes, 11, 500);
    await submitBatchRound(byBytes);
    expect(bytes.sent.length).toBeGreaterThan(1);
    for (const batch of bytes.sent) {
      const size = batch.reduce((sum, request) => sum + JSON.stringify(request.request.body).length, 0);
      expect(size).toBeLessThan(2000 * 0.95);
    }
    byBytes.close();
    const huge = fakeModel({ maxRequests: 1000, maxBytes: 2000 });
    const tooLarge = new BatchQueue({ cache: join(dir, "huge.db"), mode: "submit" });
    await queueCalls(huge.model, tooLarge, 3, 5000);
    await expect(submitBatchRound(tooLarge)).rejects.toMatchObject({ code: "batch_too_large" });
    expect(huge.sent).toEqual([]);
    tooLarge.close();
  });

  it("an upload that fails leaves its calls unsent (the next run sends them), the batches before it out", async () => {
    const { model } = fakeModel({ maxRequests: 4, maxBytes: 1_000_000 }, 2);
    const cache = join(dir, "cache.db");
    const queue = new BatchQueue({ cache, mode: "submit" });
    await queueCalls(model, queue, 7);
    const keys = [...queue.calls.keys()];
    await expect(submitBatchRound(queue)).rejects.toThrow("connection reset");
    queue.close();
    const journal = new BatchJournal(cache);
    // floor(4 x 0.95) = 3 per batch: the first three are out, the next three were not sent.
    expect(keys.map((key) => journal.status(key))).toEqual([
      "waiting",
      "waiting",
      "waiting",
      "unsent",
      "unsent",
      "unsent",
    ]);
    expect(journal.jobs().map((job) => job.state)).toEqual(["interrupted", "submitted"]);
    journal.close();
    // The next round sends only the calls not out: one as its canary, the others queued.
    const next = new BatchQueue({ cache, mode: "submit" });
    await queueCalls(model, next, 7);
    const canaries = next.canaries.map((canary) => canary.key);
    expect([...canaries, ...next.calls.keys()].sort()).toEqual(keys.slice(3).sort());
    expect(next.waiting.size).toBe(3);
    next.close();
  });

  it("needs the cache, and a model with a batch API", () => {
    const { model } = fakeModel({ maxRequests: 4, maxBytes: 1000 });
    const queue = new BatchQueue({ cache: join(dir, "cache.db"), mode: "submit" });
    expect(() => createModelClient({ model, cache: false, batch: queue })).toThrow(
      expect.objectContaining({ code: "batch_needs_cache" }),
    );
    const { batch: _none, ...withoutBatch } = model;
    expect(() =>
      createModelClient({ model: withoutBatch, cache: { path: join(dir, "c.db") }, batch: queue }),
    ).toThrow(expect.objectContaining({ code: "batch_unsupported" }));
    // Export needs only the wire format.
    const exporting = new BatchQueue({ cache: join(dir, "cache.db"), mode: "export" });
    expect(() =>
      createModelClient({ model: withoutBatch, cache: { path: join(dir, "c.db") }, batch: exporting }),
    ).not.toThrow();
    queue.close();
    exporting.close();
  });
});
