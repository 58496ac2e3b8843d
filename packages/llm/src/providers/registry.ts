import type { LanguageModel, StructuredOutputSupport } from "@profilekit/spec";
import { ModelConfigurationError } from "../errors.js";
import { createAnthropicModel } from "./anthropic.js";
import { normalizeBaseURL, resolveApiKey } from "./credentials.js";
import { createOpenAIModel } from "./openai.js";

export const PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface LanguageModelOptions {
  /** Else from the environment: OPENAI_API_KEY / ANTHROPIC_API_KEY (see README). */
  readonly apiKey?: string;
  /** Else from the environment: OPENAI_BASE_URL / ANTHROPIC_BASE_URL / PROFILEKIT_BASE_URL. */
  readonly baseURL?: string;
  /**
   * How structured answers are obtained. openai and openai-compatible:
   * 'json-schema' (default) or 'text'; anthropic: 'tool' (default) or 'text'.
   */
  readonly structuredOutput?: StructuredOutputSupport;
  /** Extra HTTP headers sent with every request (not part of the cache key). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Where env vars are read; process.env by default. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A model from its string id, `provider:model`:
 * - `openai:gpt-4o-mini` (OPENAI_API_KEY, OPENAI_BASE_URL)
 * - `anthropic:claude-sonnet-4-5` (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL)
 * - `openai-compatible:<model>`: any chat-completions server; the base URL is
 *   required (option, PROFILEKIT_BASE_URL or OPENAI_BASE_URL), the key comes
 *   from PROFILEKIT_API_KEY or OPENAI_API_KEY and may be absent on localhost.
 * The model name is everything after the first colon (`llama3.1:8b` is fine).
 */
export function createLanguageModel(id: string, options: LanguageModelOptions = {}): LanguageModel {
  const colon = id.indexOf(":");
  const provider = colon < 0 ? id : id.slice(0, colon);
  const modelId = colon < 0 ? "" : id.slice(colon + 1).trim();
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new ModelConfigurationError(
      "unknown_provider",
      `Unknown model provider "${provider}" in "${id}". Known providers: ${PROVIDERS.join(", ")}.`,
      { hint: "Write the model as provider:model, e.g. openai:gpt-4o-mini or anthropic:claude-sonnet-4-5." },
    );
  }
  if (modelId === "") {
    throw new ModelConfigurationError(
      "invalid_model_id",
      `The model id "${id}" names no model after "${provider}:".`,
      {
        hint: `Write it as ${provider}:<model>, e.g. openai:gpt-4o-mini.`,
      },
    );
  }
  const env = options.env ?? process.env;
  switch (provider as ProviderName) {
    case "openai": {
      const baseURL = normalizeBaseURL(options.baseURL ?? env.OPENAI_BASE_URL);
      return createOpenAIModel({
        provider: "openai",
        modelId,
        baseURL,
        apiKey: resolveApiKey({
          provider,
          explicit: options.apiKey,
          envVars: ["OPENAI_API_KEY"],
          baseURL,
          env,
        }),
        structuredOutput: structuredOutputFor(provider, options.structuredOutput, ["json-schema", "text"]),
        headers: options.headers,
        keyEnvVar: "OPENAI_API_KEY",
      });
    }
    case "openai-compatible": {
      const baseURL = normalizeBaseURL(options.baseURL ?? env.PROFILEKIT_BASE_URL ?? env.OPENAI_BASE_URL);
      if (baseURL === undefined) {
        throw new ModelConfigurationError(
          "missing_base_url",
          `The model "${id}" needs the server's base URL.`,
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
        apiKey: resolveApiKey({ provider, explicit: options.apiKey, envVars, baseURL, env }),
        structuredOutput: structuredOutputFor(provider, options.structuredOutput, ["json-schema", "text"]),
        headers: options.headers,
        keyEnvVar: envVars.join(" or "),
      });
    }
    case "anthropic": {
      const baseURL = normalizeBaseURL(options.baseURL ?? env.ANTHROPIC_BASE_URL);
      return createAnthropicModel({
        modelId,
        baseURL,
        apiKey: resolveApiKey({
          provider,
          explicit: options.apiKey,
          envVars: ["ANTHROPIC_API_KEY"],
          baseURL,
          env,
        }),
        structuredOutput: structuredOutputFor(provider, options.structuredOutput, ["tool", "text"]),
        headers: options.headers,
      });
    }
  }
}

function structuredOutputFor<const Allowed extends StructuredOutputSupport>(
  provider: string,
  requested: StructuredOutputSupport | undefined,
  allowed: readonly [Allowed, ...Allowed[]],
): Allowed {
  if (requested === undefined) return allowed[0];
  if ((allowed as readonly string[]).includes(requested)) return requested as Allowed;
  throw new ModelConfigurationError(
    "unsupported_structured_output",
    `Provider "${provider}" cannot do structured output "${requested}"; it supports ${allowed.join(" or ")}.`,
    { hint: `Set structuredOutput to ${allowed.join(" or ")}.` },
  );
}
