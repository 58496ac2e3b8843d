import { z } from "zod";
import { ProfilekitError } from "./errors.js";
import {
  type LanguageModel,
  type StructuredOutputSupport,
  StructuredOutputSupportSchema,
} from "./language-model.js";
import { specificationVersion } from "./version.js";

/** A provider id is the prefix of its model ids (`my-provider:some-model`): kebab-case, no colon. */
export const ProviderIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "a provider id is kebab-case, e.g. my-provider");

/** What the caller asked of a model besides its name; a provider fills the gaps from `env`. */
export interface ProviderModelSettings {
  /** The endpoint the caller gave (a flag, the config); else the provider's own env var or default. */
  readonly baseURL: string | undefined;
  /** The key the caller gave; else the provider reads its own env var. Never log or store it. */
  readonly apiKey: string | undefined;
  /** How structured answers are to be obtained; undefined: the provider's default. */
  readonly structuredOutput: StructuredOutputSupport | undefined;
  /** Extra HTTP headers for every request. */
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Where the provider reads its environment variables (process.env unless a caller says otherwise). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A model provider, registered under its `id`: `createLanguageModel("<id>:<model>")` asks it
 * for the model named after the first colon (`llama3.1:8b` keeps its colon). A module
 * exporting one (its default export, or one of its `plugins`) can be listed in a config's
 * `plugins`. Build it with `defineProvider`.
 */
export interface ProviderPlugin {
  readonly specificationVersion: typeof specificationVersion;
  readonly id: string;
  /** For listings, e.g. "Mistral La Plateforme". */
  readonly title?: string;
  /**
   * The model, ready to call. The model's `provider` must be this plugin's `id` and its
   * `modelId` the name asked for. Throw a ProfilekitError (a missing key, a bad setting) with a
   * hint; make no request here.
   */
  languageModel(modelId: string, settings: ProviderModelSettings): LanguageModel;
}

const ProviderPluginSchema = z.object({
  specificationVersion: z.literal(specificationVersion, {
    error: (issue) =>
      `specificationVersion must be ${specificationVersion} (this profilekit hosts version ${specificationVersion}), got ${JSON.stringify(issue.input)}`,
  }),
  id: ProviderIdSchema,
  title: z.string().min(1).optional(),
  languageModel: z.custom<ProviderPlugin["languageModel"]>(
    (value) => typeof value === "function",
    "languageModel must be a function (modelId, settings) => LanguageModel",
  ),
});

/**
 * Whether a value is meant as a provider plugin: an object with a `languageModel` function
 * (as a factor plugin is one with `extract`). Check it with `parseProviderPlugin`.
 */
export function isProviderPlugin(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { languageModel?: unknown }).languageModel === "function"
  );
}

/** The plugin, checked; else an `invalid_provider_plugin` error listing what is wrong. */
export function parseProviderPlugin(value: unknown): ProviderPlugin {
  const result = ProviderPluginSchema.safeParse(value);
  if (result.success) return value as ProviderPlugin;
  const id = (value as { id?: unknown } | null)?.id;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
  );
  throw new ProfilekitError(
    "invalid_provider_plugin",
    `${typeof id === "string" ? `The provider plugin "${id}"` : "A provider plugin"} is invalid: ${problems.join("; ")}.`,
    {
      hint: 'Build it with defineProvider({ id: "my-provider", languageModel: (modelId, settings) => model }) from @profilekit/spec.',
    },
  );
}

/** A provider plugin from its id and model factory, checked and frozen. */
export function defineProvider(description: Omit<ProviderPlugin, "specificationVersion">): ProviderPlugin {
  return Object.freeze(parseProviderPlugin({ specificationVersion, ...description }));
}

/**
 * What is wrong with a model a provider returned, as sentences (empty when nothing is): the
 * LanguageModel contract, and that it is the model asked for, from this provider.
 */
export function languageModelProblems(
  value: unknown,
  expected: { readonly provider: string; readonly modelId: string },
): string[] {
  if (typeof value !== "object" || value === null) return ["it is not an object"];
  const model = value as Partial<Record<keyof LanguageModel, unknown>>;
  const problems: string[] = [];
  if (model.specificationVersion !== specificationVersion) {
    problems.push(
      `specificationVersion is ${String(model.specificationVersion)}, not ${specificationVersion}`,
    );
  }
  if (model.provider !== expected.provider) {
    problems.push(`provider is ${JSON.stringify(model.provider)}, not "${expected.provider}"`);
  }
  if (model.modelId !== expected.modelId) {
    problems.push(`modelId is ${JSON.stringify(model.modelId)}, not "${expected.modelId}"`);
  }
  if (model.baseURL !== undefined && typeof model.baseURL !== "string") {
    problems.push("baseURL is neither a string nor undefined");
  }
  if (!StructuredOutputSupportSchema.safeParse(model.structuredOutput).success) {
    problems.push(
      `structuredOutput is ${JSON.stringify(model.structuredOutput)}, not one of ${StructuredOutputSupportSchema.options.join(", ")}`,
    );
  }
  if (typeof model.generate !== "function") problems.push("generate is not a function");
  return problems;
}
