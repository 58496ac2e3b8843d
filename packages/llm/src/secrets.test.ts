import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient, type ModelEvent } from "./client.js";
import { createLanguageModel } from "./providers/registry.js";
import { redactSecrets } from "./redact.js";
import { type MockServer, startMockServer } from "./testing/mock-server.js";

/** A key of an unusual shape, so only exact-match scrubbing can catch it. */
const KEY = "canary-7f3a9c1e5b2d4f60-secret";
const SK_KEY = "sk-proj-CANARY0123456789abcdef";

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-secrets-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function everyFileUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("API keys", () => {
  for (const [id, key] of [
    ["openai-compatible:m", KEY],
    ["openai:gpt-4o-mini", SK_KEY],
    ["anthropic:claude-haiku-4-5", KEY],
  ] as const) {
    it(`${id}: the key is in no file written, no error, no event and no report`, async () => {
      const schema = z.object({ answer: z.string() });
      const mock = await startMockServer({
        handler: (request) => {
          const text = request.messages.at(-1)?.content ?? "";
          if (text.includes("unauthorized")) return { fault: "unauthorized" };
          if (text.includes("broken")) return { fault: "server-error" };
          return { json: { answer: "fine" } };
        },
      });
      server = mock;
      const model = createLanguageModel(id, {
        apiKey: key,
        baseURL: id.startsWith("anthropic") ? mock.anthropicBaseURL : mock.openaiBaseURL,
      });
      const events: ModelEvent[] = [];
      const client = createModelClient({
        model,
        cache: { path: join(dir, "cache", "cache.db") },
        maxRetries: 1,
        backoff: { baseMs: 1, maxMs: 1 },
        onEvent: (event) => events.push(event),
      });
      const ask = (content: string) =>
        client.generateObject({
          schema,
          schemaName: "answer",
          messages: [{ role: "user", content }],
          promptVersion: "p",
          stage: "extract",
        });
      const outputs: unknown[] = [];
      outputs.push(await ask("hello"));
      outputs.push(await ask("broken"));
      const thrown = await ask("unauthorized").catch((error: unknown) => error);
      expect(thrown).toMatchObject({ code: "model_auth_failed" });
      // The server did get the key, and echoed it back in its error body.
      expect(mock.log.some((request) => request.apiKey === key)).toBe(true);

      const error = thrown as Error & { hint?: string };
      for (const text of [
        error.message,
        error.hint,
        String(error),
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
      ]) {
        expect(text).not.toContain(key);
      }
      expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(key);
      outputs.push(client.usage(), events, error.message);
      await client.close();

      writeFileSync(join(dir, "results.json"), JSON.stringify(outputs));
      const files = everyFileUnder(dir);
      expect(files.some((file) => file.endsWith("cache.db"))).toBe(true);
      for (const file of files) {
        expect(readFileSync(file).includes(Buffer.from(key)), `${file} holds the key`).toBe(false);
      }
    });
  }

  it("redacts known secrets and key-shaped strings", () => {
    expect(redactSecrets(`Incorrect API key provided: ${KEY}.`, [KEY])).toBe(
      "Incorrect API key provided: [redacted].",
    );
    expect(redactSecrets(`bad key ${SK_KEY}`)).toBe("bad key [redacted]");
    expect(redactSecrets("Authorization: Bearer abcdefgh12345678")).toBe("Authorization: Bearer [redacted]");
    expect(redactSecrets('{"x-api-key": "abcdefgh12345678"}')).toBe('{"x-api-key": "[redacted]"}');
    expect(redactSecrets("nothing secret here", ["x"])).toBe("nothing secret here");
    expect(redactSecrets("connection refused at https://me:hunter2pass@proxy.example/v1")).toBe(
      "connection refused at https://[redacted]@proxy.example/v1",
    );
  });
});
