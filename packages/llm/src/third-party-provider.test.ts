import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineProvider, type ModelRequest, specificationVersion } from "@profilekit/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient } from "./client.js";
import { openaiWire } from "./providers/openai-wire.js";
import { createProviderRegistry } from "./providers/registry.js";
import { type MockServer, startMockServer } from "./testing/mock-server.js";

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-provider-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A provider as a third party would write one: an OpenAI-compatible API
 * reached with plain fetch, its bodies built and read by the exported wire
 * format, its key from its own env var.
 */
const myProvider = defineProvider({
  id: "myprovider",
  title: "My provider",
  languageModel(modelId, settings) {
    const baseURL = settings.baseURL ?? settings.env.MYPROVIDER_BASE_URL;
    const apiKey = settings.apiKey ?? settings.env.MYPROVIDER_API_KEY;
    if (!baseURL || !apiKey) throw new Error("myprovider needs MYPROVIDER_BASE_URL and MYPROVIDER_API_KEY");
    const wire = openaiWire({ modelId, structuredOutput: "json-schema", compatible: true });
    return {
      specificationVersion,
      provider: "myprovider",
      modelId,
      baseURL,
      structuredOutput: "json-schema",
      wire,
      async generate(request: ModelRequest) {
        const { body } = wire.buildRequest(request);
        const response = await fetch(`${baseURL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(body),
          signal: request.signal,
        });
        if (!response.ok)
          throw Object.assign(new Error(`myprovider: HTTP ${response.status}`), { status: response.status });
        return wire.parseResponse(await response.json());
      },
    };
  },
});

describe("a third-party provider", () => {
  it("registered under its prefix, answers through the client: cache, retries, usage, prices", async () => {
    let calls = 0;
    server = await startMockServer({
      handler: () => {
        calls += 1;
        return calls === 1 ? { fault: "server-error", status: 503 } : { json: { verdict: "b" } };
      },
    });
    const providers = createProviderRegistry([myProvider]);
    const options = {
      model: "myprovider:judge-1",
      providers,
      cache: { path: join(dir, "cache.db") },
      backoff: { baseMs: 1, maxMs: 2 },
      prices: { models: { "myprovider:judge-1": { inputPerMTok: 1, outputPerMTok: 2 } } },
    };
    process.env.MYPROVIDER_BASE_URL = server.openaiBaseURL;
    process.env.MYPROVIDER_API_KEY = "my-key-0123456789";
    try {
      const client = createModelClient(options);
      expect(client.modelName).toBe("myprovider:judge-1");
      const call = {
        schema: z.object({ verdict: z.enum(["a", "b"]) }),
        schemaName: "verdict",
        messages: [{ role: "user" as const, content: "Which is better?" }],
        promptVersion: "judge@1",
        stage: "judge",
      };
      expect(await client.generateObject(call)).toMatchObject({
        ok: true,
        value: { verdict: "b" },
        cached: false,
      });
      expect(client.usage().total).toMatchObject({ calls: 1, requests: 2, retries: 1 });
      expect(client.usage().total.costUsd).toBeGreaterThan(0);
      expect(server.log.at(-1)).toMatchObject({ model: "judge-1", apiKey: "my-key-0123456789" });
      expect(server.log.at(-1)?.responseSchema).toMatchObject({ name: "verdict", strict: true });
      await client.close();
      const again = createModelClient(options);
      expect(await again.generateObject(call)).toMatchObject({ ok: true, cached: true });
      expect(server.stats.requests).toBe(2);
      await again.close();
    } finally {
      delete process.env.MYPROVIDER_BASE_URL;
      delete process.env.MYPROVIDER_API_KEY;
    }
  });

  it("an unknown prefix names the registered providers", () => {
    expect(() =>
      createModelClient({
        model: "otherprovider:m",
        providers: createProviderRegistry([myProvider]),
        cache: false,
      }),
    ).toThrow(
      expect.objectContaining({
        code: "unknown_provider",
        message: expect.stringContaining("openai, anthropic, openai-compatible, myprovider"),
      }),
    );
  });
});
