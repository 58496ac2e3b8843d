import {
  type LanguageModel,
  languageModelProblems,
  type ProviderPlugin,
  ProfilekitError,
  parseProviderPlugin,
  type StructuredOutputSupport,
} from "@profilekit/spec";
import { ModelConfigurationError } from "../errors.js";
import { redactSecrets } from "../redact.js";
import { BUILTIN_PROVIDERS } from "./builtin.js";

/** The built-in provider ids. */
export const PROVIDERS = ["openai", "anthropic", "openai-compatible"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export interface LanguageModelOptions {
  /** Else from the provider's environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY...). */
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
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The providers model ids are resolved in; default: the built-in ones. */
  readonly registry?: ProviderRegistry;
}

/**
 * Providers by id, the prefix of a model id: `createLanguageModel("<id>:<model>")`
 * asks the provider registered under `<id>` for the model named after the first
 * colon. A registry starts with openai, anthropic and openai-compatible
 * (`createProviderRegistry`); `register` adds a provider plugin, such as one a
 * config's `plugins` exports.
 */
export class ProviderRegistry {
  readonly #providers = new Map<string, ProviderPlugin>();

  /** A registry holding exactly these plugins; most callers want createProviderRegistry. */
  constructor(plugins: Iterable<unknown> = []) {
    for (const plugin of plugins) this.register(plugin);
  }

  /**
   * Adds a provider plugin, checked (`invalid_provider_plugin`); an id already
   * registered is `duplicate_provider`. Returns the plugin.
   */
  register(value: unknown): ProviderPlugin {
    const plugin = parseProviderPlugin(value);
    if (this.#providers.has(plugin.id)) {
      throw new ModelConfigurationError(
        "duplicate_provider",
        `A provider "${plugin.id}" is already registered.`,
        { hint: "Give the provider another id, or register it once." },
      );
    }
    this.#providers.set(plugin.id, plugin);
    return plugin;
  }

  get(id: string): ProviderPlugin | undefined {
    return this.#providers.get(id);
  }

  /** The registered ids, in registration order. */
  get ids(): string[] {
    return [...this.#providers.keys()];
  }

  /**
   * The model `<provider>:<model>`. An unknown prefix is `unknown_provider`,
   * listing the registered ones; what the provider returns is checked against
   * the LanguageModel contract (`invalid_provider_model`).
   */
  languageModel(id: string, options: Omit<LanguageModelOptions, "registry"> = {}): LanguageModel {
    const colon = id.indexOf(":");
    const prefix = colon < 0 ? id : id.slice(0, colon);
    const modelId = colon < 0 ? "" : id.slice(colon + 1).trim();
    const plugin = this.#providers.get(prefix);
    if (!plugin) {
      throw new ModelConfigurationError(
        "unknown_provider",
        `Unknown model provider "${prefix}" in "${id}". Registered providers: ${this.ids.join(", ")}.`,
        {
          hint: "Write the model as provider:model, e.g. openai:gpt-4o-mini or anthropic:claude-sonnet-4-5; a provider from a package is registered by listing it in the config's plugins.",
        },
      );
    }
    if (modelId === "") {
      throw new ModelConfigurationError(
        "invalid_model_id",
        `The model id "${id}" names no model after "${prefix}:".`,
        { hint: `Write it as ${prefix}:<model>, e.g. openai:gpt-4o-mini.` },
      );
    }
    let model: LanguageModel;
    try {
      model = plugin.languageModel(modelId, {
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        structuredOutput: options.structuredOutput,
        headers: options.headers,
        env: options.env ?? process.env,
      });
    } catch (error) {
      if (error instanceof ProfilekitError) throw error;
      const detail = redactSecrets(error instanceof Error ? error.message : String(error), [options.apiKey]);
      throw new ModelConfigurationError(
        "provider_failed",
        `The provider "${prefix}" could not make the model "${modelId}": ${detail}`,
        { hint: `Check the settings the provider "${prefix}" needs (its documentation names them).` },
      );
    }
    const problems = languageModelProblems(model, { provider: prefix, modelId });
    if (problems.length > 0) {
      throw new ModelConfigurationError(
        "invalid_provider_model",
        `The provider "${prefix}" returned an invalid model for "${modelId}": ${problems.join("; ")}.`,
        {
          hint: "A provider's languageModel must return a LanguageModel (see @profilekit/spec) for the name asked.",
        },
      );
    }
    return model;
  }
}

/** A registry with the built-in providers (openai, anthropic, openai-compatible), then `plugins`. */
export function createProviderRegistry(plugins: Iterable<unknown> = []): ProviderRegistry {
  return new ProviderRegistry([...BUILTIN_PROVIDERS, ...plugins]);
}

const builtins = createProviderRegistry();

/**
 * A model from its string id, `provider:model`, resolved in `options.registry`
 * (default: the built-in providers):
 * - `openai:gpt-4o-mini` (OPENAI_API_KEY, OPENAI_BASE_URL)
 * - `anthropic:claude-sonnet-4-5` (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL)
 * - `openai-compatible:<model>`: any chat-completions server; the base URL is
 *   required (option, PROFILEKIT_BASE_URL or OPENAI_BASE_URL), the key comes
 *   from PROFILEKIT_API_KEY or OPENAI_API_KEY and may be absent on localhost.
 * The model name is everything after the first colon (`llama3.1:8b` is fine).
 */
export function createLanguageModel(id: string, options: LanguageModelOptions = {}): LanguageModel {
  const { registry = builtins, ...rest } = options;
  return registry.languageModel(id, rest);
}
