import {
  defaultBootstrap,
  defaultPermutations,
  KendallVariantSchema,
  PluginRegistry,
} from "@profilekit/core";
import { getPreset, ReadPairsOptionsSchema } from "@profilekit/data";
import {
  ClusterLevelSchema,
  type ClusterLevel,
  type FactorPlugin,
  type Pair,
  ProfilekitError,
} from "@profilekit/spec";
import { z } from "zod";
import { BatchOptionSchema } from "./batch-rounds.js";
import { formatFieldPath } from "./field-path.js";
import { CacheSpecSchema, ModelSpecSchema, ProvidersSchema } from "./model-spec.js";
import { MaxFailuresSchema } from "./stage-guard.js";
import { ExtractionSettingsSchema } from "./model-extraction.js";

// The fields every stage request shares. A request is parsed once, at the library's edge, by its
// stage's zod schema; the CLI's flags and a profilekit.config.ts both become such a request.

/** How a profile is scored: the Kendall variant reported as tau, B, R and the seed of every draw. */
export const ScoringSchema = z.strictObject({
  variant: KendallVariantSchema.default("tau14"),
  bootstrap: z
    .int()
    .min(0)
    .max(1_000_000)
    .default(defaultBootstrap)
    .describe("B, bootstrap replicates (0: no CI)."),
  permutations: z
    .int()
    .min(0)
    .max(1_000_000)
    .default(defaultPermutations)
    .describe("R, sign-flip replicates (0: no p-value)."),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1)
    .describe("Seed of every random choice (orders, coins, resampling)."),
});
export type Scoring = z.output<typeof ScoringSchema>;

const isIterable = (value: unknown): value is Iterable<Pair> | AsyncIterable<Pair> =>
  typeof value === "object" &&
  value !== null &&
  (Symbol.iterator in value || Symbol.asyncIterator in value) &&
  typeof value !== "string";

/** The pairs of a stage: a file (or dataset folder, with a preset), an array, or any (async) iterable of Pair. */
export const PairsInputSchema = z.union([
  z.string().min(1),
  z.custom<Iterable<Pair> | AsyncIterable<Pair>>(isIterable, {
    message: "pairs must be a file path, an array of pairs, or an (async) iterable of pairs",
  }),
]);

const isFactorPlugin = (value: unknown): value is FactorPlugin =>
  typeof value === "object" && value !== null && typeof (value as FactorPlugin).extract === "function";

/** A factor: a registered id, or a factor plugin object (defineResponseFactor, definePairFactor, ...). */
const FactorRefSchema = z.union([
  z.string().min(1),
  z.custom<FactorPlugin>(isFactorPlugin, { message: "a factor is an id or a factor plugin (with extract)" }),
]);
export type FactorRef = z.output<typeof FactorRefSchema>;

const isRegistry = (value: unknown): value is PluginRegistry => value instanceof PluginRegistry;

/** Fields of every stage that measures factors on pairs. */
export const FactorStageFields = {
  /** How a file of pairs is read (preset, format, mapping, labels, onInvalid, task). */
  read: ReadPairsOptionsSchema.omit({ seed: true }).optional(),
  factors: z.array(FactorRefSchema).min(1).optional(),
  /** Options per factor id, each validated by the factor's own schema, e.g. { length: { unit: "chars" } }. */
  factorOptions: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** The model that measures the model-extracted factors. */
  extractor: ModelSpecSchema.optional(),
  extraction: ExtractionSettingsSchema.default({
    mode: "joint",
    readings: 1,
    bothOrders: true,
    sourceBudget: 24_000,
  }),
  cache: CacheSpecSchema,
  /** The share of model calls that may fail before the stage fails (default 5%). */
  maxFailures: MaxFailuresSchema,
  /** Where the providers of model ids are found (default: openai, anthropic, openai-compatible). */
  providers: ProvidersSchema.optional(),
  /**
   * The resampling unit: pairs with the same key are resampled together (docs/methodology.md: the
   * coarsest level of dependence). Default: the dataset preset's natural level, else `auto` (the
   * pair's group, else its source and prompt).
   */
  cluster: ClusterLevelSchema.optional(),
  /** The run folder; without it nothing is written. */
  out: z.string().min(1).optional(),
  /** Where factor ids and tasks are looked up; default: the built-in factors and tasks. */
  registry: z.custom<PluginRegistry>(isRegistry, { message: "registry must be a PluginRegistry" }).optional(),
  signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal).optional(),
  /** Batch mode (off, submit, wait, export to a file), or a BatchQueue shared with other stages. */
  batch: BatchOptionSchema.optional(),
  ...ScoringSchema.shape,
};

/** Parses a stage request, naming every invalid field in one error. */
export function parseRequest<S extends z.ZodType>(schema: S, request: unknown, stage: string): z.output<S> {
  const parsed = schema.safeParse(request);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => {
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
    return `${formatFieldPath(path) || "(the request)"}: ${issue.message}`;
  });
  throw new ProfilekitError("invalid_option", `invalid ${stage} request: ${issues.join("; ")}`, {
    hint: `see docs/library.md for the fields of ${stage}()`,
  });
}

/** The cluster level of a request: the one asked for, else the preset's natural level, else `auto`. */
export function clusterLevelOf(request: {
  readonly cluster?: ClusterLevel | undefined;
  readonly read?: { readonly preset?: string | undefined } | undefined;
}): ClusterLevel {
  if (request.cluster !== undefined) return request.cluster;
  const preset = request.read?.preset;
  return preset === undefined ? "auto" : getPreset(preset).clusterLevel;
}
