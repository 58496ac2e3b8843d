import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import { type MockServer, startMockServer } from "../testing/index.js";
import { importBatchFile } from "./collect.js";
import { BatchQueue } from "./queue.js";
import { exportBatchFile } from "./submit.js";

// --batch export and `batch import`: the round written as an OpenAI batch input file (what vllm
// run-batch reads), run-batch simulated here by sending each line's body to the mock server's
// chat completions, and its output, in both line shapes vLLM versions write, loaded back.

let dir: string;
let server: MockServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "pk-batch-file-"));
  server = await startMockServer({ handler: createFakeModel({ measure: () => 4 }) });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const schema = z.object({ rating: z.number().int().min(1).max(5) });
const CALLS = 6;

function client(cache: string, batch?: BatchQueue) {
  return createModelClient({
    model: createLanguageModel("openai-compatible:qwen3-8b", { baseURL: server.openaiBaseURL }),
    cache: { path: cache },
    ...(batch ? { batch } : {}),
  });
}

async function askAll(cache: string, batch?: BatchQueue) {
  const c = client(cache, batch);
  const results = await Promise.all(
    Array.from({ length: CALLS }, (_, i) =>
      c.generateObject({
        schema,
        schemaName: "fluency",
        messages: [{ role: "user", content: `<response>\nResponse ${i}.\n</response>\nRate its fluency.` }],
        promptVersion: "fluency@1",
        stage: "extract",
        temperature: 0,
      }),
    ),
  );
  await c.close();
  return results;
}

/** What vllm run-batch would write for an input file: each body answered by the chat completions API. */
async function runBatch(input: string): Promise<{ customId: string; completion: unknown }[]> {
  const lines = readFileSync(input, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  return Promise.all(
    lines.map(async (line) => {
      expect(line).toMatchObject({ method: "POST", url: "/v1/chat/completions" });
      const response = await fetch(`${server.url}${line.url}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(line.body),
      });
      return { customId: line.custom_id as string, completion: await response.json() };
    }),
  );
}

describe("vLLM batch files", () => {
  it("exports the round for run-batch and imports its output in both shapes, checked and cached once", async () => {
    const cache = join(dir, "cache.db");
    const queue = new BatchQueue({ cache, mode: "export" });
    const round = await askAll(cache, queue);
    // No canary in export mode: every call is written to the file, none is sent.
    expect(round.every((result) => !result.ok && result.code === "deferred")).toBe(true);
    expect(server.stats.requests).toBe(0);
    const input = join(dir, "batch.jsonl");
    const submission = await exportBatchFile(queue, input);
    queue.close();
    expect(submission.batches).toMatchObject([{ kind: "file", batchId: input, requests: CALLS }]);

    const answers = await runBatch(input);
    server.reset();
    const [errored, ...good] = answers;
    const output = [
      // vLLM's newer shape, the older shape (the completion itself), and an error line.
      ...good.slice(0, 3).map(({ customId, completion }) =>
        JSON.stringify({
          id: `vllm-${customId}`,
          custom_id: customId,
          response: { status_code: 200, request_id: "r", body: completion },
          error: null,
        }),
      ),
      ...good
        .slice(3)
        .map(({ customId, completion }) =>
          JSON.stringify({ id: `vllm-${customId}`, custom_id: customId, response: completion, error: null }),
        ),
      JSON.stringify({
        id: "vllm-err",
        custom_id: errored!.customId,
        response: { status_code: 400, request_id: "r", body: null },
        error: "prompt too long",
      }),
      JSON.stringify({ id: "vllm-other", custom_id: "not-from-this-cache", response: null, error: "x" }),
    ];
    const out = join(dir, "out.jsonl");
    writeFileSync(out, `${output.join("\n")}\n`);
    const imported = await importBatchFile(out, { cache });
    expect(imported.settled).toEqual({
      answered: CALLS - 1,
      invalid: 0,
      errored: 1,
      requeued: 0,
      unknown: 1,
    });
    // Importing again changes nothing.
    expect((await importBatchFile(out, { cache })).settled).toMatchObject({
      answered: 0,
      errored: 0,
      unknown: 1,
    });

    // The run after it: the imported answers from the cache, the errored call asked synchronously.
    const rerun = await askAll(cache);
    expect(rerun.filter((result) => result.ok && result.cached)).toHaveLength(CALLS - 1);
    expect(server.stats.requests).toBe(1);
    expect(rerun.every((result) => result.ok && result.value.rating === 4)).toBe(true);
  });

  it("refuses a file that is not batch output, naming the line", async () => {
    const out = join(dir, "out.jsonl");
    writeFileSync(
      out,
      '{"custom_id":"a","response":null,"error":"x"}\n{"method":"POST","url":"/v1/chat/completions"}\n',
    );
    await expect(importBatchFile(out, { cache: join(dir, "cache.db") })).rejects.toMatchObject({
      code: "invalid_batch_file",
      location: { file: out, line: 2 },
    });
    await expect(
      importBatchFile(join(dir, "missing.jsonl"), { cache: join(dir, "cache.db") }),
    ).rejects.toMatchObject({
      code: "file_not_found",
    });
  });
});
