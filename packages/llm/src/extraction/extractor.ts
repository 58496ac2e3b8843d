import { setImmediate } from "node:timers/promises";
import {
  type ChatMessage,
  type FactorInput,
  type FactorOutput,
  type FactorPlugin,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  ProfilekitError,
} from "@profilekit/spec";
import type { z } from "zod";
import type { ModelClient } from "../client.js";
import { ModelConfigurationError } from "../errors.js";
import {
  jointAnswerSchema,
  jointReading,
  outputOf,
  type Reading,
  responseValue,
  SINGLE_ANSWERS,
} from "./answer-schemas.js";
import { type CallInputs, cutSource, DEFAULT_SOURCE_MAX_CHARS, inputsRead, missingInput } from "./inputs.js";
import {
  comparisonMessages,
  jointMessages,
  jointPromptVersion,
  type Order,
  responseMessages,
  singlePromptVersion,
} from "./messages.js";
import { ordersFor } from "./orders.js";
import { type Outcome, type Reconciled, reconcile } from "./reconcile.js";
import { type ExtractionStats, ExtractionTally } from "./stats.js";

/** `joint`: one call per pair and order for all factors. `per-factor`: separate calls per factor. */
export type ExtractionMode = "joint" | "per-factor";

export interface ModelFactorExtractorOptions {
  /** The client every call goes through (cache, scheduler, retries, usage). */
  readonly client: ModelClient;
  /** Default `joint`. */
  readonly mode?: ExtractionMode;
  /** Ask every comparison (and, in joint mode, every call) in both orders. Default true. */
  readonly bothOrders?: boolean;
  /** Longer sources are cut to their first `maxChars` characters. Default 24,000. */
  readonly sourceBudget?: { readonly maxChars: number };
  /** Decides the one order a pair is asked in when bothOrders is off (with the pair id). Default 0. */
  readonly seed?: number;
  /** Default 0. */
  readonly temperature?: number;
  /** Passed to every call; default: the provider's (4,096 for Anthropic). */
  readonly maxOutputTokens?: number;
}

/** The run's model extractor, with what it did so far. */
export interface ModelFactorExtractorWithStats extends ModelFactorExtractor {
  /** Counts summed over every extract call so far (a copy). */
  stats(): ExtractionStats;
}

/** Pairs whose calls are prepared before the requests already issued get a turn of the event loop. */
const ISSUE_CHUNK = 16;

/** Stage label of every call, for the client's usage report. */
export const EXTRACTION_STAGE = "extract";

/** The answer schema and the promptVersion of a joint call, for one set of factors (in id order). */
interface JointPlan {
  readonly schema: z.ZodObject;
  readonly promptVersion: string;
}

/**
 * Measures PROFILE's model-extracted factors (`defineModelFactor`) through a
 * ModelClient. Every call of an extract call is issued at once; the client's
 * scheduler bounds the concurrency. A call that fails (still invalid after the
 * client's re-ask, or no answer after its retries) leaves a null sign with the
 * error: a value is never guessed.
 */
