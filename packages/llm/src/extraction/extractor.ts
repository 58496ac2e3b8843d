import { setImmediate } from "node:timers/promises";
import {
  type ChatMessage,
  type FactorPlugin,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  ProfilekitError,
  signOfDifference,
} from "@profilekit/spec";
import type { z } from "zod";
import type { ModelClient } from "../client.js";
import { ModelConfigurationError } from "../errors.js";
import {
  type AnswerLayout,
  acceptSchema,
  type FactorRead,
  type LayoutRead,
  layoutFactors,
  layoutFor,
  layoutSchema,
  mergeReads,
  readLayout,
  reaskLayout,
  type Side,
} from "./answer-layout.js";
import { ChecklistAnswerSchema, shapeOf } from "./answer-schemas.js";
import { type CallInputs, callInputs, DEFAULT_SOURCE_MAX_CHARS, missingInput } from "./inputs.js";
import {
  type CallShape,
  callPromptVersion,
  checklistMessages,
  checklistPromptVersion,
  type Order,
  readingMessages,
  type Shown,
} from "./messages.js";
import { ordersFor } from "./orders.js";
import { type Outcome, type Reconciled, reconcile } from "./reconcile.js";
import {
  type ExtractionMode,
  ExtractionModeSchema,
  type ExtractionRecord,
  inputKey,
  type ReadingRecord,
  type ResponseRef,
  responseRef,
} from "./records.js";
import { type ExtractionStats, ExtractionTally } from "./stats.js";

