import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { isLocalURL, LOCAL_DUMMY_KEY } from "./credentials.js";
import { createLanguageModel } from "./registry.js";

const KEY = "sk-registry-test-0123456789";

describe("createLanguageModel", () => {
  it("parses provider:model, keeping colons in the model name", () => {
    const model = createLanguageModel("openai-compatible:llama3.1:8b", {
      baseURL: "http://localhost:11434/v1/",
      env: {},
    });
    expect(model).toMatchObject({
      specificationVersion: 1,
      provider: "openai-compatible",
      modelId: "llama3.1:8b",
      baseURL: "http://localhost:11434/v1",
      structuredOutput: "json-schema",
    });
  });

  it("lists the providers for an unknown prefix", () => {
    expect(() => createLanguageModel("gemini:pro", { env: {} })).toThrow(
      expect.objectContaining({
        code: "unknown_provider",
        message: expect.stringContaining("openai, anthropic, openai-compatible"),
      }),
    );
    expect(() => createLanguageModel("gpt-4o", { env: {} })).toThrow(
      expect.objectContaining({ code: "unknown_provider" }),
    );
    expect(() => createLanguageModel("openai:", { env: {} })).toThrow(
      expect.objectContaining({ code: "invalid_model_id" }),
    );
  });

  it("names the env var when a key is missing", () => {
    expect(() => createLanguageModel("openai:gpt-4o-mini", { env: {} })).toThrow(
      expect.objectContaining({
        code: "missing_api_key",
        message: expect.stringContaining("OPENAI_API_KEY"),
      }),
    );
    expect(() => createLanguageModel("anthropic:claude-haiku-4-5", { env: {} })).toThrow(
      expect.objectContaining({
        code: "missing_api_key",
        message: expect.stringContaining("ANTHROPIC_API_KEY"),
      }),
    );
    expect(() =>
      createLanguageModel("openai-compatible:m", {
        env: { PROFILEKIT_BASE_URL: "https://api.together.xyz/v1" },
      }),
    ).toThrow(
      expect.objectContaining({
        code: "missing_api_key",
        message: expect.stringContaining("PROFILEKIT_API_KEY"),
      }),
    );
  });

  it("lets a local server go without a key", () => {
    expect(
      createLanguageModel("openai:gpt-4o-mini", { env: { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" } })
        .baseURL,
    ).toBe("http://127.0.0.1:9/v1");
    expect(
      createLanguageModel("anthropic:claude-x", { env: { ANTHROPIC_BASE_URL: "http://localhost:9" } })
        .baseURL,
    ).toBe("http://localhost:9");
  });

  it("reads base URLs from the environment, options first", () => {
    const env = {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: "https://proxy.example/v1",
      PROFILEKIT_BASE_URL: "http://localhost:8000/v1",
    };
    expect(createLanguageModel("openai:gpt-4o", { env }).baseURL).toBe("https://proxy.example/v1");
    expect(createLanguageModel("openai:gpt-4o", { env: { OPENAI_API_KEY: KEY } }).baseURL).toBeUndefined();
    expect(createLanguageModel("openai-compatible:m", { env }).baseURL).toBe("http://localhost:8000/v1");
    expect(
      createLanguageModel("openai-compatible:m", { env, baseURL: "http://localhost:1/v1" }).baseURL,
    ).toBe("http://localhost:1/v1");
    expect(() => createLanguageModel("openai-compatible:m", { env: { OPENAI_API_KEY: KEY } })).toThrow(
      expect.objectContaining({ code: "missing_base_url" }),
    );
    expect(() =>
      createLanguageModel("openai:m", { env: { OPENAI_API_KEY: KEY }, baseURL: "not a url" }),
    ).toThrow(expect.objectContaining({ code: "invalid_base_url" }));
  });

  it("declares structured output per provider and per config", () => {
    const env = { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY };
    expect(createLanguageModel("openai:gpt-4o", { env }).structuredOutput).toBe("json-schema");
    expect(createLanguageModel("anthropic:claude-sonnet-4-5", { env }).structuredOutput).toBe("tool");
    expect(
      createLanguageModel("openai-compatible:m", {
        env,
        baseURL: "http://localhost:1/v1",
        structuredOutput: "text",
      }).structuredOutput,
    ).toBe("text");
    expect(() => createLanguageModel("openai:gpt-4o", { env, structuredOutput: "tool" })).toThrow(
      expect.objectContaining({ code: "unsupported_structured_output" }),
    );
    expect(() => createLanguageModel("anthropic:claude-x", { env, structuredOutput: "json-schema" })).toThrow(
      expect.objectContaining({ code: "unsupported_structured_output" }),
    );
  });

  it("holds the key where printing the model cannot show it", () => {
    for (const id of ["openai:gpt-4o", "anthropic:claude-x", "openai-compatible:m"]) {
      const model = createLanguageModel(id, { apiKey: KEY, baseURL: "https://example.test/v1" });
      expect(inspect(model, { depth: 10, showHidden: true })).not.toContain(KEY);
      expect(JSON.stringify(model)).not.toContain(KEY);
    }
  });
});

describe("isLocalURL", () => {
  it("recognises loopback hosts only", () => {
    for (const url of [
      "http://localhost:8000/v1",
      "http://127.0.0.1:1",
      "http://[::1]:8080",
      "http://api.localhost/",
    ]) {
      expect(isLocalURL(url)).toBe(true);
    }
    for (const url of [
      "https://api.openai.com/v1",
      "http://10.0.0.5/v1",
      "http://localhost.evil.com",
      undefined,
      "::",
    ]) {
      expect(isLocalURL(url)).toBe(false);
    }
    expect(LOCAL_DUMMY_KEY).not.toBe("");
  });
});
