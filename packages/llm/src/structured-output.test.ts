import { describe, expect, it } from "vitest";
import { z } from "zod";
import { strictSchema } from "./providers/strict-schema.js";
import {
  addUsage,
  apiSchemaName,
  askStructured,
  extractFirstJsonObject,
  jsonSchemaOf,
  parseStructured,
  reaskMessages,
  structuredRequest,
} from "./structured-output.js";

describe("extractFirstJsonObject", () => {
  it("finds the object inside prose and code fences, respecting braces in strings", () => {
    const text = 'Sure! Here it is:\n```json\n{"a": "}{", "b": {"c": 1}}\n```\nAnything else? {"z": 2}';
    expect(extractFirstJsonObject(text)).toEqual({ a: "}{", b: { c: 1 } });
  });

  it("handles escaped quotes", () => {
    expect(extractFirstJsonObject('x {"a": "say \\"hi\\" {"} y')).toEqual({ a: 'say "hi" {' });
  });

  it("skips brace groups that are not JSON", () => {
    expect(extractFirstJsonObject('{not json} then {"x": 1}')).toEqual({ x: 1 });
  });

  it("returns undefined when there is no complete object", () => {
    expect(extractFirstJsonObject("no json here")).toBeUndefined();
    expect(extractFirstJsonObject('{"a": 1')).toBeUndefined();
  });
});

describe("parseStructured", () => {
  const schema = z.object({ score: z.number().int().min(1).max(5), reason: z.string() });

  it("accepts a valid answer, as bare JSON or inside text", () => {
    expect(parseStructured('{"score": 4, "reason": "ok"}', schema, "stop")).toEqual({
      ok: true,
      value: { score: 4, reason: "ok" },
    });
    expect(parseStructured('Answer: {"score": 2, "reason": "meh"}.', schema, "stop")).toMatchObject({
      ok: true,
    });
  });

  it("names the failing field", () => {
    const outcome = parseStructured('{"score": 9, "reason": "x"}', schema, "stop");
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error).toMatch(/score/);
  });

  it("says when there is no JSON, and when the answer was cut off", () => {
    const outcome = parseStructured('{"score": 4, "rea', schema, "length");
    expect(outcome).toMatchObject({ ok: false });
    if (!outcome.ok) {
      expect(outcome.error).toMatch(/no JSON object/);
      expect(outcome.error).toMatch(/cut off/);
    }
  });
});

describe("jsonSchemaOf and the request", () => {
  const schema = z.object({ verdict: z.enum(["a", "b", "same"]) });

  it("requires an object at the root", () => {
    expect(() => jsonSchemaOf(z.array(z.string()), "list")).toThrow(
      expect.objectContaining({ code: "invalid_schema" }),
    );
    expect(jsonSchemaOf(schema, "verdict")).toMatchObject({ type: "object", required: ["verdict"] });
  });

  it("sends the schema as such to json-schema and tool providers", () => {
    const messages = [{ role: "user" as const, content: "Which?" }];
    const request = structuredRequest(messages, jsonSchemaOf(schema, "v"), "pair verdict/v1", "json-schema");
    expect(request.messages).toEqual(messages);
    expect(request.responseSchema?.name).toBe("pair_verdict_v1");
  });

  it("writes the schema into the last user message for text providers", () => {
    const messages = [
      { role: "system" as const, content: "You judge." },
      { role: "user" as const, content: "Which?" },
      { role: "assistant" as const, content: "Hmm" },
    ];
    const request = structuredRequest(messages, jsonSchemaOf(schema, "v"), "v", "text");
    expect(request.responseSchema).toBeUndefined();
    expect(request.messages[0]).toEqual(messages[0]);
    expect(request.messages[2]).toEqual(messages[2]);
    expect(request.messages[1]?.content).toMatch(/^Which\?\n\nAnswer with one JSON object/);
    expect(request.messages[1]?.content).toContain('"enum":["a","b","same"]');
    expect(request.messages[1]?.content).not.toContain("$schema");
  });

  it("makes API-safe schema names", () => {
    expect(apiSchemaName("factor rating/v2")).toBe("factor_rating_v2");
    expect(apiSchemaName("é")).toBe("_");
    expect(apiSchemaName("x".repeat(80))).toHaveLength(64);
  });

  it("re-asks with the invalid answer and the error", () => {
    const messages = reaskMessages(
      [{ role: "user", content: "Q" }],
      '{"verdict": "c"}',
      "verdict: invalid option",
    );
    expect(messages).toHaveLength(3);
    expect(messages[1]).toEqual({ role: "assistant", content: '{"verdict": "c"}' });
    expect(messages[2]?.role).toBe("user");
    expect(messages[2]?.content).toContain("verdict: invalid option");
    expect(reaskMessages([], "", "empty")[0]?.content).toBe("(no answer)");
  });
});

