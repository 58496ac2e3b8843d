import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Pair } from "@profilekit/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TASK_MODEL_FACTORS } from "../__fixtures__/real-factors.js";
import { createModelClient } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import { type MockRequest, type MockServer, startMockServer } from "../testing/mock-server.js";
import { createModelFactorExtractor } from "./extractor.js";

// Prompt caching as the extractor lays its messages out: six pairs of one input share one long
// source, and every request shows what they share first, in the same bytes (instructions, then
// the source, then the prompt), the responses last. Anthropic requests mark that prefix with
// cache_control; both providers then report cache reads for it (as the mock simulates them).

let dir: string;
let server: MockServer | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-shared-prefix-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** About 2,500 tokens of source, well above both providers' 1,024-token minimum. */
const SOURCE = Array.from(
  { length: 250 },
  (_, i) => `Paragraph ${i}: the committee reviewed item ${i} and approved it.`,
).join(" ");
const PROMPT = "What did the committee decide?";
const pairs: Pair[] = Array.from({ length: 6 }, (_, i) => ({
  id: `p${i}`,
  task: "document-qa",
  source: SOURCE,
  prompt: PROMPT,
  a: `Answer ${i}a: the committee approved ${i + 1} items.`,
  b: `Answer ${i}b: it approved everything it reviewed${", after a debate".repeat(i)}.`,
  label: "a",
}));

function sharedPrefix(texts: readonly string[]): string {
  let end = 0;
  const [first, ...rest] = texts;
  while (end < first!.length && rest.every((text) => text[end] === first![end])) end += 1;
  return first!.slice(0, end);
}

async function extract(id: string) {
  server = await startMockServer({ handler: createFakeModel() });
  const provider = id.startsWith("anthropic:") ? "anthropic" : "openai";
  const client = createModelClient({
    model: createLanguageModel(id, {
      baseURL: provider === "anthropic" ? server.anthropicBaseURL : server.openaiBaseURL,
      apiKey: "sk-prefix-0123456789",
    }),
    cache: { path: join(dir, "cache.db") },
    concurrency: 1, // in order: the first request of a prefix writes the cache the others read
  });
  const extractor = createModelFactorExtractor({ client, seed: 1 });
  await extractor.extract(TASK_MODEL_FACTORS["document-qa"]!, pairs);
  const usage = client.usage();
  await client.close();
  return { log: server.log, usage };
}

/** The readings of one call shape (one system message: one group of factors), by schema. */
function byShape(log: readonly MockRequest[]): MockRequest[][] {
  const groups = new Map<string, MockRequest[]>();
  for (const request of log) {
    const name = request.responseSchema!.name;
    groups.set(name, [...(groups.get(name) ?? []), request]);
  }
  return [...groups.values()];
}

describe.each(["anthropic:claude-haiku-4-5", "openai:gpt-4o-mini"])(
  "six pairs sharing one long source (%s)",
  (id) => {
    it("every request's shared prefix covers the instructions, the source and the prompt; the prefix is read from the prompt cache", async () => {
      const { log, usage } = await extract(id);
      const shapes = byShape(log);
      // The responses' readings and the pairs' comparisons (both orders) have several requests each.
      expect(shapes.filter((group) => group.length > 1).length).toBeGreaterThanOrEqual(2);
      for (const requests of shapes.filter((group) => group.length > 1)) {
        const prefix = sharedPrefix(requests.map((request) => request.prompt));
        expect(prefix).toContain(`<source>\n${SOURCE}\n</source>`);
        expect(prefix).toContain(`<prompt>\n${PROMPT}\n</prompt>`);
        // No response text is in it: the responses come after the shared part.
        for (const pair of pairs) expect(prefix).not.toContain(pair.a);
      }
      if (id.startsWith("anthropic:")) {
        for (const request of log) {
          // cache_control ends the prefix right after the inputs (source, prompt, checklist).
          expect(request.cacheBreakpoints).toHaveLength(1);
          const marked = request.prompt.slice(0, request.cacheBreakpoints[0]);
          expect(marked).toContain(`<source>\n${SOURCE}\n</source>`);
          expect(marked.endsWith("</prompt>") || marked.endsWith("</checklist>")).toBe(true);
          const blocks = JSON.stringify(request.body.messages);
          expect(blocks).toContain('"cache_control":{"type":"ephemeral"}');
        }
        expect(usage.total.cacheWriteInputTokens).toBeGreaterThan(0);
      } else {
        expect(JSON.stringify(log.map((request) => request.body))).not.toContain("cache_control");
      }
      // Most input tokens are read from the prompt cache: every request after the first of its shape.
      expect(usage.total.cachedInputTokens).toBeGreaterThan(usage.total.inputTokens / 2);
    });
  },
);
