import { describe, expect, it } from "vitest";
import type { LanguageModel } from "./language-model.js";
import { defineProvider, isProviderPlugin, languageModelProblems, parseProviderPlugin } from "./provider.js";

const model = (modelId: string): LanguageModel => ({
  specificationVersion: 1,
  provider: "my-provider",
  modelId,
  baseURL: undefined,
  structuredOutput: "text",
  generate: async () => ({ text: "", usage: { inputTokens: 0, outputTokens: 0 }, finishReason: "stop" }),
});

describe("provider plugins", () => {
  it("defineProvider stamps the specification version and freezes the plugin", () => {
    const plugin = defineProvider({ id: "my-provider", languageModel: (modelId) => model(modelId) });
    expect(plugin.specificationVersion).toBe(1);
    expect(Object.isFrozen(plugin)).toBe(true);
    expect(
      plugin.languageModel("m", {
        baseURL: undefined,
        apiKey: undefined,
        structuredOutput: undefined,
        headers: undefined,
        env: {},
      }).modelId,
    ).toBe("m");
  });

  it("is detected by its languageModel function, like a factor by extract", () => {
    expect(isProviderPlugin({ id: "x", languageModel: () => undefined })).toBe(true);
    for (const value of [null, "openai", { id: "x" }, { languageModel: "no" }, { extract: () => [] }]) {
      expect(isProviderPlugin(value)).toBe(false);
    }
  });

  it("names every problem of an invalid plugin", () => {
    const attempt = () =>
      parseProviderPlugin({ specificationVersion: 2, id: "My Provider", languageModel: "nope" });
    expect(attempt).toThrow(expect.objectContaining({ code: "invalid_provider_plugin" }));
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(message).toContain('"My Provider"');
    expect(message).toMatch(/specificationVersion: .*got 2/);
    expect(message).toMatch(/id: a provider id is kebab-case/);
    expect(message).toMatch(/languageModel: languageModel must be a function/);
    expect(() => defineProvider({ id: "a:b", languageModel: () => model("m") })).toThrow(/kebab-case/);
  });

  it("lists what is wrong with a model a provider returned", () => {
    expect(languageModelProblems(model("m"), { provider: "my-provider", modelId: "m" })).toEqual([]);
    expect(languageModelProblems(model("m"), { provider: "other", modelId: "n" })).toEqual([
      'provider is "my-provider", not "other"',
      'modelId is "m", not "n"',
    ]);
    expect(
      languageModelProblems(
        { ...model("m"), specificationVersion: 0, structuredOutput: "xml", generate: 1, baseURL: 3 },
        { provider: "my-provider", modelId: "m" },
      ),
    ).toEqual([
      "specificationVersion is 0, not 1",
      "baseURL is neither a string nor undefined",
      'structuredOutput is "xml", not one of json-schema, tool, text',
      "generate is not a function",
    ]);
    expect(languageModelProblems(undefined, { provider: "p", modelId: "m" })).toEqual([
      "it is not an object",
    ]);
  });
});