describe("strictSchema (OpenAI strict mode)", () => {
  it("is strict when every property is required, dropping keywords strict mode refuses", () => {
    const schema = z.object({
      name: z.string().min(1),
      tags: z.array(z.string()).max(3),
      inner: z.object({ n: z.number().nullable() }),
    });
    const { schema: sent, strict } = strictSchema(jsonSchemaOf(schema, "s"));
    expect(strict).toBe(true);
    expect(sent).not.toHaveProperty("$schema");
    expect(sent).toEqual({
      type: "object",
      properties: {
        name: { type: "string" },
        tags: { type: "array", items: { type: "string" }, maxItems: 3 },
        inner: {
          type: "object",
          properties: { n: { type: ["number", "null"] } },
          required: ["n"],
          additionalProperties: false,
        },
      },
      required: ["name", "tags", "inner"],
      additionalProperties: false,
    });
  });

  it("is not strict with an optional property, even nested, and then sends the schema unchanged", () => {
    const schema = z.object({ inner: z.object({ a: z.string().min(2), b: z.string().optional() }) });
    const { $schema: _dialect, ...original } = jsonSchemaOf(schema, "s");
    const result = strictSchema(jsonSchemaOf(schema, "s"));
    expect(result.strict).toBe(false);
    expect(result.schema).toEqual(original);
  });

  it("keeps property names that look like keywords", () => {
    const schema = z.object({ minLength: z.number(), format: z.string() });
    const { schema: sent } = strictSchema(jsonSchemaOf(schema, "s"));
    expect(Object.keys(sent.properties as object)).toEqual(["minLength", "format"]);
  });
});

describe("askStructured (the structured-output layer)", () => {
  const accept = z.object({ score: z.number().int().min(1).max(5) });
  const reply = (text: string, inputTokens: number, cachedInputTokens?: number) => ({
    text,
    usage: { inputTokens, outputTokens: 2, ...(cachedInputTokens ? { cachedInputTokens } : {}) },
    finishReason: "stop",
  });
  const messages = [
    { role: "system" as const, content: "Rate.", cacheBoundary: true },
    { role: "user" as const, content: "Item 1." },
  ];

  it("asks once when the answer is valid", async () => {
    const asked: (readonly unknown[])[] = [];
    const outcome = await askStructured(
      async (conversation) => {
        asked.push(conversation);
        return reply('{"score":4}', 10);
      },
      messages,
      accept,
      () => {
        throw new Error("not invalid");
      },
    );
    expect(outcome).toEqual({ ok: true, value: { score: 4 }, response: reply('{"score":4}', 10) });
    expect(asked).toHaveLength(1);
  });

  it("re-asks once, keeping the prefix (and its cache boundary), and sums the usage of both", async () => {
    const answers = [reply('{"score":9}', 10), reply('{"score":5}', 14, 8)];
    const asked: (readonly { content: string; cacheBoundary?: boolean }[])[] = [];
    const invalid: [string, boolean][] = [];
    const outcome = await askStructured(
      async (conversation) => {
        asked.push(conversation);
        return answers.shift()!;
      },
      messages,
      accept,
      (error, willReask) => invalid.push([error, willReask]),
    );
    expect(outcome).toMatchObject({ ok: true, value: { score: 5 } });
    if (!outcome.ok) return;
    expect(outcome.response.usage).toEqual({ inputTokens: 24, outputTokens: 4, cachedInputTokens: 8 });
    expect(invalid).toEqual([[expect.stringMatching(/score/), true]]);
    expect(asked[1]!.slice(0, 2)).toEqual(messages);
    expect(asked[1]!.at(-2)).toEqual({ role: "assistant", content: '{"score":9}' });
  });

  it("fails with the last error when the re-ask is invalid too", async () => {
    const invalid: boolean[] = [];
    const outcome = await askStructured(
      async () => reply("no json here", 10),
      messages,
      accept,
      (_, willReask) => invalid.push(willReask),
    );
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining("holds no JSON object") });
    expect(invalid).toEqual([true, false]);
  });
});

describe("addUsage", () => {
  it("adds every count, showing the cached ones only when there are some", () => {
    expect(addUsage({ inputTokens: 1, outputTokens: 2 }, { inputTokens: 3, outputTokens: 4 })).toEqual({
      inputTokens: 4,
      outputTokens: 6,
    });
    expect(
      addUsage(
        { inputTokens: 10, outputTokens: 2, cacheWriteInputTokens: 6 },
        { inputTokens: 10, outputTokens: 2, cachedInputTokens: 6 },
      ),
    ).toEqual({ inputTokens: 20, outputTokens: 4, cachedInputTokens: 6, cacheWriteInputTokens: 6 });
  });
});
