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

/** Inputs a model can be shown besides the responses: the source document and the prompt. */
export const FactorInputSchema = z.enum(["source", "prompt"]);
export type FactorInput = z.infer<typeof FactorInputSchema>;

/**
 * What a model-extracted factor asks the model. It is data, versioned: a change
 * to any field must change `version`, and the version is part of every cache key.
 * - `count`: a non-negative integer per response (e.g. unsupported facts).
 * - `rating`: 1..5 per response (e.g. fluency).
 * - `percentage`: 0..100 per response: the share of a checklist's items the response
 *   meets; the checklist is drawn up once per input (`checklist`), so every response of
 *   an input is marked against the same items (e.g. the source's key points).
 * - `comparison`: which response shows more of it: a, b or same.
 *
 * `instructions` name the inputs as "the source document", "the prompt" (the
 * question, instruction or dialogue), "the response" (response level), and
 * "response A" / "response B" (pair level); the runner presents them under those names.
 */
export const FactorOutputSchema = z.enum(["count", "rating", "percentage", "comparison"]);
export type FactorOutput = z.infer<typeof FactorOutputSchema>;

/**
 * A count read off the response's fact ledger: the response's atomic facts are listed once
 * per reading, and every ledger factor of the run labels each of them. Without `label`, every
 * fact counts (number-of-facts); with it, the facts this factor labels with a `counted` verdict.
 */
export const FactCountSchema = z.object({
  label: z
    .object({
      verdicts: z
        .array(z.string().min(1))
        .min(2)
        .describe("The verdicts a fact can get, in the order shown."),
      counted: z.array(z.string().min(1)).min(1).describe("The verdicts that count."),
    })
    .optional(),
});
export type FactCount = z.infer<typeof FactCountSchema>;

export const FactorPromptSchema = z
  .object({
    version: z.string().min(1),
    instructions: z.string().min(1),
    output: FactorOutputSchema,
    /** The inputs the model is shown besides the response(s), the same in every mode; none when absent. */
    inputs: z.array(FactorInputSchema).optional(),
    /** percentage only: how to draw up, from the inputs alone, the items each response is marked against. */
    checklist: z.string().min(1).optional(),
    /** count only: the count is read off the fact ledger rather than from items of the factor's own. */
    facts: FactCountSchema.optional(),
  })
  .superRefine((prompt, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if (prompt.output === "percentage" && prompt.checklist === undefined)
      problem("checklist", "a percentage prompt says how to draw up its checklist");
    if (prompt.output === "percentage" && (prompt.inputs ?? []).length === 0)
      problem("inputs", "a percentage prompt reads an input: its checklist is drawn up from the inputs");
    if (prompt.output !== "percentage" && prompt.checklist !== undefined)
      problem("checklist", "only a percentage prompt has a checklist");
    if (prompt.output !== "count" && prompt.facts !== undefined)
      problem("facts", "only a count prompt is read off the fact ledger");
    const inputs = prompt.inputs ?? [];
    if (new Set(inputs).size !== inputs.length) problem("inputs", "an input is listed twice");
    const label = prompt.facts?.label;
    if (label) {
      if (new Set(label.verdicts).size !== label.verdicts.length)
        problem("facts", "a verdict is listed twice");
      const stray = label.counted.find((verdict) => !label.verdicts.includes(verdict));
      if (stray !== undefined) problem("facts", `the counted verdict "${stray}" is not one of the verdicts`);
      if (label.counted.length === label.verdicts.length) problem("facts", "every verdict counts");
    }
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
  requires: z
    .array(FactorInputSchema)
    .optional()
    .describe("Inputs the factor cannot be measured without; a pair lacking one gets a null sign."),
  reference: z.string().optional().describe("Where the measure comes from."),
  prompt: FactorPromptSchema.optional(),
});
export type FactorMetadata = z.infer<typeof FactorMetadataSchema>;

/**
 * Runs model-extracted factors. The runner provides one when a model is
 * configured; a factor with method `llm` delegates its extraction to it, so
 * several factors can share one reading of each response, and one call per pair.
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
