import { defineProvider, type ProviderModelSettings, type StructuredOutputSupport } from "@profilekit/spec";
import { ModelConfigurationError } from "../errors.js";
import { createAnthropicModel } from "./anthropic.js";
import { normalizeBaseURL, resolveApiKey } from "./credentials.js";
import { createOpenAIModel } from "./openai.js";

/** `openai:<model>`: OPENAI_API_KEY, OPENAI_BASE_URL (else api.openai.com); json-schema or text. */
export const openaiProvider = defineProvider({
  id: "openai",
  title: "OpenAI",
  languageModel(modelId, settings) {
    const baseURL = normalizeBaseURL(settings.baseURL ?? settings.env.OPENAI_BASE_URL);
    return createOpenAIModel({
      provider: "openai",
      modelId,
      baseURL,
      apiKey: resolveApiKey({
        provider: "openai",
        explicit: settings.apiKey,
        envVars: ["OPENAI_API_KEY"],
        baseURL,
        env: settings.env,
      }),
      structuredOutput: structuredOutputFor("openai", settings, ["json-schema", "text"]),
      headers: settings.headers,
      keyEnvVar: "OPENAI_API_KEY",
    });
  },
});

/**
 * `openai-compatible:<model>`: any chat-completions server (vLLM, llama.cpp, Ollama...). The
 * base URL is required (option, PROFILEKIT_BASE_URL or OPENAI_BASE_URL); the key comes from
 * PROFILEKIT_API_KEY or OPENAI_API_KEY and may be absent on localhost.
 */
export const openaiCompatibleProvider = defineProvider({
  id: "openai-compatible",
  title: "OpenAI-compatible server",
  languageModel(modelId, settings) {
    const baseURL = normalizeBaseURL(
      settings.baseURL ?? settings.env.PROFILEKIT_BASE_URL ?? settings.env.OPENAI_BASE_URL,
    );
    if (baseURL === undefined) {
      throw new ModelConfigurationError(
        "missing_base_url",
        `The model "openai-compatible:${modelId}" needs the server's base URL.`,
        {
          hint: "Set PROFILEKIT_BASE_URL (or OPENAI_BASE_URL), or pass baseURL, e.g. http://localhost:8000/v1.",
        },
      );
    }
    const envVars = ["PROFILEKIT_API_KEY", "OPENAI_API_KEY"];
    return createOpenAIModel({
      provider: "openai-compatible",
      modelId,
      baseURL,
      apiKey: resolveApiKey({
        provider: "openai-compatible",
        explicit: settings.apiKey,
        envVars,
        baseURL,
        env: settings.env,
      }),
      structuredOutput: structuredOutputFor("openai-compatible", settings, ["json-schema", "text"]),
      headers: settings.headers,
      keyEnvVar: envVars.join(" or "),
    });
  },
});

/** `anthropic:<model>`: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL (else api.anthropic.com); tool or text. */
export const anthropicProvider = defineProvider({
  id: "anthropic",
  title: "Anthropic",
  languageModel(modelId, settings) {
    const baseURL = normalizeBaseURL(settings.baseURL ?? settings.env.ANTHROPIC_BASE_URL);
    return createAnthropicModel({
      modelId,
      baseURL,
      apiKey: resolveApiKey({
        provider: "anthropic",
        explicit: settings.apiKey,
        envVars: ["ANTHROPIC_API_KEY"],
        baseURL,
        env: settings.env,
      }),
      structuredOutput: structuredOutputFor("anthropic", settings, ["tool", "text"]),
      headers: settings.headers,
    });
  },
});

/** The providers every registry starts with, in the order errors list them. */
export const BUILTIN_PROVIDERS = [openaiProvider, anthropicProvider, openaiCompatibleProvider] as const;

function structuredOutputFor<const Allowed extends StructuredOutputSupport>(
  provider: string,
  settings: ProviderModelSettings,
  allowed: readonly [Allowed, ...Allowed[]],
): Allowed {
  const requested = settings.structuredOutput;
  if (requested === undefined) return allowed[0];
  if ((allowed as readonly string[]).includes(requested)) return requested as Allowed;
  throw new ModelConfigurationError(
    "unsupported_structured_output",
    `Provider "${provider}" cannot do structured output "${requested}"; it supports ${allowed.join(" or ")}.`,
    { hint: `Set structuredOutput to ${allowed.join(" or ")}.` },
  );
}
