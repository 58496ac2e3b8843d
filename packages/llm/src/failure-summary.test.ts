import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient, type ModelClient } from "./client.js";
import { describeFailures } from "./failures.js";
import { createLanguageModel } from "./providers/registry.js";
import { type MockHandler, startMockServer } from "./testing/mock-server.js";

const KEY = "sk-failure-summary-0123456789";
const ask = (item: number) => ({
  schema: z.object({ score: z.number().int() }),
  schemaName: "rating",
  messages: [{ role: "user" as const, content: `Rate ${item}.` }],
  promptVersion: "rating@1",
  stage: "judge",
});

/** A port on 127.0.0.1 with nothing listening. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function clientAt(id: string, baseURL: string, options: { timeoutMs?: number } = {}): ModelClient {
  return createModelClient({
    model: createLanguageModel(id, { baseURL, apiKey: KEY }),
    cache: false,
    maxRetries: 1,
    backoff: { baseMs: 1, maxMs: 2 },
    ...options,
  });
}

async function withServer(
  handler: MockHandler,
  run: (url: { openai: string; anthropic: string }) => Promise<void>,
) {
  const server = await startMockServer({ handler });
  try {
    await run({ openai: server.openaiBaseURL, anthropic: server.anthropicBaseURL });
  } finally {
    await server.close();
  }
}

describe("failure summaries through the real SDKs", () => {
  it("nothing listening: connection refused at the base URL", async () => {
    const baseURL = `http://127.0.0.1:${await closedPort()}/v1`;
    const client = clientAt("openai-compatible:m", baseURL);
    const results = await Promise.all([1, 2, 3].map((item) => client.generateObject(ask(item))));
    expect(results.every((result) => !result.ok)).toBe(true);
    const { failureCauses, total } = client.usage();
    expect(total).toMatchObject({ failures: 3, requests: 6 });
    expect(failureCauses).toEqual([
      expect.objectContaining({
        cause: "connection-refused",
        count: 3,
        summary: `connection refused at ${baseURL}`,
      }),
    ]);
    expect(describeFailures(failureCauses)).toContain(`3  connection refused at ${baseURL}`);
    await client.close();
  });

  it("a rejected key: 401 unauthorized, naming the env var; the key appears nowhere", async () => {
    await withServer(
      () => ({ fault: "unauthorized" }),
      async (url) => {
        const client = clientAt("openai:gpt-4o-mini", url.openai);
        await expect(client.generateObject(ask(1))).rejects.toMatchObject({ code: "model_auth_failed" });
        const { failureCauses } = client.usage();
        expect(failureCauses).toEqual([
          expect.objectContaining({
            cause: "auth",
            count: 1,
            summary: "401 unauthorized (check OPENAI_API_KEY)",
          }),
        ]);
        expect(JSON.stringify(client.usage())).not.toContain(KEY);
        await client.close();
      },
    );
  });

  it("an unknown model, server errors, timeouts and invalid answers each get their own cause", async () => {
    await withServer(
      (request) => {
        const text = request.messages.at(-1)!.content;
        if (request.model === "gone") return { fault: "not-found" };
        if (text.includes("Rate 1.") && request.messages.length === 1)
          return { fault: "server-error", status: 502 };
        if (text.includes("Rate 2.")) return { fault: "hang" };
        return { json: { score: "high" } };
      },
      async (url) => {
        const gone = clientAt("anthropic:gone", url.anthropic);
        await expect(gone.generateObject(ask(0))).rejects.toMatchObject({ code: "model_not_found" });
        expect(gone.usage().failureCauses).toEqual([
          expect.objectContaining({
            cause: "not-found",
            summary: `model not found ("gone") at ${url.anthropic} (check the model id and the base URL)`,
          }),
        ]);
        await gone.close();
        const client = clientAt("openai-compatible:m", url.openai, { timeoutMs: 100 });
        const results = await Promise.all([1, 2, 3].map((item) => client.generateObject(ask(item))));
        expect(results.map((result) => result.ok)).toEqual([false, false, false]);
        const causes = client.usage().failureCauses.map((group) => [group.cause, group.count, group.summary]);
        expect(causes).toEqual(
          expect.arrayContaining([
            ["server", 1, `server errors (5xx) at ${url.openai}`],
            ["timeout", 1, `timeouts (no answer within 100 ms) at ${url.openai}`],
            ["invalid-answer", 1, "invalid answers (not valid for the schema, still after one re-ask)"],
          ]),
        );
        expect(client.usage().total.failures).toBe(3);
        await client.close();
      },
    );
  });
});
