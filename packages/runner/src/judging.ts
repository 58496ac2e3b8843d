import { createRandom, labelAgreement, positionConsistency, unswapLabel } from "@profilekit/core";
import type { EstimateRequest, GenerateObjectOptions, ModelClient } from "@profilekit/llm";
import {
  type ChatMessage,
  type JudgeAgreement,
  type JudgeManifestAgreement,
  type JudgementRecord,
  type JudgeOrder,
  judgeChoices,
  judgeVerdicts,
  type Label,
  LabelSchema,
  type Pair,
  type PromptTemplate,
} from "@profilekit/spec";
import { z } from "zod";
import { renderForPair } from "./prompt-rendering.js";

/** The usage stage of judge calls. */
const JUDGE_STAGE = "judge";

export type Judgement = JudgementRecord;

/** What is sent for one pair: the call of each order, ready for the client (or its estimate). */
export interface JudgeCalls {
  readonly pair: Pair;
  readonly firstOrder: JudgeOrder;
  readonly calls: Readonly<Record<JudgeOrder, GenerateObjectOptions<VerdictSchema>>>;
}

type VerdictSchema = z.ZodObject<{ verdict: z.ZodEnum<Record<string, string>> }>;

/** The answer of a judge call: one verdict from `judgeVerdicts(allowTies)`, never parsed from free text. */
function verdictSchema(allowTies: boolean): VerdictSchema {
  const verdicts = judgeVerdicts(allowTies);
  return z.object({
    verdict: z
      .enum(verdicts as [string, ...string[]])
      .describe(
        '"a": response A is better; "b": response B is better' +
          (allowTies ? '; "tie": neither is better' : ""),
      ),
  }) as VerdictSchema;
}

/** The order asked first for a pair: a coin drawn from the seed and the pair id, never from call order. */
function firstOrderOf(seed: number, pairId: string): JudgeOrder {
  return createRandom(seed, `judge/${pairId}`).nextInt(2) === 0 ? "original" : "swapped";
}

/** The messages of the task's judge prompt for a pair shown in `order`. */
function judgeMessages(
  template: PromptTemplate,
  pair: Pair,
  order: JudgeOrder,
  allowTies: boolean,
): ChatMessage[] {
  const [a, b] = order === "original" ? [pair.a, pair.b] : [pair.b, pair.a];
  return renderForPair(template, pair, { a, b, choices: judgeChoices(allowTies) });
}

/**
 * Both calls of every pair, rendered before anything is sent, so a pair the
 * prompt cannot show fails the run before any spend, and --dry-run can price them.
 */
export function planJudgeCalls(
  pairs: readonly Pair[],
  template: PromptTemplate,
  options: { allowTies: boolean; seed: number },
): JudgeCalls[] {
  const schema = verdictSchema(options.allowTies);
  return pairs.map((pair) => {
    const call = (order: JudgeOrder): GenerateObjectOptions<VerdictSchema> => ({
      schema,
      schemaName: "verdict",
      messages: judgeMessages(template, pair, order, options.allowTies),
      promptVersion: template.version,
      stage: JUDGE_STAGE,
      // The order marker: the swapped order is cached apart even when a and b are the same text.
      sampleIndex: order === "swapped" ? 1 : 0,
      temperature: 0,
    });
    return {
      pair,
      firstOrder: firstOrderOf(options.seed, pair.id),
      calls: { original: call("original"), swapped: call("swapped") },
    };
  });
}

/** Every call of a plan, for `client.estimate`. */
export function judgeEstimateRequests(plan: readonly JudgeCalls[]): EstimateRequest[] {
  return plan.flatMap(({ calls }) => [calls.original, calls.swapped] as EstimateRequest[]);
}

/**
 * The model's label from its two verdicts: the verdict when both orders give
 * the same one (once the swapped verdict is turned back), a tie when they
 * disagree (the choice followed the position, not the texts), and none when
 * an order has no verdict: one order alone does not control position bias.
 */
function reconcileVerdicts(original: Label | null, swapped: Label | null): Label | null {
  if (original === null || swapped === null) return null;
  const turnedBack = unswapLabel(swapped);
  return original === turnedBack ? original : "tie";
}

/**
 * Asks every pair in both orders, the first order first, then the other;
 * pairs run concurrently (the client bounds the requests in flight). Results
 * come back in the pairs' order, whatever order the answers arrive in.
 */
export async function judgePairs(
  plan: readonly JudgeCalls[],
  client: ModelClient,
  onJudged?: (done: number) => void,
  signal?: AbortSignal,
): Promise<Judgement[]> {
  let done = 0;
  return Promise.all(
    plan.map(async ({ pair, firstOrder, calls }) => {
      const secondOrder: JudgeOrder = firstOrder === "original" ? "swapped" : "original";
      const verdicts: Record<JudgeOrder, Label | null> = { original: null, swapped: null };
      const errors: Partial<Record<JudgeOrder, string>> = {};
      for (const order of [firstOrder, secondOrder]) {
        signal?.throwIfAborted();
        const call: GenerateObjectOptions<VerdictSchema> = signal
          ? { ...calls[order], signal }
          : calls[order];
        const result = await client.generateObject(call);
        if (result.ok) verdicts[order] = LabelSchema.parse(result.value.verdict);
        else errors[order] = `${result.code}: ${result.error}`;
      }
      const label = reconcileVerdicts(verdicts.original, verdicts.swapped);
      onJudged?.(++done);
      return {
        pairId: pair.id,
        firstOrder,
        verdicts,
        label,
        consistent: label === null ? null : verdicts.original === unswapLabel(verdicts.swapped!),
        human: pair.label,
        ...(Object.keys(errors).length > 0 ? { errors } : {}),
      } satisfies Judgement;
    }),
  );
}

/**
 * Agreement of the model's labels with the human ones, over the pairs the
 * model labelled: profile.json's four figures, and the counts behind them for
 * manifest.json.
 */
export function judgeAgreement(judgements: readonly Judgement[]): {
  agreement: JudgeAgreement;
  detail: Omit<JudgeManifestAgreement, keyof JudgeAgreement>;
} {
  const labelled = judgements.filter((j): j is Judgement & { label: Label } => j.label !== null);
  const figures = labelAgreement(
    labelled.map((j) => j.human),
    labelled.map((j) => j.label),
  );
  const consistency = positionConsistency(judgements.map((j) => j.verdicts));
  return {
    agreement: {
      accuracy: figures.accuracyWithoutTies,
      kappa: figures.cohenKappa,
      positionConsistency: consistency.value,
      tieRate: figures.candidateTieRate,
    },
    detail: {
      pairs: figures.pairs,
      decisivePairs: figures.decisivePairs,
      accuracyWithTies: figures.accuracy,
      humanTieRate: figures.referenceTieRate,
      positionConsistencyPairs: consistency.pairs,
    },
  };
}

/** The pairs the model labelled (judgements are in the pairs' order), carrying its label instead of the human one. */
export function relabel(pairs: readonly Pair[], judgements: readonly Judgement[]): Pair[] {
  return pairs.flatMap((pair, i) => {
    const label = judgements[i]!.label;
    return label === null ? [] : [{ ...pair, label }];
  });
}
