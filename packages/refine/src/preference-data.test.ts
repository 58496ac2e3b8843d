import type { GenerationInput } from "@profilekit/runner/stage-kit";
import type { ChatMessage, JudgementRecord, Label, Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { sampleJudgements, trainingData } from "./preference-data.js";

const input: GenerationInput = {
  id: "input:1",
  cluster: "input:1",
  task: "summarization",
  source: "The source.",
};
const texts = ["one.", "two two.", "three three three."];
/** A pair of samples i and j (1-based), `a` being sample i; written for levels i and j. */
const pair = (i: number, j: number): Pair => ({
  id: `input:1/s${i}vs${j}`,
  task: "summarization",
  source: "The source.",
  a: texts[i - 1]!,
  b: texts[j - 1]!,
  label: "tie",
  group: "input:1",
  meta: { sampleA: i, sampleB: j, levelA: i, levelB: j },
});
const judgement = (
  p: Pair,
  original: Label | null,
  swapped: Label | null,
  label: Label | null,
): JudgementRecord => ({
  pairId: p.id,
  firstOrder: "original",
  verdicts: { original, swapped },
  label,
  consistent: label === null ? null : label !== "tie",
  human: p.label,
});
const prompt = (): ChatMessage[] => [{ role: "user", content: "Summarise the source." }];

describe("trainingData", () => {
  const pairs = [pair(1, 2), pair(1, 3), pair(2, 3)];
  // The evaluator prefers sample 1 (written for the lowest level) to both others, and 3 to 2; the
  // pair 2v3 it answered one way in each order (position, not texts): left out.
  const judgements = [
    judgement(pairs[0]!, "a", "b", "a"),
    judgement(pairs[1]!, "a", "b", "a"),
    judgement(pairs[2]!, "a", "a", "tie"),
  ];

  it("takes chosen from the evaluator's verdict, never from the levels, and only when both orders agree", () => {
    const { records, judged } = trainingData([input], pairs, judgements, prompt);
    expect(
      records.preference.map((r) => [r.id, r.chosen.answer[0]!.content, r.rejected.answer[0]!.content]),
    ).toEqual([
      ["input:1/s1vs2", "one.", "two two."],
      ["input:1/s1vs3", "one.", "three three three."],
    ]);
    expect([...judged.keys()]).toEqual(["input:1/s1vs2", "input:1/s1vs3"]);
    for (const record of records.preference) {
      expect(record.chosen.prompt).toEqual(prompt());
      expect(record.rejected.prompt).toEqual(prompt());
    }
  });

  it("keeps the sample with the best record for SFT, and marks KTO rows by wins and losses", () => {
    const { records } = trainingData([input], pairs, judgements, prompt);
    expect(records.sft.map((r) => [r.id, r.answer[0]!.content])).toEqual([["input:1/s1", "one."]]);
    expect(records.kto.map((r) => [r.id, r.label])).toEqual([
      ["input:1/s1", true],
      ["input:1/s2", false],
      ["input:1/s3", false],
    ]);
  });

  it("writes the verdicts without a human label, with the samples and the levels they were written for", () => {
    const [first] = sampleJudgements(pairs, judgements);
    expect(first).not.toHaveProperty("human");
    expect(first).toMatchObject({ samples: { a: 1, b: 2 }, levels: { a: 1, b: 2 }, label: "a" });
  });
});
