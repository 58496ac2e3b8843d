import { clusterKeyOf, createRandom, groupKeyOf } from "@profilekit/core";
import type { CallOptions, GenerateObjectOptions, ModelClient } from "@profilekit/llm";
import {
  type ClusterLevel,
  type Pair,
  ProfilekitError,
  type PromptTemplate,
  type ResponseRecord,
} from "@profilekit/spec";
import { z } from "zod";
import { renderForPair } from "./prompt-rendering.js";
import { inputBlock, selfScorePrompt } from "./self-score-prompt.js";

/** Usage stages of the generation setting. */
export const GENERATE_STAGE = "generate";
const SELF_SCORE_STAGE = "self-score";

/**
 * An input of the generation setting: a distinct (source, prompt) of the
 * human pairs, so the model writes for what the humans judged. Its id is the
 * pairs' default resampling group (`input:<hash of source and prompt>`, as
 * core's groupKeyOf derives it; a dataset's own `group` is not used, since it
 * may join several inputs).
 */
export interface GenerationInput {
  readonly id: string;
  /**
   * The resampling cluster of the input's human pairs at the run's cluster level: the generated
   * pairs carry it as their `group`, so the generation profile is resampled by the same clusters
   * as the human one and the alignment can pair their draws.
   */
  readonly cluster: string;
  readonly task: string;
  readonly source?: string;
  readonly prompt?: string;
}

/** The distinct inputs of the pairs, in order of first appearance; the first `limit` when given. */
export function distinctInputs(
  pairs: readonly Pair[],
  options: { readonly limit?: number | undefined; readonly cluster: ClusterLevel },
): GenerationInput[] {
  const { limit } = options;
  const inputs = new Map<string, GenerationInput>();
  for (const pair of pairs) {
    if (pair.source === undefined && pair.prompt === undefined) {
      throw new ProfilekitError(
        "missing_input",
        `pair "${pair.id}" has neither a source nor a prompt: there is nothing to write for`,
        {
          location: { pairId: pair.id },
          hint: "generation writes responses to the pairs' inputs; map the source or prompt column with --map",
        },
      );
    }
    const id = groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt });
    if (inputs.has(id)) continue;
    if (limit !== undefined && inputs.size >= limit) break;
    inputs.set(id, {
      id,
      cluster: clusterKeyOf(pair, options.cluster),
      task: pair.task,
      ...(pair.source === undefined ? {} : { source: pair.source }),
      ...(pair.prompt === undefined ? {} : { prompt: pair.prompt }),
    });
  }
  return [...inputs.values()];
}

/** One generation call: a response to `input` aimed at `level` on the 1..levels scale. */
export interface GenerationCall {
  readonly input: GenerationInput;
  readonly level: number;
  readonly call: CallOptions & { readonly seed: number };
}

/** The seed sent with a generation call: drawn from the run's seed, the input and the level. */
export function generationSeed(seed: number, inputId: string, level: number): number {
  return createRandom(seed, `generate/${inputId}/${level}`).nextInt(2 ** 31 - 1);
}

/**
 * Every generation call, input by input and level by level, rendered before
 * anything is sent. Each level is its own sample (`sampleIndex` = level), so
 * each is cached apart.
 */
export function planGeneration(
  inputs: readonly GenerationInput[],
  template: PromptTemplate,
  options: { levels: number; seed: number },
): GenerationCall[][] {
  return inputs.map((input) =>
    Array.from({ length: options.levels }, (_, i) => {
      const level = i + 1;
      return {
        input,
        level,
        call: {
          messages: renderForPair(template, input, { level, levels: options.levels }),
          promptVersion: template.version,
          stage: GENERATE_STAGE,
          sampleIndex: level,
          seed: generationSeed(options.seed, input.id, level),
        },
      };
    }),
  );
}

/** The self-score answer: one whole number on the 1..levels scale. */
export function selfScoreSchema(levels: number) {
  return z.object({
    score: z.number().int().min(1).max(levels).describe(`The quality, from 1 (worst) to ${levels} (best).`),
  });
}

/** The self-score call for a response the model wrote. */
export function selfScoreCall(
  input: GenerationInput,
  response: string,
  schema: ReturnType<typeof selfScoreSchema>,
  levels: number,
): GenerateObjectOptions<ReturnType<typeof selfScoreSchema>> {
  return {
    schema,
    schemaName: "self_score",
    messages: renderForPair(selfScorePrompt, input, { input: inputBlock(input), response, levels }),
    promptVersion: selfScorePrompt.version,
    stage: SELF_SCORE_STAGE,
    temperature: 0,
  };
}

/**
 * Makes every generation call (and, with a self-check, scores each response);
 * calls run concurrently, bounded by the client. The records come back in the
 * plan's order, input by input and level by level.
 */
export async function generateResponses(
  plan: readonly (readonly GenerationCall[])[],
  client: ModelClient,
  options: { levels: number; selfCheck?: { delta: number }; signal?: AbortSignal },
  onResponse?: (done: number) => void,
): Promise<ResponseRecord[][]> {
  const schema = selfScoreSchema(options.levels);
  let done = 0;
  const one = async ({ input, level, call }: GenerationCall): Promise<ResponseRecord> => {
    const base = { inputId: input.id, level, seed: call.seed };
    options.signal?.throwIfAborted();
    const result = await client.generateText({
      ...call,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = result.ok ? result.value.trim() : null;
    if (text === null || text === "") {
      const error = result.ok ? "the model returned an empty response" : `${result.code}: ${result.error}`;
      return {
        ...base,
        text: null,
        status: "failed",
        ...(options.selfCheck ? { selfScore: null } : {}),
        error,
      };
    }
    if (!options.selfCheck) return { ...base, text, status: "kept" };
    const scored = await client.generateObject(selfScoreCall(input, text, schema, options.levels));
    if (!scored.ok) {
      return { ...base, text, status: "unscored", selfScore: null, error: `${scored.code}: ${scored.error}` };
    }
    const { score } = scored.value;
    const status = Math.abs(score - level) > options.selfCheck.delta ? "off-target" : "kept";
    return { ...base, text, status, selfScore: score };
  };
  return Promise.all(
    plan.map((calls) =>
      Promise.all(
        calls.map(async (call) => {
          const record = await one(call);
          onResponse?.(++done);
          return record;
        }),
      ),
    ),
  );
}

/**
 * The pairs of one input: every two kept responses, the one written for the
 * higher level preferred. Which of the two is `a` is a coin drawn from the
 * seed and the pair id, so the label is `a` about half the time and the
 * profile cannot be carried by position. Ids are `<input id>/<low>v<high>`.
 */
export function formPairs(
  input: GenerationInput,
  responses: readonly ResponseRecord[],
  seed: number,
): Pair[] {
  const kept = responses.filter((r) => r.status === "kept").sort((x, y) => x.level - y.level);
  const pairs: Pair[] = [];
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const low = kept[i]!;
      const high = kept[j]!;
      const id = `${input.id}/${low.level}v${high.level}`;
      const highFirst = createRandom(seed, `generate/pair/${id}`).nextInt(2) === 0;
      const [a, b] = highFirst ? [high, low] : [low, high];
      pairs.push({
        id,
        task: input.task,
        ...(input.source === undefined ? {} : { source: input.source }),
        ...(input.prompt === undefined ? {} : { prompt: input.prompt }),
        a: a.text!,
        b: b.text!,
        label: highFirst ? "a" : "b",
        group: input.cluster,
        meta: { levelA: a.level, levelB: b.level },
      });
    }
  }
  return pairs;
}