export interface ModelFactorExtractorOptions {
  /** The client every call goes through (cache, scheduler, retries, usage). */
  readonly client: ModelClient;
  /**
   * - `joint` (default): each distinct response is read once, in one call holding every
   *   response-level factor of the run; pair-level factors are asked per pair, in one call
   *   holding only them.
   * - `pair-joint`: one call per pair and order holds every factor, both responses in context.
   * - `per-factor`: one call per factor: per distinct response, or per pair and order.
   */
  readonly mode?: ExtractionMode;
  /** Ask every pair call in both orders. Default true. */
  readonly bothOrders?: boolean;
  /** Readings of each distinct response, averaged (joint and per-factor mode). Default 1. */
  readonly readings?: number;
  /** Longer sources are cut to their first `maxChars` characters. Default 24,000. */
  readonly sourceBudget?: { readonly maxChars: number };
  /** Decides the one order a pair is asked in when bothOrders is off (with the pair id). Default 0. */
  readonly seed?: number;
  /** Default 0. */
  readonly temperature?: number;
  /** Passed to every call; default: the provider's (4,096 for Anthropic). */
  readonly maxOutputTokens?: number;
  /**
   * Gets every checklist drawn up and every response reading (its fact ledger, checklist
   * marks and values), each once per extractor, for the run folder: every count can then be
   * checked against what it was counted from. Must not throw.
   */
  readonly onRecord?: (record: ExtractionRecord) => void;
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

/** A response-level factor's value on one response: the mean of its readings, or why none. */
type ResponseValue =
  | { readonly value: number; readonly samples: readonly number[] }
  | { readonly error: string };

/**
 * A checklist drawn up for one factor and input, or why none; `deferred`: left to a batch, so
 * the readings that mark against it wait for the next round rather than go without it.
 */
type Checklist =
  | { readonly items: readonly string[]; readonly input: string }
  | { readonly error: string; readonly deferred: boolean };

const noAnswer = (what: string, error: string) => `no valid answer for ${what}: ${error}`;

/**
 * Measures PROFILE's model-extracted factors (`defineModelFactor`) through a ModelClient.
 * Every call of an extract call is issued at once; the client's scheduler bounds the
 * concurrency. A factor whose answer fails (after the client's re-ask and one re-ask of the
 * failed parts, or with no answer after the retries) gets a null sign with the error; the other
 * factors of the call keep theirs. A value is never guessed.
 */
export function createModelFactorExtractor(
  options: ModelFactorExtractorOptions,
): ModelFactorExtractorWithStats {
  const { client } = options;
  const mode = options.mode ?? "joint";
  const bothOrders = options.bothOrders ?? true;
  const readings = options.readings ?? 1;
  const maxChars = options.sourceBudget?.maxChars ?? DEFAULT_SOURCE_MAX_CHARS;
  const seed = options.seed ?? 0;
  const temperature = options.temperature ?? 0;
  checkOptions(mode, readings, maxChars, seed, temperature, options.maxOutputTokens);
  const tally = new ExtractionTally(mode, bothOrders, readings, maxChars);
  const recorded = new Set<string>();
  // One schema object per layout: the client converts each schema to JSON Schema once.
  const schemas = new Map<string, { schema: z.ZodObject; accept: z.ZodType }>();

  function record(id: string, make: () => ExtractionRecord): void {
    if (!options.onRecord || recorded.has(id)) return;
    recorded.add(id);
    options.onRecord(make());
  }

  function schemasOf(layout: AnswerLayout) {
    const key = JSON.stringify([
      layout.sides,
      layoutFactors(layout).map((factor) => `${factor.id}\u0000${factor.prompt!.version}`),
      layout.ledger.map((factor) => factor.id),
      layout.givenFacts.map((facts) => facts.length),
      layout.checklists.map((entry) => entry.items.length),
    ]);
    let known = schemas.get(key);
    if (!known) {
      known = { schema: layoutSchema(layout), accept: acceptSchema(layout) };
      schemas.set(key, known);
    }
    return known;
  }

  async function ask(
    kind: "reading" | "pair" | "checklist" | "reask",
    schema: z.ZodObject,
    accept: z.ZodType,
    schemaName: string,
    messages: readonly ChatMessage[],
    promptVersion: string,
    sampleIndex: number,
    signal: AbortSignal | undefined,
  ) {
    const result = await client.generateObject({
      schema,
      accept,
      schemaName,
      messages,
      promptVersion,
      stage: EXTRACTION_STAGE,
      sampleIndex,
      temperature,
      maxOutputTokens: options.maxOutputTokens,
      signal,
    });
    tally.call(result, kind);
    return result;
  }

  /** A layout whose every factor failed with one error. */
  function failedRead(layout: AnswerLayout, error: string): LayoutRead {
    const reads = new Map<string, FactorRead>(
      layoutFactors(layout).map((factor) => [factor.id, { ok: false, error }]),
    );
    return {
      reads,
      evidence: layout.sides.map(() => ({ facts: undefined, marks: {} })),
      countMismatches: 0,
      repeatedFacts: 0,
    };
  }

  /**
   * One reading call, salvaged per factor: every part that validates is kept, and the parts
   * that are missing or invalid are asked again once, with a schema of just those.
   */
  async function readWithSalvage(call: {
    readonly shape: CallShape;
    readonly group: readonly FactorPlugin[];
    readonly layout: AnswerLayout;
    readonly inputs: CallInputs & { readonly removed: number };
    readonly shown: Shown;
    readonly sampleIndex: number;
    readonly signal: AbortSignal | undefined;
  }): Promise<LayoutRead> {
    const { shape, group, layout, inputs, shown, sampleIndex, signal } = call;
    const promptVersion = callPromptVersion(group, mode === "per-factor");
    const name = shape === "response" ? "response_reading" : shape === "pair" ? "pair_reading" : "pair_joint";
    tally.sourceCut(inputs.removed);
    const first = schemasOf(layout);
    const kind = shape === "response" ? "reading" : "pair";
    const answer = await ask(
      kind,
      first.schema,
      first.accept,
      name,
      readingMessages(shape, group, layout, inputs, shown, false),
      promptVersion,
      sampleIndex,
      signal,
    );
    if (!answer.ok) return failedRead(layout, answer.error);
    let read = readLayout(layout, answer.value);
    tally.consistency(read.countMismatches, read.repeatedFacts);
    const again = reaskLayout(layout, read);
    if (!again) return read;
    const second = schemasOf(again);
    tally.sourceCut(inputs.removed);
    const retry = await ask(
      "reask",
      second.schema,
      second.accept,
      name,
      readingMessages(shape, group, again, inputs, shown, true),
      promptVersion,
      sampleIndex,
      signal,
    );
    if (!retry.ok) {
      const failed = failedRead(again, `the re-ask of the failed parts got no valid answer: ${retry.error}`);
      return mergeReads(read, failed);
    }
    const reread = readLayout(again, retry.value);
    tally.consistency(reread.countMismatches, reread.repeatedFacts);
    tally.recovered([...reread.reads.values()].filter((entry) => entry.ok).length);
    read = mergeReads(read, reread);
    return read;
  }

  /** Everything memoised for one extract call: every pair of the batch shares these readings. */
  function session(signal: AbortSignal | undefined) {
    const checklists = new Map<string, Promise<Checklist>>();
    const responses = new Map<string, Promise<Map<string, ResponseValue>>>();
    const pairOf = (pair: Pair, order: Order): Shown =>
      order === "given" ? { a: pair.a, b: pair.b } : { a: pair.b, b: pair.a };

    function checklistFor(factor: FactorPlugin, pair: Pair): Promise<Checklist> {
      const inputs = callInputs([factor], pair, maxChars);
      const input = inputKey(inputs.source, inputs.prompt);
      const key = `${factor.id}\u0000${factor.prompt!.version}\u0000${input}`;
      let pending = checklists.get(key);
      if (!pending) {
        pending = (async (): Promise<Checklist> => {
          tally.sourceCut(inputs.removed);
          const promptVersion = checklistPromptVersion(factor);
          const result = await ask(
            "checklist",
            ChecklistAnswerSchema,
            ChecklistAnswerSchema,
            "checklist",
            checklistMessages(factor, inputs),
            promptVersion,
            0,
            signal,
          );
          if (!result.ok) {
            return {
              error: noAnswer(`the ${factor.id} checklist`, result.error),
              deferred: result.code === "deferred",
            };
          }
          const { items } = result.value as z.infer<typeof ChecklistAnswerSchema>;
          record(`checklist\u0000${key}`, () => ({
            kind: "checklist",
            factor: factor.id,
            input,
            promptVersion,
            items,
          }));
          return { items, input };
        })();
        checklists.set(key, pending);
      }
      return pending;
    }

    /** The checklists a group marks against; the factors whose checklist failed, with why. */
    async function checklistsOf(group: readonly FactorPlugin[], pair: Pair) {
      const items = new Map<string, readonly string[]>();
      const inputs = new Map<string, string>();
      const failed = new Map<string, string>();
      let deferred = false;
      for (const factor of group.filter((each) => shapeOf(each) === "checklist")) {
        const checklist = await checklistFor(factor, pair);
        if ("error" in checklist) {
          failed.set(factor.id, checklist.error);
          deferred ||= checklist.deferred;
        } else {
          items.set(factor.id, checklist.items);
          inputs.set(factor.id, checklist.input);
        }
      }
      return { items, inputs, failed, deferred };
    }

    function readingRecord(
      ref: ResponseRef,
      group: readonly FactorPlugin[],
      layout: AnswerLayout,
      read: LayoutRead,
      side: number,
      checklistInputs: ReadonlyMap<string, string>,
      extra: { reading: number; pairId?: string; order?: Order },
    ): ReadingRecord {
      const evidence = read.evidence[side]!;
      const values: Record<string, number | null> = {};
      const errors: Record<string, string> = {};
      for (const factor of layoutFactors(layout)) {
        const entry = read.reads.get(factor.id);
        if (entry?.ok && "values" in entry) values[factor.id] = entry.values[side]!;
        else {
          values[factor.id] = null;
          errors[factor.id] = entry && !entry.ok ? entry.error : "not read";
        }
      }
      return {
        kind: "reading",
        mode,
        response: ref,
        ...(extra.pairId === undefined ? {} : { pairId: extra.pairId, order: extra.order }),
        reading: extra.reading,
        promptVersion: callPromptVersion(group, mode === "per-factor"),
        factors: layoutFactors(layout).map((factor) => factor.id),
        ...(evidence.facts ? { facts: evidence.facts } : {}),
        checklists: Object.fromEntries(
          layout.checklists.map(({ factor, items }) => [
            factor.id,
            {
              input: checklistInputs.get(factor.id)!,
              marks: (evidence.marks[factor.id] ?? []).map((mark, i) => ({ item: items[i]!, ...mark })),
            },
          ]),
        ),
        values,
        errors,
      };
    }

    /** Joint and per-factor mode: a response's values for a group of response-level factors. */
    function readResponse(
      group: readonly FactorPlugin[],
      pair: Pair,
      text: string,
    ): Promise<Map<string, ResponseValue>> {
      const ref = responseRef(pair, text);
      const key = `${group.map((factor) => factor.id).join(",")}\u0000${ref.key}`;
      let pending = responses.get(key);
      if (!pending) {
        pending = (async () => {
          const { items, inputs: checklistInputs, failed, deferred } = await checklistsOf(group, pair);
          const values = new Map<string, ResponseValue>();
          for (const [id, error] of failed) values.set(id, { error });
          // A checklist left to a batch: the group is read whole in the next round, not without it now.
          if (deferred) return waiting(group, failed);
          const layout = layoutFor(
            group.filter((factor) => !failed.has(factor.id)),
            [undefined],
            items,
          );
          if (layoutFactors(layout).length === 0) return values;
          const inputs = callInputs(group, pair, maxChars);
          const reads = await Promise.all(
            Array.from({ length: readings }, (_, reading) =>
              readWithSalvage({
                shape: "response",
                group,
                layout,
                inputs,
                shown: { response: text },
                sampleIndex: reading,
                signal,
              }),
            ),
          );
          for (const [reading, read] of reads.entries()) {
            record(`reading\u0000${key}\u0000${reading}`, () =>
              readingRecord(ref, group, layout, read, 0, checklistInputs, { reading }),
            );
          }
          for (const factor of layoutFactors(layout)) {
            const samples: number[] = [];
            let error: string | undefined;
            for (const read of reads) {
              const entry = read.reads.get(factor.id);
              if (entry?.ok && "values" in entry) samples.push(entry.values[0]!);
              else error ??= entry && !entry.ok ? entry.error : "not read";
            }
            values.set(
              factor.id,
              error !== undefined
                ? { error: noAnswer(factor.id, error) }
                : { value: samples.reduce((sum, x) => sum + x, 0) / samples.length, samples },
            );
          }
          return values;
        })();
        responses.set(key, pending);
      }
      return pending;
    }

    /** Joint and per-factor mode: a pair's comparisons in one order. */
    async function readPair(group: readonly FactorPlugin[], pair: Pair, order: Order) {
      const layout = layoutFor(group, [], new Map());
      const read = await readWithSalvage({
        shape: "pair",
        group,
        layout,
        inputs: callInputs(group, pair, maxChars),
        shown: pairOf(pair, order),
        sampleIndex: order === "swapped" ? 1 : 0,
        signal,
      });
      return outcomesOf(layout, read, order);
    }

    /** Pair-joint mode: every factor of a pair in one order. */
    async function readPairJoint(group: readonly FactorPlugin[], pair: Pair, order: Order) {
      const { items, inputs: checklistInputs, failed, deferred } = await checklistsOf(group, pair);
      if (deferred) {
        return new Map<string, Outcome>(
          [...waiting(group, failed)].map(([id, value]) => [
            id,
            { order, error: (value as { error: string }).error },
          ]),
        );
      }
      const layout = layoutFor(
        group.filter((factor) => !failed.has(factor.id)),
        ["a", "b"],
        items,
      );
      const shown = pairOf(pair, order) as { a: string; b: string };
      const read = await readWithSalvage({
        shape: "pair-joint",
        group,
        layout,
        inputs: callInputs(group, pair, maxChars),
        shown,
        sampleIndex: order === "swapped" ? 1 : 0,
        signal,
      });
      if (
        layout.ledger.length + layout.checklists.length + layout.counts.length + layout.ratings.length >
        0
      ) {
        (["a", "b"] as Side[]).forEach((side, index) => {
          const ref = responseRef(pair, shown[side]);
          record(`pair-joint\u0000${pair.id}\u0000${order}\u0000${side}`, () =>
            readingRecord(ref, group, { ...layout, comparisons: [] }, read, index, checklistInputs, {
              reading: 0,
              pairId: pair.id,
              order,
            }),
          );
        });
      }
      const outcomes = outcomesOf(layout, read, order);
      for (const [id, error] of failed) outcomes.set(id, { order, error });
      return outcomes;
    }

    return { readResponse, readPair, readPairJoint };
  }

  /** A group whose reading waits for a checklist left to a batch: every factor without a value. */
  function waiting(group: readonly FactorPlugin[], failed: ReadonlyMap<string, string>) {
    return new Map<string, ResponseValue>(
      group.map((factor) => [
        factor.id,
        { error: failed.get(factor.id) ?? noAnswer(factor.id, "waiting for a checklist left to a batch") },
      ]),
    );
  }

  function outcomesOf(layout: AnswerLayout, read: LayoutRead, order: Order): Map<string, Outcome> {
    const outcomes = new Map<string, Outcome>();
    for (const factor of layoutFactors(layout)) {
      const entry = read.reads.get(factor.id);
      if (!entry?.ok) {
        const error = entry && !entry.ok ? entry.error : "not read";
        outcomes.set(factor.id, { order, error: noAnswer(`${factor.id} in the ${order} order`, error) });
      } else if ("answer" in entry) {
        outcomes.set(factor.id, { order, reading: { kind: "comparison", answer: entry.answer } });
      } else {
        outcomes.set(factor.id, {
          order,
          reading: { kind: "values", a: entry.values[0]!, b: entry.values[1]! },
        });
      }
    }
    return outcomes;
  }

  /** A response-level manifestation from the two responses' readings. */
  function fromResponses(
    pair: Pair,
    factor: FactorPlugin,
    a: ResponseValue | undefined,
    b: ResponseValue | undefined,
  ): Manifestation {
    for (const [side, value] of [
      ["a", a],
      ["b", b],
    ] as const) {
      if (!value || "error" in value) {
        return {
          pairId: pair.id,
          factor: factor.id,
          sign: null,
          error: `response ${side}: ${value && "error" in value ? value.error : "not read"}`,
        };
      }
    }
    const [readA, readB] = [a, b] as { value: number; samples: readonly number[] }[];
    return {
      pairId: pair.id,
      factor: factor.id,
      valueA: readA!.value,
      valueB: readB!.value,
      sign: signOfDifference(readA!.value, readB!.value),
      meta: {
        readFrom: "responses",
        responses: { a: responseRef(pair, pair.a).key, b: responseRef(pair, pair.b).key },
        ...(readings > 1 ? { readings: { a: readA!.samples, b: readB!.samples } } : {}),
      },
    };
  }

  async function extractPair(
    factors: readonly FactorPlugin[],
    pair: Pair,
    reader: ReturnType<typeof session>,
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
    const orders = ordersFor(pair.id, seed, bothOrders);
    const reconciled = (factor: FactorPlugin, outcomes: Outcome[]) =>
      results.set(factor.id, reconcile(pair.id, factor.id, outcomes as [Outcome] | [Outcome, Outcome]));

    if (mode === "pair-joint") {
      const calls = await Promise.all(orders.map((order) => reader.readPairJoint(measurable, pair, order)));
      for (const factor of measurable)
        reconciled(
          factor,
          calls.map((call) => call.get(factor.id)!),
        );
      return results;
    }
    const responseLevel = measurable.filter((factor) => factor.level === "response");
    const pairLevel = measurable.filter((factor) => factor.level === "pair");
    const groups = mode === "joint" ? [responseLevel] : responseLevel.map((factor) => [factor]);
    const pairGroups = mode === "joint" ? [pairLevel] : pairLevel.map((factor) => [factor]);
    await Promise.all([
      ...groups
        .filter((group) => group.length > 0)
        .map(async (group) => {
          const [a, b] = await Promise.all([
            reader.readResponse(group, pair, pair.a),
            reader.readResponse(group, pair, pair.b),
          ]);
          for (const factor of group) {
            results.set(factor.id, {
              manifestation: fromResponses(pair, factor, a.get(factor.id), b.get(factor.id)),
              consistent: undefined,
            });
          }
        }),
      ...pairGroups
        .filter((group) => group.length > 0)
        .map(async (group) => {
          const calls = await Promise.all(orders.map((order) => reader.readPair(group, pair, order)));
          for (const factor of group)
            reconciled(
              factor,
              calls.map((call) => call.get(factor.id)!),
            );
        }),
    ]);
    return results;
  }

  async function extract(
    factors: readonly FactorPlugin[],
    pairs: readonly Pair[],
    extractOptions: { signal?: AbortSignal } = {},
  ): Promise<ReadonlyMap<string, readonly Manifestation[]>> {
    const { signal } = extractOptions;
    const ordered = checkFactors(factors);
    signal?.throwIfAborted();
    const reader = session(signal);
    const byFactor = new Map(factors.map((factor) => [factor.id, new Array<Manifestation>(pairs.length)]));
    const measure = async (pair: Pair, index: number) => {
      const results = await extractPair(ordered, pair, reader);
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
  readings: number,
  maxChars: number,
  seed: number,
  temperature: number,
  maxOutputTokens: number | undefined,
): void {
  const modes = ExtractionModeSchema.options;
  const problems: [string, boolean, string][] = [
    [
      "mode",
      (modes as readonly string[]).includes(mode),
      `${modes.map((each) => `"${each}"`).join(", ")}, got ${JSON.stringify(mode)}`,
    ],
    [
      "readings",
      Number.isInteger(readings) && readings >= 1 && (readings === 1 || mode !== "pair-joint"),
      mode === "pair-joint"
        ? `1 in pair-joint mode (a pair's two orders are its readings), got ${readings}`
        : `a positive integer, got ${readings}`,
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
