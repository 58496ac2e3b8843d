import { createRandom } from "@profilekit/core";
import type { ModelClient } from "@profilekit/llm";
import { type GenerationInput, renderForPair } from "@profilekit/runner/stage-kit";
import type { FactorPlugin, PromptTemplate, ResponseRecord } from "@profilekit/spec";
import { critiqueCall, critiqueSchema, REVISE_STAGE, revisionGuidance } from "./critique.js";
import { revisionGuidancePrompt } from "./prompts.js";

/** How the feedback loop runs. */
export interface FeedbackOptions {
  /** The task's guidance prompt: revise {{response}} following {{guidance}}. */
  readonly template: PromptTemplate;
  /** The factors the critique goes through (their ids and definitions). */
  readonly factors: readonly FactorPlugin[];
  readonly levels: number;
  /** The most critique-and-revise rounds per response. */
  readonly rounds: number;
  readonly seed: number;
  readonly signal?: AbortSignal | undefined;
}

/** The seed of revision `round` of an input's response at `level`: from the run's seed and those, never call order. */
function revisionSeed(seed: number, inputId: string, level: number, round: number): number {
  return createRandom(seed, `revise/${inputId}/${level}/${round}`).nextInt(2 ** 31 - 1);
}

/** The revision call's prompt version: the task's guidance prompt's and refine's guidance text's. */
export const revisionPromptVersion = (guidanceVersion: string) =>
  `${guidanceVersion}+${revisionGuidancePrompt.version}`;

/**
 * Self-refinement of every first draft: the evaluator critiques the draft against the level it
 * was written for, factor by factor (`critique@1`, a structured verdict); unless it meets its
 * target, the writer revises it following the critique (the task's guidance prompt); and so on,
 * up to `rounds` critiques. Every round is kept: round 0 is the draft, and each record carries the
 * critique of its text; the last text is `kept`, the ones it replaced `revised`. A critique that
 * fails ends the loop on the text it was asked about; a revision that fails (or comes back
 * empty) is recorded as `failed`, and the text before it stays the final one. Drafts run
 * concurrently (the clients bound the requests in flight); each loop runs in order.
 */
export async function refineResponses(
  inputs: readonly GenerationInput[],
  drafts: readonly (readonly ResponseRecord[])[],
  models: { readonly writer: ModelClient; readonly evaluator: ModelClient },
  options: FeedbackOptions,
  onRefined?: (done: number) => void,
): Promise<ResponseRecord[][]> {
  const schema = critiqueSchema(options.factors.map((f) => f.id));
  const { signal } = options;
  let done = 0;
  const refine = async (input: GenerationInput, draft: ResponseRecord): Promise<ResponseRecord[]> => {
    const rounds: ResponseRecord[] = [{ ...draft, round: 0 }];
    if (draft.status !== "kept" || draft.text === null) return rounds;
    const target = { level: draft.level, levels: options.levels };
    let text = draft.text;
    for (let round = 1; round <= options.rounds; round++) {
      signal?.throwIfAborted();
      const last = rounds.length - 1;
      const critique = await models.evaluator.generateObject({
        ...critiqueCall(input, text, target, options.factors, schema),
        ...(signal ? { signal } : {}),
      });
      if (!critique.ok) {
        rounds[last] = { ...rounds[last]!, critique: null, error: `${critique.code}: ${critique.error}` };
        break;
      }
      rounds[last] = { ...rounds[last]!, critique: critique.value };
      if (critique.value.meetsTarget) break;
      const seed = revisionSeed(options.seed, input.id, draft.level, round);
      const revised = await models.writer.generateText({
        messages: renderForPair(options.template, input, {
          response: text,
          guidance: revisionGuidance(critique.value, target, options.factors),
        }),
        promptVersion: revisionPromptVersion(options.template.version),
        stage: REVISE_STAGE,
        sampleIndex: draft.level,
        seed,
        ...(signal ? { signal } : {}),
      });
      const revisedText = revised.ok ? revised.value.trim() : "";
      const base = { inputId: input.id, level: draft.level, seed, round };
      if (revisedText === "") {
        const error = revised.ok
          ? "the model returned an empty revision"
          : `${revised.code}: ${revised.error}`;
        rounds.push({ ...base, text: null, status: "failed", error });
        break;
      }
      rounds[last] = { ...rounds[last]!, status: "revised" };
      rounds.push({ ...base, text: revisedText, status: "kept" });
      text = revisedText;
    }
    return rounds;
  };
  return Promise.all(
    inputs.map(async (input, i) => {
      const refined = await Promise.all(drafts[i]!.map((draft) => refine(input, draft)));
      done += refined.length;
      onRefined?.(done);
      return refined.flat();
    }),
  );
}
