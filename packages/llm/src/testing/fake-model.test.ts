import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ALL, pair } from "../__fixtures__/model-factors.js";
import { createModelClient } from "../client.js";
import { createModelFactorExtractor } from "../extraction/extractor.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel, type FakeModelOptions } from "./fake-model.js";
import { type MockServer, startMockServer } from "./mock-server.js";

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fakeClient(
  options: FakeModelOptions = {},
  model: { id?: string; structuredOutput?: "text" } = {},
) {
  server = await startMockServer({ handler: createFakeModel(options) });
  const id = model.id ?? "openai:fake";
  return createModelClient({
    model: createLanguageModel(id, {
      baseURL: id.startsWith("anthropic:") ? server.anthropicBaseURL : server.openaiBaseURL,
      apiKey: "test",
      ...(model.structuredOutput ? { structuredOutput: model.structuredOutput } : {}),
    }),
    cache: false,
  });
}

const judgeSchema = z.object({ reasons: z.string(), verdict: z.enum(["a", "b", "tie"]) });
const strictJudgeSchema = z.object({ verdict: z.enum(["a", "b"]) });
const judge = (a: string, b: string) => [
  { role: "system" as const, content: "You compare answers." },
  {
    role: "user" as const,
    content: `<question>\nWhy?\n</question>\n\n<answer_a>\n${a}\n</answer_a>\n\n<answer_b>\n${b}\n</answer_b>\n\nWhich is better?`,
  },
];
const length = (_key: string, response: string) => response.length;

describe("createFakeModel", () => {
  it("judges by the measure of each answer, whatever their order, and ties when allowed", async () => {
    const client = await fakeClient({ measure: length });
    const ask = async (schema: z.ZodObject, a: string, b: string) => {
      const result = await client.generateObject({
        schema,
        schemaName: "verdict",
        messages: judge(a, b),
        promptVersion: "judge@1",
        stage: "judge",
      });
      return result.ok ? (result.value as { verdict: string }).verdict : result.error;
    };
    expect(await ask(judgeSchema, "a longer answer", "short")).toBe("a");
    expect(await ask(judgeSchema, "short", "a longer answer")).toBe("b");
    expect(await ask(judgeSchema, "same1", "same2")).toBe("tie");
    // No tie allowed: the winner of an even pair does not depend on the order.
    const first = await ask(strictJudgeSchema, "same1", "same2");
    const second = await ask(strictJudgeSchema, "same2", "same1");
    expect(first).not.toBe(second);
    await client.close();
  });

  it("a position-biased fake always says a", async () => {
    const client = await fakeClient({ measure: length, positionBias: true });
    const result = await client.generateObject({
      schema: judgeSchema,
      schemaName: "verdict",
      messages: judge("short", "a longer answer"),
      promptVersion: "judge@1",
      stage: "judge",
    });
    expect(result).toMatchObject({ ok: true, value: { verdict: "a" } });
    await client.close();
  });

  it("writes free text deterministically, as many sentences as the level asked for", async () => {
    const client = await fakeClient();
    const write = async (content: string) => {
      const result = await client.generateText({
        messages: [{ role: "user", content }],
        promptVersion: "generation@1",
        stage: "generate",
      });
      if (!result.ok) throw new Error(result.error);
      return result.value;
    };
    const three = await write("Write the answer that would score 3 on a quality scale from 1 to 5.");
    expect(three.split(". ").length).toBe(3);
    expect(three.endsWith(".")).toBe(true);
    expect(await write("Write the answer that would score 3 on a quality scale from 1 to 5.")).toBe(three);
    const five = await write("Write the answer that would score 5 on a quality scale from 1 to 5.");
    expect(five.split(". ").length).toBe(5);
    await client.close();
  });

  it("answers valid, self-consistent extraction answers from its default hash, in every mode and provider", async () => {
    const pairs = Array.from({ length: 12 }, (_, i) => pair(`h${i}`, `answer ${i} one`, `answer ${i} two`));
    const signsBy: Record<string, unknown>[] = [];
    for (const [mode, model] of [
      ["joint", {}],
      ["per-factor", {}],
      ["pair-joint", {}],
      ["joint", { id: "anthropic:fake" }],
      ["joint", { id: "openai-compatible:fake", structuredOutput: "text" }],
    ] as const) {
      const client = await fakeClient({}, model);
      const extractor = createModelFactorExtractor({ client, mode });
      const results = await extractor.extract(ALL, pairs);
      const stats = extractor.stats();
      expect(stats.failures).toBe(0);
      expect(stats.inconsistentAnswers).toBe(0);
      expect(stats.reasks).toBe(0);
      for (const factor of Object.values(stats.factors)) {
        expect(factor.positionConsistency?.rate ?? 1).toBe(1);
      }
      signsBy.push(Object.fromEntries([...results].map(([id, list]) => [id, list.map((m) => m.sign)])));
      await client.close();
      await server!.close();
      server = undefined;
    }
    // The hash reads each factor of each text alike in every mode, so the signs agree.
    expect(signsBy[1]).toEqual(signsBy[0]);
    expect(signsBy[2]).toEqual(signsBy[0]);
    expect(signsBy[3]).toEqual(signsBy[0]);
    // Text mode has no schema name or tool, but the joint answer's fields still name the factors.
    expect(signsBy[4]).toEqual(signsBy[0]);
    const fluencySigns = (signsBy[0] as Record<string, number[]>).fluency!;
    expect(new Set(fluencySigns).size).toBeGreaterThan(1);
  });
});
