import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient } from "./client.js";
import { createLanguageModel } from "./providers/registry.js";
import { type MockServer, startMockServer } from "./testing/mock-server.js";

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-prompt-cache-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const KEY = "sk-prompt-cache-0123456789";
const schema = z.object({ score: z.number().int().min(1).max(5) });
/** A long source shared by six pairs: about 2,000 tokens. */
const SOURCE = Array.from({ length: 400 }, (_, i) => `Sentence ${i} of the shared source document.`).join(
  " ",
);

/** The layout the extraction developer uses: instructions, then the source (the shared prefix), then the pair. */
function pairCall(pair: number) {
  return {
    schema,
    schemaName: "rating",
    messages: [
      { role: "system" as const, content: "You rate responses against the source." },
      { role: "user" as const, content: `<source>\n${SOURCE}\n</source>`, cacheBoundary: true },
      { role: "user" as const, content: `${pair}: <response>\nAnswer ${pair}.\n</response>` },
    ],
    promptVersion: "rating@1",
    stage: "extract",
  };
}

async function runSixPairs(id: string) {
  server = await startMockServer({ handler: () => ({ json: { score: 3 } }) });
  const baseURL = id.startsWith("anthropic:") ? server.anthropicBaseURL : server.openaiBaseURL;
  const client = createModelClient({
    model: createLanguageModel(id, { baseURL, apiKey: KEY }),
    cache: { path: join(dir, "cache.db") },
    concurrency: 1, // in order, so the first request writes the prompt cache the others read
  });
  for (let pair = 0; pair < 6; pair += 1)
    expect(await client.generateObject(pairCall(pair))).toMatchObject({ ok: true });
  const usage = client.usage();
  await client.close();
  return { usage, log: server.log };
}

describe("prompt caching", () => {
  it("Anthropic: the shared prefix carries cache_control; reads and writes are counted and priced", async () => {
    const { usage, log } = await runSixPairs("anthropic:claude-haiku-4-5");
    for (const request of log) {
      const [source, pair] = request.body.messages as { content: unknown }[];
      expect(source!.content).toEqual([
        { type: "text", text: `<source>\n${SOURCE}\n</source>`, cache_control: { type: "ephemeral" } },
      ]);
      expect(typeof pair!.content).toBe("string");
    }
    // The prefix is the tool, the system prompt and the source, in that order, as Anthropic caches it.
    const prefixChars = log[0]!.cacheBreakpoints[0]!;
    expect(log[0]!.prompt.slice(prefixChars - SOURCE.length - 10, prefixChars)).toBe(`${SOURCE}\n</source>`);
    const prefix = Math.ceil(prefixChars / 4);
    const total = log.reduce((sum, request) => sum + Math.ceil(request.prompt.length / 4), 0);
    expect(usage.total).toMatchObject({
      inputTokens: total,
      cacheWriteInputTokens: prefix, // the first request writes it
      cachedInputTokens: 5 * prefix, // the other five read it
    });
    // Haiku 4.5: $1 input, $0.10 cache reads, $1.25 cache writes, $5 output, per million tokens.
    const output = usage.total.outputTokens;
    const expected = ((total - 6 * prefix) * 1 + 5 * prefix * 0.1 + prefix * 1.25 + output * 5) / 1e6;
    expect(usage.total.costUsd).toBeCloseTo(expected, 12);
    const uncached = (total * 1 + output * 5) / 1e6;
    expect(usage.total.costUsd!).toBeLessThan(uncached / 2);
  });

  it("OpenAI: a repeated prefix of 1,024 tokens or more is read from its cache, counted and priced", async () => {
    const { usage, log } = await runSixPairs("openai:gpt-4o-mini");
    // What the six prompts share, computed here from what the server received.
    const shared = (a: string, b: string) => {
      let n = 0;
      while (n < a.length && a[n] === b[n]) n += 1;
      return n;
    };
    const common = shared(log[0]!.prompt, log[1]!.prompt);
    expect(common).toBeGreaterThan(SOURCE.length);
    // OpenAI counts the longest seen prefix of at least 1,024 tokens, in steps of 128.
    const cachedPerRequest = 1024 + 128 * Math.floor((Math.floor(common / 4) - 1024) / 128);
    const total = log.reduce((sum, request) => sum + Math.ceil(request.prompt.length / 4), 0);
    expect(usage.total).toMatchObject({
      inputTokens: total,
      cachedInputTokens: 5 * cachedPerRequest,
      cacheWriteInputTokens: 0,
    });
    // gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output, per million tokens.
    const expected =
      ((total - 5 * cachedPerRequest) * 0.15 +
        5 * cachedPerRequest * 0.075 +
        usage.total.outputTokens * 0.6) /
      1e6;
    expect(usage.total.costUsd).toBeCloseTo(expected, 12);
    // No cache_control goes to OpenAI.
    expect(JSON.stringify(log.map((request) => request.body))).not.toContain("cache_control");
  });

  it("the boundary marker is not part of the cache key", async () => {
    server = await startMockServer({ handler: () => ({ json: { score: 3 } }) });
    const client = createModelClient({
      model: createLanguageModel("openai-compatible:m", { baseURL: server.openaiBaseURL, apiKey: KEY }),
      cache: { path: join(dir, "cache.db") },
    });
    const marked = pairCall(1);
    const unmarked = { ...marked, messages: marked.messages.map(({ role, content }) => ({ role, content })) };
    expect(await client.generateObject(marked)).toMatchObject({ cached: false });
    expect(await client.generateObject(unmarked)).toMatchObject({ cached: true });
    await client.close();
  });
});
