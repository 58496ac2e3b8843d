import { inspect } from "node:util";
import {
  defineProvider,
  isProviderPlugin,
  type LanguageModel,
  ProfilekitError,
  type ProviderModelSettings,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { BUILTIN_PROVIDERS, openaiProvider } from "./builtin.js";
import { isLocalURL, LOCAL_DUMMY_KEY } from "./credentials.js";
import { createLanguageModel, createProviderRegistry, PROVIDERS, ProviderRegistry } from "./registry.js";

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

describe("ProviderRegistry", () => {
  const echo = (modelId: string, settings: ProviderModelSettings): LanguageModel => ({
    specificationVersion: 1,
    provider: "my-provider",
    modelId,
    baseURL: settings.baseURL ?? settings.env.MY_PROVIDER_URL,
    structuredOutput: settings.structuredOutput ?? "text",
    generate: async () => ({ text: "hi", usage: { inputTokens: 1, outputTokens: 1 }, finishReason: "stop" }),
  });
  const myProvider = defineProvider({ id: "my-provider", languageModel: echo });

  it("resolves a new prefix once registered, with the caller's settings and env", () => {
    const registry = createProviderRegistry();
    expect(registry.ids).toEqual(["openai", "anthropic", "openai-compatible"]);
    expect(() => registry.languageModel("my-provider:m1")).toThrow(
      expect.objectContaining({
        code: "unknown_provider",
        message: expect.stringContaining("Registered providers: openai, anthropic, openai-compatible."),
      }),
    );
    registry.register(myProvider);
    const model = createLanguageModel("my-provider:big:v2", {
      registry,
      env: { MY_PROVIDER_URL: "http://localhost:9/v1" },
      structuredOutput: "json-schema",
    });
    expect(model).toMatchObject({
      provider: "my-provider",
      modelId: "big:v2",
      baseURL: "http://localhost:9/v1",
      structuredOutput: "json-schema",
    });
    expect(() => registry.languageModel("gemini:pro")).toThrow(
      expect.objectContaining({
        message: expect.stringContaining("openai, anthropic, openai-compatible, my-provider"),
      }),
    );
    // The registry given is the one used; the default one knows only the built-ins.
    expect(() => createLanguageModel("my-provider:m")).toThrow(
      expect.objectContaining({ code: "unknown_provider" }),
    );
  });

  it("refuses a duplicate id and an invalid plugin", () => {
    const registry = createProviderRegistry([myProvider]);
    expect(() => registry.register(myProvider)).toThrow(
      expect.objectContaining({ code: "duplicate_provider" }),
    );
    expect(() => registry.register(openaiProvider)).toThrow(
      expect.objectContaining({ code: "duplicate_provider" }),
    );
    expect(() => registry.register({ id: "x", languageModel: echo })).toThrow(
      expect.objectContaining({
        code: "invalid_provider_plugin",
        message: expect.stringContaining("specificationVersion"),
      }),
    );
  });

  it("checks what a provider returns, and wraps what it throws without leaking the key", () => {
    const registry = new ProviderRegistry([
      defineProvider({
        id: "liar",
        languageModel: (modelId) => ({
          ...echo(modelId, { env: {} } as ProviderModelSettings),
          modelId: "other",
        }),
      }),
      defineProvider({
        id: "thrower",
        languageModel: (_modelId, settings) => {
          throw new Error(`cannot connect with key ${settings.apiKey}`);
        },
      }),
      defineProvider({
        id: "careful",
        languageModel: () => {
          throw new ProfilekitError("missing_api_key", "No key.", { hint: "Set CAREFUL_KEY." });
        },
      }),
    ]);
    expect(registry.ids).toEqual(["liar", "thrower", "careful"]);
    expect(() => registry.languageModel("liar:m")).toThrow(
      expect.objectContaining({
        code: "invalid_provider_model",
        message: expect.stringMatching(/provider is "my-provider", not "liar"; modelId is "other", not "m"/),
      }),
    );
    const thrown = (() => {
      try {
        registry.languageModel("thrower:m", { apiKey: "secret-key-123456" });
      } catch (error) {
        return error as Error;
      }
    })();
    expect(thrown).toMatchObject({ code: "provider_failed" });
    expect(thrown?.message).not.toContain("secret-key-123456");
    expect(() => registry.languageModel("careful:m")).toThrow(
      expect.objectContaining({ code: "missing_api_key" }),
    );
  });

  it("the built-in providers are plugins like any other", () => {
    for (const plugin of BUILTIN_PROVIDERS) expect(isProviderPlugin(plugin)).toBe(true);
    expect(BUILTIN_PROVIDERS.map((plugin) => plugin.id)).toEqual([...PROVIDERS]);
  });
});
