import { describe, expect, it } from "vitest";
import { ANTHROPIC_DEFAULT_MAX_TOKENS, anthropicWire, MESSAGES_ENDPOINT } from "./anthropic-wire.js";

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { score: { type: "integer" } },
  required: ["score"],
};
const ephemeral = { type: "ephemeral" };

describe("anthropicWire", () => {
  const wire = anthropicWire({ modelId: "claude-haiku-4-5", structuredOutput: "tool" });

  it("builds the Messages body: system apart, a forced tool, max_tokens by default", () => {
    expect(
      wire.buildRequest({
        messages: [
          { role: "system", content: "Rate." },
          { role: "user", content: "Item." },
        ],
        responseSchema: { name: "rating", jsonSchema: schema },
        temperature: 0,
        seed: 3,
      }),
    ).toEqual({
      endpoint: MESSAGES_ENDPOINT,
      body: {
        model: "claude-haiku-4-5",
        max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
        system: "Rate.",
        messages: [{ role: "user", content: "Item." }],
        temperature: 0,
        tools: [
          {
            name: "rating",
            description: "Record the answer, following the rating schema.",
            input_schema: { type: "object", properties: { score: { type: "integer" } }, required: ["score"] },
          },
        ],
        tool_choice: { type: "tool", name: "rating" },
      },
    });
  });

  it("puts cache_control on the content up to and including the marked message", () => {
    const { body } = wire.buildRequest({
      messages: [
        { role: "system", content: "Instructions." },
        { role: "user", content: "The source document.", cacheBoundary: true },
        { role: "user", content: "The prompt and the responses." },
      ],
      maxOutputTokens: 100,
    });
    expect(body).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 100,
      system: "Instructions.",
      messages: [
        { role: "user", content: [{ type: "text", text: "The source document.", cache_control: ephemeral }] },
        { role: "user", content: "The prompt and the responses." },
      ],
    });
  });

  it("marks a system message as blocks, one per system message", () => {
    const { body } = wire.buildRequest({
      messages: [
        { role: "system", content: "Shared instructions.", cacheBoundary: true },
        { role: "system", content: "More." },
        { role: "user", content: "Item." },
      ],
    });
    expect(body.system).toEqual([
      { type: "text", text: "Shared instructions.", cache_control: ephemeral },
      { type: "text", text: "More." },
    ]);
    expect(body.messages).toEqual([{ role: "user", content: "Item." }]);
  });

  it("keeps at most four breakpoints, the last ones (they cover the longest prefixes)", () => {
    const { body } = wire.buildRequest({
      messages: [
        { role: "system", content: "Shared instructions.", cacheBoundary: true },
        ...Array.from({ length: 5 }, (_, i) => ({
          role: "user" as const,
          content: `part ${i}`,
          cacheBoundary: true,
        })),
      ],
    });
    expect(body.system).toBe("Shared instructions.");
    const marked = (body.messages as { content: unknown }[]).map((message) => Array.isArray(message.content));
    expect(marked).toEqual([false, true, true, true, true]);
  });

  it("reads a tool answer, text, and usage with cache reads and writes", () => {
    expect(
      wire.parseResponse({
        id: "m",
        type: "message",
        content: [
          { type: "text", text: "Sure." },
          { type: "tool_use", id: "t", name: "rating", input: { score: 4 } },
        ],
        stop_reason: "tool_use",
        usage: {
          input_tokens: 50,
          cache_read_input_tokens: 1200,
          cache_creation_input_tokens: 0,
          output_tokens: 9,
        },
      }),
    ).toEqual({
      text: '{"score":4}',
      usage: { inputTokens: 1250, outputTokens: 9, cachedInputTokens: 1200 },
      finishReason: "tool_use",
    });
    expect(
      wire.parseResponse({
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
        stop_reason: "end_turn",
        usage: { input_tokens: 10, cache_creation_input_tokens: 1100, output_tokens: 1 },
      }),
    ).toEqual({
      text: "ab",
      usage: { inputTokens: 1110, outputTokens: 1, cacheWriteInputTokens: 1100 },
      finishReason: "end_turn",
    });
    expect(() => wire.parseResponse({ content: "x" })).toThrow(
      expect.objectContaining({ kind: "malformed" }),
    );
  });
});
