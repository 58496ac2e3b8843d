import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CacheKeyParts, cacheKey } from "./cache-key.js";

const base: CacheKeyParts = {
  provider: "openai",
  modelId: "gpt-4o-mini",
  baseURL: undefined,
  messages: [{ role: "user", content: "Rate this." }],
  temperature: 0,
  maxOutputTokens: undefined,
  seed: 7,
  responseSchema: { name: "rating", jsonSchema: { type: "object" } },
  promptVersion: "fluency@1",
  sampleIndex: 0,
};

describe("cacheKey", () => {
  it("is the sha256 of the canonical JSON with the format version", () => {
    const text =
      '{"baseURL":"http://h/v1","format":1,"maxOutputTokens":5,"messages":[{"content":"hi","role":"user"}],' +
      '"modelId":"m","promptVersion":"p1","provider":"openai-compatible","sampleIndex":2,"seed":1,"temperature":0.5}';
    const expected = createHash("sha256").update(text).digest("hex");
    expect(
      cacheKey({
        provider: "openai-compatible",
        modelId: "m",
        baseURL: "http://h/v1",
        messages: [{ role: "user", content: "hi" }],
        temperature: 0.5,
        maxOutputTokens: 5,
        seed: 1,
        responseSchema: undefined,
        promptVersion: "p1",
        sampleIndex: 2,
      }),
    ).toBe(expected);
  });

  it("changes when any part that can change the answer changes", () => {
    const variants: CacheKeyParts[] = [
      base,
      { ...base, provider: "openai-compatible" },
      { ...base, modelId: "gpt-4o" },
      { ...base, baseURL: "http://localhost:8000/v1" },
      { ...base, messages: [{ role: "user", content: "Rate this!" }] },
      { ...base, messages: [{ role: "system", content: "Rate this." }] },
      { ...base, temperature: 0.7 },
      { ...base, maxOutputTokens: 100 },
      { ...base, seed: 8 },
      { ...base, seed: undefined },
      { ...base, responseSchema: { name: "rating", jsonSchema: { type: "object", required: [] } } },
      { ...base, responseSchema: { name: "score", jsonSchema: { type: "object" } } },
      { ...base, responseSchema: undefined },
      { ...base, promptVersion: "fluency@2" },
      { ...base, sampleIndex: 1 },
    ];
    expect(new Set(variants.map(cacheKey)).size).toBe(variants.length);
  });
});