export function createModelFactorExtractor(
  options: ModelFactorExtractorOptions,
): ModelFactorExtractorWithStats {
  const { client } = options;
  const mode = options.mode ?? "joint";
  const bothOrders = options.bothOrders ?? true;
  const maxChars = options.sourceBudget?.maxChars ?? DEFAULT_SOURCE_MAX_CHARS;
  const seed = options.seed ?? 0;
  const temperature = options.temperature ?? 0;
  checkOptions(mode, maxChars, seed, temperature, options.maxOutputTokens);
  const tally = new ExtractionTally(mode, bothOrders, maxChars);
  // One schema object per factor set: the client converts each schema to JSON Schema once.
  const jointPlans = new Map<string, JointPlan>();

  function jointPlan(factors: readonly FactorPlugin[]): JointPlan {
    const key = factors.map((factor) => `${factor.id}\u0000${factor.prompt!.version}`).join("\u0001");
    let plan = jointPlans.get(key);
    if (!plan) {
      plan = { schema: jointAnswerSchema(factors), promptVersion: jointPromptVersion(factors) };
      jointPlans.set(key, plan);
    }
    return plan;
  }

  const failure = (error: string, what: string) => `no answer for ${what}: ${error}`;

  async function ask<S extends z.ZodType>(
    schema: S,
    schemaName: string,
    messages: readonly ChatMessage[],
    promptVersion: string,
    order: Order | undefined,
    signal: AbortSignal | undefined,
  ) {
    const result = await client.generateObject({
      schema,
      schemaName,
      messages,
      promptVersion,
      stage: EXTRACTION_STAGE,
      // The order marker: the swapped order is cached apart even when a and b are equal.
      sampleIndex: order === "swapped" ? 1 : 0,
      temperature,
      maxOutputTokens: options.maxOutputTokens,
      signal,
    });
    tally.call(result);
    return result;
  }

  function shown(pair: Pair, order: Order): [string, string] {
    return order === "given" ? [pair.a, pair.b] : [pair.b, pair.a];
  }

  async function jointCall(
    factors: readonly FactorPlugin[],
    inputs: CallInputs,
    pair: Pair,
    order: Order,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, Outcome>> {
    const plan = jointPlan(factors);
    const result = await ask(
      plan.schema,
      "factors",
      jointMessages(factors, inputs, ...shown(pair, order)),
      plan.promptVersion,
      order,
      signal,
    );
    const outcomes = new Map<string, Outcome>();
    for (const factor of factors) {
      if (!result.ok) {
        outcomes.set(factor.id, { order, error: failure(result.error, `the ${order} order`) });
        continue;
      }
      const reading = jointReading(factor, result.value[factor.id]);
      if (reading.kind === "values") tally.inconsistentAnswers(reading.inconsistent);
      outcomes.set(factor.id, { order, reading });
    }
    return outcomes;
  }

  /** Per-factor mode, response level: each response asked on its own, so order does not apply. */
  async function responseCalls(
    factor: FactorPlugin,
    output: Exclude<FactorOutput, "comparison">,
    inputs: CallInputs,
    pair: Pair,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const schema = SINGLE_ANSWERS[output];
    const promptVersion = singlePromptVersion(factor);
    const [answerA, answerB] = await Promise.all(
      [pair.a, pair.b].map((response) =>
        ask(schema, factor.id, responseMessages(factor, inputs, response), promptVersion, undefined, signal),
      ),
    );
    if (!answerA!.ok) return { order: undefined, error: failure(answerA!.error, "response a") };
    if (!answerB!.ok) return { order: undefined, error: failure(answerB!.error, "response b") };
    const valueA = responseValue(output, answerA!.value);
    const valueB = responseValue(output, answerB!.value);
    const reading: Reading = {
      kind: "values",
      a: valueA.value,
      b: valueB.value,
      inconsistent: Number(valueA.inconsistent) + Number(valueB.inconsistent),
    };
    tally.inconsistentAnswers(reading.inconsistent);
    return { order: undefined, reading };
  }

  /** Per-factor mode, pair level: one call per order. */
  async function comparisonCall(
    factor: FactorPlugin,
    inputs: CallInputs,
    pair: Pair,
    order: Order,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    const result = await ask(
      SINGLE_ANSWERS.comparison,
      factor.id,
      comparisonMessages(factor, inputs, ...shown(pair, order)),
      singlePromptVersion(factor),
      order,
      signal,
    );
    if (!result.ok) return { order, error: failure(result.error, `the ${order} order`) };
    return { order, reading: { kind: "comparison", answer: result.value.answer } };
  }

  async function extractPair(
    factors: readonly FactorPlugin[],
    reads: ReadonlyMap<FactorPlugin, ReadonlySet<FactorInput>>,
    pair: Pair,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, Reconciled>> {
    const results = new Map<string, Reconciled>();
    const measurable: FactorPlugin[] = [];
    for (const factor of factors) {
      const lacking = missingInput(factor, pair);
      if (lacking === undefined) measurable.push(factor);
      else {
        results.set(factor.id, {
          manifestation: {
            pairId: pair.id,
            factor: factor.id,
            sign: null,
            error: `the pair has no ${lacking}, which ${factor.id} requires`,
          },
          consistent: undefined,
        });
      }
    }
    if (measurable.length === 0) return results;

    const source = pair.source ? cutSource(pair.source, maxChars) : undefined;
    const inputsFor = (group: readonly FactorPlugin[]): CallInputs => {
      const read = new Set(group.flatMap((factor) => [...reads.get(factor)!]));
      return {
        source: read.has("source") ? source?.text : undefined,
        prompt: read.has("prompt") && pair.prompt ? pair.prompt : undefined,
      };
    };
    if (source && measurable.some((factor) => reads.get(factor)!.has("source"))) {
      tally.sourceCut(source.removed);
    }

    const orders = ordersFor(pair.id, seed, bothOrders);
    if (mode === "joint") {
      const inputs = inputsFor(measurable);
      const calls = await Promise.all(
        orders.map((order) => jointCall(measurable, inputs, pair, order, signal)),
      );
      for (const factor of measurable) {
        const outcomes = calls.map((call) => call.get(factor.id)!) as [Outcome] | [Outcome, Outcome];
        results.set(factor.id, reconcile(pair.id, factor.id, outcomes));
      }
      return results;
    }
    await Promise.all(
      measurable.map(async (factor) => {
        const inputs = inputsFor([factor]);
        const output = outputOf(factor);
        const outcomes: [Outcome] | [Outcome, Outcome] =
          output !== "comparison"
            ? [await responseCalls(factor, output, inputs, pair, signal)]
            : ((await Promise.all(
                orders.map((order) => comparisonCall(factor, inputs, pair, order, signal)),
              )) as [Outcome] | [Outcome, Outcome]);
        results.set(factor.id, reconcile(pair.id, factor.id, outcomes));
      }),
    );
    return results;
  }

  async function extract(
    factors: readonly FactorPlugin[],
    pairs: readonly Pair[],
    extractOptions: { signal?: AbortSignal } = {},
  ): Promise<ReadonlyMap<string, readonly Manifestation[]>> {
    const { signal } = extractOptions;
    const ordered = checkFactors(factors);
    const reads = new Map(ordered.map((factor) => [factor, inputsRead(factor)]));
    signal?.throwIfAborted();
    const byFactor = new Map(factors.map((factor) => [factor.id, new Array<Manifestation>(pairs.length)]));
    const measure = async (pair: Pair, index: number) => {
      const results = await extractPair(ordered, reads, pair, signal);
      for (const [factor, { manifestation, consistent }] of results) {
        byFactor.get(factor)![index] = manifestation;
        tally.manifestation(factor, manifestation.sign === null, consistent);
      }
    };
    const pending: Promise<void>[] = [];
    for (const [index, pair] of pairs.entries()) {
      // Every call is issued without waiting for answers, but the first ones go out while the rest
      // are prepared: preparing a call (messages, cache key and look-up) takes a fraction of a
      // millisecond, so a batch of a thousand would otherwise hold back every request for a while.
      if (index > 0 && index % ISSUE_CHUNK === 0) {
        await setImmediate();
        signal?.throwIfAborted();
      }
      const done = measure(pair, index);
      done.catch(() => {}); // handled by Promise.all below; this keeps the wait above from seeing it unhandled
      pending.push(done);
    }
    await Promise.all(pending);
    return byFactor;
  }

  return { extract, stats: () => tally.snapshot() };
}

/** The factors in id order, each checked to be a model factor with a prompt; ids must be unique. */
function checkFactors(factors: readonly FactorPlugin[]): FactorPlugin[] {
  const seen = new Set<string>();
  for (const factor of factors) {
    if (seen.has(factor.id)) {
      throw new ProfilekitError(
        "duplicate_factor",
        `factor "${factor.id}" was given twice to the model extractor`,
        {
          location: { factor: factor.id },
          hint: "pass each factor once",
        },
      );
    }
    seen.add(factor.id);
    const output = factor.prompt?.output;
    const expectedLevel = output === "comparison" ? "pair" : "response";
    if (factor.method !== "llm" || output === undefined || factor.level !== expectedLevel) {
      throw new ProfilekitError(
        "invalid_factor",
        `factor "${factor.id}" is not a model-extracted factor the extractor can measure (method ${factor.method}, level ${factor.level}, output ${output ?? "none"})`,
        {
          location: { factor: factor.id },
          hint: "define it with defineModelFactor from @profilekit/spec, which gives it method llm and a versioned prompt",
        },
      );
    }
  }
  return [...factors].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

function checkOptions(
  mode: string,
  maxChars: number,
  seed: number,
  temperature: number,
  maxOutputTokens: number | undefined,
): void {
  const problems: [string, boolean, string][] = [
    [
      "mode",
      mode === "joint" || mode === "per-factor",
      `"joint" or "per-factor", got ${JSON.stringify(mode)}`,
    ],
    [
      "sourceBudget.maxChars",
      Number.isInteger(maxChars) && maxChars > 0,
      `a positive integer, got ${maxChars}`,
    ],
    ["seed", Number.isSafeInteger(seed), `an integer, got ${seed}`],
    ["temperature", Number.isFinite(temperature) && temperature >= 0, `a number ≥ 0, got ${temperature}`],
    [
      "maxOutputTokens",
      maxOutputTokens === undefined || (Number.isInteger(maxOutputTokens) && maxOutputTokens > 0),
      `a positive integer, got ${maxOutputTokens}`,
    ],
  ];
  for (const [field, valid, expected] of problems) {
    if (!valid) {
      throw new ModelConfigurationError(
        "invalid_option",
        `The extractor option ${field} must be ${expected}.`,
        {
          location: { field },
        },
      );
    }
  }
}
