import type { GenerationInput } from "@profilekit/runner/stage-kit";
import type { ChatMessage, JudgementRecord, Label, Pair, SampleJudgement } from "@profilekit/spec";
import type { CompletionRecord, PreferenceRecord, TrainingRecords } from "./export/training-records.js";

/** A judged pair whose two orders agreed: the pair, and the evaluator's label of it. */
export interface JudgedPair {
  readonly pair: Pair;
  readonly label: "a" | "b";
}

const answer = (content: string): ChatMessage[] => [{ role: "assistant", content }];
const sampleOf = (pair: Pair, side: "a" | "b") => pair.meta![side === "a" ? "sampleA" : "sampleB"] as number;
const levelOf = (pair: Pair, side: "a" | "b") => pair.meta![side === "a" ? "levelA" : "levelB"] as number;

/** judgements.jsonl of self-data: the verdicts without a human label, with the samples and their levels. */
export function sampleJudgements(
  pairs: readonly Pair[],
  judgements: readonly JudgementRecord[],
): SampleJudgement[] {
  return judgements.map(({ human: _none, ...judgement }, i) => {
    const pair = pairs[i]!;
    return {
      ...judgement,
      samples: { a: sampleOf(pair, "a"), b: sampleOf(pair, "b") },
      levels: { a: levelOf(pair, "a"), b: levelOf(pair, "b") },
    };
  });
}

/**
 * The training data of self-data, from the evaluator alone (never from the levels the samples
 * were written for, which carry the generator's own, misaligned, preference):
 *
 * - preference: every pair whose two orders agreed, chosen = the evaluator's winner;
 * - sft: per input, the sample with the best record (wins - losses > 0 over its agreed pairs;
 *   ties by sample number);
 * - kto: every sample with more wins than losses (desirable) or more losses than wins (not).
 *
 * Every record is asked with `prompt(input)` (the same on both sides). Pairs whose orders
 * disagreed (or had no verdict) are left out.
 */
export function trainingData(
  inputs: readonly GenerationInput[],
  pairs: readonly Pair[],
  judgements: readonly JudgementRecord[],
  prompt: (input: GenerationInput) => ChatMessage[],
): { records: TrainingRecords; judged: Map<string, JudgedPair> } {
  const byId = new Map(inputs.map((input) => [input.id, input]));
  const inputOf = (pair: Pair) => byId.get(pair.id.slice(0, pair.id.lastIndexOf("/s")))!;
  const judged = new Map<string, JudgedPair>();
  const record = new Map<
    string,
    { wins: number; losses: number; text: string; input: GenerationInput; sample: number }
  >();
  const preference: PreferenceRecord[] = [];
  judgements.forEach((judgement, i) => {
    const pair = pairs[i]!;
    const label: Label | null = judgement.label;
    if (judgement.consistent !== true || (label !== "a" && label !== "b")) return;
    judged.set(pair.id, { pair, label });
    const input = inputOf(pair);
    const asked = prompt(input);
    const loser = label === "a" ? "b" : "a";
    preference.push({
      id: pair.id,
      inputId: input.id,
      chosen: { prompt: asked, answer: answer(pair[label]) },
      rejected: { prompt: asked, answer: answer(pair[loser]) },
    });
    for (const [side, won] of [
      [label, true],
      [loser, false],
    ] as const) {
      const id = `${input.id}/s${sampleOf(pair, side)}`;
      const entry = record.get(id) ?? {
        wins: 0,
        losses: 0,
        text: pair[side],
        input,
        sample: sampleOf(pair, side),
      };
      if (won) entry.wins++;
      else entry.losses++;
      record.set(id, entry);
    }
  });
  const samplesOf = (input: GenerationInput) =>
    [...record]
      .filter(([, entry]) => entry.input.id === input.id)
      .sort(([, x], [, y]) => x.sample - y.sample);
  type Entry = ReturnType<typeof samplesOf>[number][1];
  const completion = (id: string, entry: Entry, label?: boolean): CompletionRecord => ({
    id,
    inputId: entry.input.id,
    prompt: prompt(entry.input),
    answer: answer(entry.text),
    ...(label === undefined ? {} : { label }),
  });
  const sft = inputs.flatMap((input) => {
    const best = samplesOf(input)
      .filter(([, entry]) => entry.wins > entry.losses)
      .sort(([, x], [, y]) => y.wins - y.losses - (x.wins - x.losses) || x.sample - y.sample)[0];
    return best ? [completion(best[0], best[1])] : [];
  });
  const kto = inputs.flatMap((input) =>
    samplesOf(input)
      .filter(([, entry]) => entry.wins !== entry.losses)
      .map(([id, entry]) => completion(id, entry, entry.wins > entry.losses)),
  );
  return { records: { preference, sft, kto }, judged };
}
