import { describe, expect, it } from "vitest";
import { CHAT_COMPLETIONS_ENDPOINT, openaiWire } from "./openai-wire.js";

const schema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { score: { type: "integer", minimum: 1, maximum: 5 } },
  required: ["score"],
  additionalProperties: false,
};

describe("openaiWire", () => {
  it("builds the chat-completions body: messages, parameters, a strict json_schema format", () => {
    const wire = openaiWire({ modelId: "gpt-4o-mini", structuredOutput: "json-schema", compatible: false });
    expect(
      wire.buildRequest({
        messages: [
          { role: "system", content: "Rate.", cacheBoundary: true },
          { role: "user", content: "Item." },
        ],
        responseSchema: { name: "rating", jsonSchema: schema },
        temperature: 0,
        seed: 7,
        maxOutputTokens: 50,
      }),
    ).toEqual({
      endpoint: CHAT_COMPLETIONS_ENDPOINT,
      body: {
        model: "gpt-4o-mini",
        // OpenAI caches prefixes by itself: no marker is sent.
        messages: [
          { role: "system", content: "Rate." },
          { role: "user", content: "Item." },
        ],
        temperature: 0,
        seed: 7,
        max_completion_tokens: 50,
        response_format: {
          type: "json_schema",
          json_schema: {
            name: "rating",
            strict: true,
            schema: {
              type: "object",
              properties: { score: { type: "integer", minimum: 1, maximum: 5 } },
              required: ["score"],
              additionalProperties: false,
            },
          },
        },
      },
    });
  });

  it("sends max_tokens to compatible servers and no format in text mode", () => {
    const wire = openaiWire({ modelId: "llama", structuredOutput: "text", compatible: true });
    const { body } = wire.buildRequest({
      messages: [{ role: "user", content: "x" }],
      responseSchema: { name: "rating", jsonSchema: schema },
      maxOutputTokens: 9,
    });
    expect(body).toEqual({ model: "llama", messages: [{ role: "user", content: "x" }], max_tokens: 9 });
  });

  it("reads an answer, its usage and cached tokens, a refusal, and refuses a malformed body", () => {
    const wire = openaiWire({ modelId: "m", structuredOutput: "json-schema", compatible: false });
    const completion = (
      message: Record<string, unknown>,
      usage: Record<string, unknown>,
      finish = "stop",
    ) => ({
      id: "c",
      choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: finish }],
      usage,
    });
    expect(
      wire.parseResponse(
        completion(
          { content: '{"score":3}', refusal: null },
          { prompt_tokens: 2000, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 1536 } },
        ),
      ),
    ).toEqual({
      text: '{"score":3}',
      usage: { inputTokens: 2000, outputTokens: 5, cachedInputTokens: 1536 },
      finishReason: "stop",
    });
    expect(
      wire.parseResponse(
        completion(
          { content: null, refusal: "I can't" },
          { prompt_tokens: 3, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 0 } },
        ),
      ),
    ).toEqual({ text: "", usage: { inputTokens: 3, outputTokens: 1 }, finishReason: "refusal" });
    for (const bad of [{ choices: [] }, { id: "x" }, "text", null]) {
      expect(() => wire.parseResponse(bad)).toThrow(expect.objectContaining({ kind: "malformed" }));
    }
  });
});
