import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { toFile } from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { createFakeModel } from "./fake-model.js";
import { type MockServer, startMockServer } from "./mock-server.js";

// The mock's batch APIs through the official SDKs: as strict as the real ones, answering as they do.

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = "sk-mock-batches-0123456789";
const body = (i: number, model = "gpt-4o-mini") => ({
  model,
  messages: [{ role: "user", content: `Write a sentence about item ${i}.` }],
});
const line = (id: string, request: unknown) =>
  JSON.stringify({ custom_id: id, method: "POST", url: "/v1/chat/completions", body: request });

async function openai(): Promise<OpenAI> {
  server = await startMockServer({ handler: createFakeModel(), batches: { pollsToEnd: 1 } });
  return new OpenAI({ apiKey: KEY, baseURL: server.openaiBaseURL, maxRetries: 0 });
}

async function upload(client: OpenAI, lines: readonly string[]) {
  const file = await client.files.create({
    file: await toFile(Buffer.from(`${lines.join("\n")}\n`), "batch.jsonl"),
    purpose: "batch",
  });
  return client.batches.create({
    input_file_id: file.id,
    endpoint: "/v1/chat/completions",
    completion_window: "24h",
  });
}

const linesOf = async (client: OpenAI, id: string | null | undefined) =>
  id
    ? (await (await client.files.content(id)).text())
        .trim()
        .split("\n")
        .map((text) => JSON.parse(text))
    : [];

describe("the mock OpenAI Batch API", () => {
  it("validates the file: a line that is not a request, a repeated custom_id and a second model fail the batch", async () => {
    const client = await openai();
    const batch = await upload(client, [
      line("a", body(1)),
      '{"custom_id":"b","method":"GET","url":"/v1/chat/completions","body":{}}',
      line("a", body(2)),
      line("c", body(3, "gpt-4o")),
    ]);
    const failed = await client.batches.retrieve(batch.id);
    expect(failed.status).toBe("failed");
    expect(failed.errors?.data?.map((error) => [error.code, error.line ?? null])).toEqual([
      ["invalid_json_line", 2],
      ["duplicate_custom_id", 3],
      ["mismatched_model", null],
    ]);
    await expect(
      client.files.create({
        file: await toFile(Buffer.from(line("a", body(1))), "x.jsonl"),
        purpose: "assistants",
      }),
    ).rejects.toMatchObject({ status: 400 });
  });

  it("runs a batch once it is polled: a refused body in the error file, the rest answered with usage, shuffled", async () => {
    const client = await openai();
    const lines = Array.from({ length: 8 }, (_, i) => line(`item-${i}`, body(i)));
    lines[3] = line("item-3", { ...body(3), temperature: 3 }); // out of range, as OpenAI refuses it: a 400
    const batch = await upload(client, lines);
    expect(batch.status).toBe("validating");
    expect((await client.batches.retrieve(batch.id)).status).toBe("in_progress");
    const ended = await client.batches.retrieve(batch.id);
    expect(ended).toMatchObject({
      status: "completed",
      request_counts: { total: 8, completed: 7, failed: 1 },
    });
    const output = await linesOf(client, ended.output_file_id);
    const errors = await linesOf(client, ended.error_file_id);
    expect(errors).toMatchObject([{ custom_id: "item-3", response: { status_code: 400 } }]);
    const ids = output.map((entry) => entry.custom_id);
    expect([...ids].sort()).toEqual(["item-0", "item-1", "item-2", "item-4", "item-5", "item-6", "item-7"]);
    expect(ids).not.toEqual([...ids].sort()); // not in input order
    // The batch's usage is the sum of its answers' usage, as OpenAI reports it.
    const input = output.reduce((sum, entry) => sum + entry.response.body.usage.prompt_tokens, 0);
    expect(ended.usage?.input_tokens).toBe(input);
    expect(server!.stats.requests).toBe(0);
  });

  it("cancels: requests not yet run come back cancelled", async () => {
    const client = await openai();
    const batch = await upload(client, [line("a", body(1)), line("b", body(2))]);
    expect((await client.batches.cancel(batch.id)).status).toBe("cancelling");
    const ended = await client.batches.retrieve(batch.id);
    expect(ended.status).toBe("cancelled");
    expect((await linesOf(client, ended.error_file_id)).map((entry) => entry.error.code)).toEqual([
      "batch_cancelled",
      "batch_cancelled",
    ]);
  });
});

describe("the mock Anthropic Message Batches API", () => {
  const params = (i: number) => ({
    model: "claude-haiku-4-5",
    max_tokens: 100,
    messages: [{ role: "user" as const, content: `Item ${i}.` }],
  });

  async function anthropic(): Promise<Anthropic> {
    server = await startMockServer({ handler: createFakeModel(), batches: { pollsToEnd: 1 } });
    return new Anthropic({ apiKey: KEY, baseURL: server.anthropicBaseURL, maxRetries: 0 });
  }

  it("refuses a malformed batch at once, and a bad request's parameters only when the batch ends", async () => {
    const client = await anthropic();
    await expect(
      client.messages.batches.create({ requests: [{ custom_id: "has space", params: params(1) }] }),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      client.messages.batches.create({
        requests: [
          { custom_id: "a", params: params(1) },
          { custom_id: "a", params: params(2) },
        ],
      }),
    ).rejects.toMatchObject({ status: 400 });
    const { max_tokens: _dropped, ...withoutMaxTokens } = params(2);
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: "good", params: params(1) },
        { custom_id: "bad", params: withoutMaxTokens as never },
      ],
    });
    expect(batch).toMatchObject({
      processing_status: "in_progress",
      request_counts: { processing: 2 },
      results_url: null,
    });
    await client.messages.batches.retrieve(batch.id);
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended).toMatchObject({ processing_status: "ended", request_counts: { succeeded: 1, errored: 1 } });
    const results = [];
    for await (const result of await client.messages.batches.results(batch.id)) results.push(result);
    const byId = Object.fromEntries(results.map((result) => [result.custom_id, result.result]));
    expect(byId.good).toMatchObject({
      type: "succeeded",
      message: { type: "message", usage: { input_tokens: expect.any(Number) } },
    });
    expect(byId.bad).toMatchObject({ type: "errored", error: { error: { type: "invalid_request_error" } } });
  });

  it("cancels: requests not yet run come back canceled", async () => {
    const client = await anthropic();
    const batch = await client.messages.batches.create({ requests: [{ custom_id: "a", params: params(1) }] });
    expect((await client.messages.batches.cancel(batch.id)).processing_status).toBe("canceling");
    expect((await client.messages.batches.retrieve(batch.id)).request_counts.canceled).toBe(1);
    const results = [];
    for await (const result of await client.messages.batches.results(batch.id))
      results.push(result.result.type);
    expect(results).toEqual(["canceled"]);
  });
});
