import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createModelClient } from "./client.js";
import { createLanguageModel } from "./providers/registry.js";

/**
 * Runs against a real endpoint only when one is configured; otherwise the
 * tests are skipped, and their names say why. Models can be chosen with
 * PROFILEKIT_LIVE_OPENAI_MODEL / PROFILEKIT_LIVE_ANTHROPIC_MODEL.
 */
const env = process.env;
const openaiConfigured = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
const anthropicConfigured = Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_BASE_URL);
const openaiModel = env.PROFILEKIT_LIVE_OPENAI_MODEL ?? "gpt-4o-mini";
const anthropicModel = env.PROFILEKIT_LIVE_ANTHROPIC_MODEL ?? "claude-haiku-4-5";

const verdict = z.object({ longer: z.enum(["a", "b"]) });

async function roundTrip(id: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "pk-live-"));
  try {
    const client = createModelClient({
      model: createLanguageModel(id),
      cache: { path: join(dir, "cache.db") },
      concurrency: 2,
      maxRetries: 2,
      timeoutMs: 60_000,
    });
    const request = {
      schema: verdict,
      schemaName: "verdict",
      messages: [
        { role: "system" as const, content: "You compare two responses." },
        {
          role: "user" as const,
          content: 'Which response is longer?\nA: "Yes."\nB: "Yes, certainly, I would be glad to."',
        },
      ],
      promptVersion: "live@1",
      stage: "judge",
      temperature: 0,
      maxOutputTokens: 100,
    };
    const first = await client.generateObject(request);
    expect(first).toMatchObject({ ok: true, value: { longer: "b" }, cached: false });
    const again = await client.generateObject(request);
    expect(again).toMatchObject({ ok: true, cached: true });
    const usage = client.usage().total;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.cacheHits).toBe(1);
    await client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("live endpoints", () => {
  it.skipIf(!openaiConfigured)(
    `OpenAI ${openaiModel}: structured answer, then a cache hit${openaiConfigured ? "" : " (skipped: set OPENAI_API_KEY or OPENAI_BASE_URL to run)"}`,
    () => roundTrip(`openai:${openaiModel}`),
  );

  it.skipIf(!anthropicConfigured)(
    `Anthropic ${anthropicModel}: forced tool answer, then a cache hit${anthropicConfigured ? "" : " (skipped: set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL to run)"}`,
    () => roundTrip(`anthropic:${anthropicModel}`),
  );
});
