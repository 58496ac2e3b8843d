import { z } from "zod";
import type { Manifestation } from "./manifestation.js";
import { signOfDifference } from "./manifestation.js";
import type { Pair } from "./pair.js";
import { specificationVersion } from "./version.js";

/** `rule`: computed by the plugin itself; `llm`: measured by a language model through the run's extractor. */
export const FactorMethodSchema = z.enum(["rule", "llm"]);
export type FactorMethod = z.infer<typeof FactorMethodSchema>;

/** `response`: a value per response, compared by sign. `pair`: the pair is judged as a whole. */
export const FactorLevelSchema = z.enum(["response", "pair"]);
export type FactorLevel = z.infer<typeof FactorLevelSchema>;

/** Inputs a factor reads besides the two responses. */
export const FactorInputSchema = z.enum(["source", "prompt"]);
export type FactorInput = z.infer<typeof FactorInputSchema>;

/**
 * What a model-extracted factor asks the model. It is data, versioned: a change
 * to the text must change `version`, and the version is part of every cache key.
 * - `count`: a non-negative integer per response (e.g. unsupported facts).
 * - `rating`: 1..5 per response (e.g. fluency).
 * - `percentage`: 0..100 per response (e.g. share of the source's key points covered).
 * - `comparison`: which response shows more of it: a, b or same.
 *
 * `instructions` name the inputs as "the source document", "the prompt" (the
 * question, instruction or dialogue), "the response" (response level), and
 * "response A" / "response B" (pair level); the runner presents them under those names.
 */
export const FactorOutputSchema = z.enum(["count", "rating", "percentage", "comparison"]);
export type FactorOutput = z.infer<typeof FactorOutputSchema>;

export const FactorPromptSchema = z.object({
  version: z.string().min(1),
  instructions: z.string().min(1),
  output: FactorOutputSchema,
});
export type FactorPrompt = z.infer<typeof FactorPromptSchema>;

/** The declarative part of a factor plugin, validated when it is registered. */
export const FactorMetadataSchema = z.object({
  specificationVersion: z.literal(specificationVersion),
  id: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "a factor id is kebab-case, e.g. source-coverage"),
  title: z.string().min(1),
  definition: z.string().min(1).describe("What more of this factor means."),
  method: FactorMethodSchema,
  level: FactorLevelSchema,
  tasks: z.array(z.string().min(1)).optional().describe("Tasks it applies to; all when absent."),
  requires: z.array(FactorInputSchema).optional(),
  reference: z.string().optional().describe("Where the measure comes from."),
  prompt: FactorPromptSchema.optional(),
});
export type FactorMetadata = z.infer<typeof FactorMetadataSchema>;

/**
 * Runs model-extracted factors. The runner provides one when a model is
 * configured; a factor with method `llm` delegates its extraction to it, so
 * several factors can share one call per pair (joint mode).
 */
export interface ModelFactorExtractor {
  extract(
    factors: readonly FactorPlugin[],
    pairs: readonly Pair[],
    options?: { signal?: AbortSignal },
  ): Promise<ReadonlyMap<string, readonly Manifestation[]>>;
}

/** What a factor receives beside the pairs. */
export interface FactorContext<Options = Record<string, unknown>> {
  /** The factor's options, already validated against its `options` schema. */
  readonly options: Options;
  /** The run's seed; randomness must be seeded by seed plus pair id. */
  readonly seed: number;
  readonly signal?: AbortSignal;
  /** Present when a model is configured. */
  readonly modelExtractor?: ModelFactorExtractor;
}

/**
 * A factor plugin: metadata plus `extract`, which returns one manifestation
 * per pair, in the order of `pairs`. Batches are small (hundreds of pairs);
 * a plugin must not keep pairs after it returns.
 */
export interface FactorPlugin<Options = any> extends FactorMetadata {
  /** Schema of the plugin's options; parsed once, at the edge. */
  readonly options?: z.ZodType<Options>;
  extract(
    pairs: readonly Pair[],
    context: FactorContext<Options>,
  ): Manifestation[] | Promise<Manifestation[]>;
}

type FactorDescription = Omit<FactorMetadata, "specificationVersion" | "method" | "level"> & {
  method?: FactorMethod;
};

/**
 * Defines a factor measured on each response separately: `measure` returns a
 * number (or null when it cannot be measured) and the sign is
 * sign(measure(a) - measure(b)). `prepare` runs once per pair, for work shared
 * by both sides (e.g. analysing the source).
 */
export function defineResponseFactor<Options = Record<string, never>, Prepared = undefined>(
  description: FactorDescription & {
    options?: z.ZodType<Options>;
    prepare?: (pair: Pair, options: Options) => Prepared;
    measure: (text: string, input: { pair: Pair; options: Options; prepared: Prepared }) => number | null;
  },
): FactorPlugin<Options> {
  const { measure, prepare, ...metadata } = description;
  return {
    specificationVersion,
    method: "rule",
    level: "response",
    ...metadata,
    extract(pairs, context) {
      return pairs.map((pair) => {
        try {
          const prepared = prepare ? prepare(pair, context.options) : (undefined as Prepared);
          const input = { pair, options: context.options, prepared };
          const valueA = measure(pair.a, input);
          const valueB = measure(pair.b, input);
          if (valueA === null || valueB === null) {
            return {
              pairId: pair.id,
              factor: metadata.id,
              valueA,
              valueB,
              sign: null,
              error: `${metadata.id} could not be measured on response ${valueA === null ? "a" : "b"}`,
            };
          }
          return {
            pairId: pair.id,
            factor: metadata.id,
            valueA,
            valueB,
            sign: signOfDifference(valueA, valueB),
          };
        } catch (error) {
          return {
            pairId: pair.id,
            factor: metadata.id,
            sign: null,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      });
    },
  };
}

/** Defines a factor that judges the pair as a whole: `compare` returns the sign directly. */
export function definePairFactor<Options = Record<string, never>>(
  description: FactorDescription & {
    options?: z.ZodType<Options>;
    compare: (pair: Pair, options: Options) => Omit<Manifestation, "pairId" | "factor">;
  },
): FactorPlugin<Options> {
  const { compare, ...metadata } = description;
  return {
    specificationVersion,
    method: "rule",
    level: "pair",
    ...metadata,
    extract(pairs, context) {
      return pairs.map((pair) => {
        try {
          return { pairId: pair.id, factor: metadata.id, ...compare(pair, context.options) };
        } catch (error) {
          return {
            pairId: pair.id,
            factor: metadata.id,
            sign: null,
            error: error instanceof Error ? error.message : String(error),
          };
        }
      });
    },
  };
}
