import { createHash } from "node:crypto";
import type { Pair } from "@profilekit/spec";
import { responseText } from "../coerce.js";
import { type RecordAt, recordError } from "../errors.js";
import { checkedPair, datasetFile, pairsFromRecords } from "./dataset-records.js";
import type { Preset } from "./preset.js";

const file = "test.jsonl.gz";
const assistant = "\n\nAssistant:";
const turnMarkers = ["\n\nHuman:", "\n\nAssistant:"];

/**
 * Anthropic HH-RLHF, harmless-base test split: two dialogues that differ in
 * the final assistant turn; the crowdworker chose the less harmful one.
 */
export const hhRlhf: Preset = {
  name: "hh-rlhf",
  title: "Anthropic HH-RLHF harmless-base test split (Bai et al. 2022)",
  task: "instruction-following",
  description:
    "2312 pairs: prompt = the dialogue before the final assistant turn; a and b = the final assistant turns of chosen and rejected in an order seeded by (seed, pair id); label = the side holding chosen. Harmlessness, not helpfulness.",
  license: "MIT (anthropics/hh-rlhf); contains offensive red-teaming dialogues",
  files: [file],
  clusterLevel: "prompt",
  clusterReason:
    "The dialogue before the final turn: 2,312 pairs of 2,310 distinct dialogues, so nearly every pair is its own cluster.",
  async *read(path, context) {
    const data = await datasetFile(path, hhRlhf, file);
    yield* pairsFromRecords(data, "jsonl", hhRlhf.name, context, (record, at) => {
      const chosen = responseText(record.chosen, "chosen", at);
      const rejected = responseText(record.rejected, "rejected", at);
      const id = `hh-rlhf:${at.index}`;
      const better = finalTurn(chosen, "chosen", at);
      const worse = finalTurn(rejected, "rejected", at);
      const split = sharedTurns(chosen, rejected);
      const chosenIsB = seededCoin(context.seed, id);
      const pair: Pair = {
        id,
        task: context.task ?? "instruction-following",
        prompt: chosen.slice(0, split).trim(),
        a: chosenIsB ? worse.text : better.text,
        b: chosenIsB ? better.text : worse.text,
        label: chosenIsB ? "b" : "a",
        group: id,
      };
      if (better.start !== split || worse.start !== split) pair.meta = { dialoguesDiverge: true };
      return [checkedPair(pair, at)];
    });
  },
};

/** The final assistant turn of a dialogue: the text after its last "\n\nAssistant:", trimmed. */
function finalTurn(dialogue: string, field: string, at: RecordAt): { start: number; text: string } {
  const start = dialogue.lastIndexOf(assistant);
  if (start < 0) {
    throw recordError("invalid_field", at, {
      field,
      expected: 'a dialogue with an "\\n\\nAssistant:" turn',
      found: dialogue,
    });
  }
  return { start, text: dialogue.slice(start + assistant.length).trim() };
}

/**
 * Where the dialogue both sides share ends: the last position up to which the
 * two texts are equal and where both start a turn. It is the start of the
 * final assistant turn in all but 5 rows of the test split, where the two
 * dialogues already differ in an earlier turn.
 */
function sharedTurns(chosen: string, rejected: string): number {
  let common = 0;
  const limit = Math.min(chosen.length, rejected.length);
  while (common < limit && chosen.charCodeAt(common) === rejected.charCodeAt(common)) common++;
  let split = 0;
  const startsTurn = (text: string, at: number) => turnMarkers.some((marker) => text.startsWith(marker, at));
  for (let at = chosen.indexOf("\n\n"); at >= 0 && at <= common; at = chosen.indexOf("\n\n", at + 1)) {
    if (startsTurn(chosen, at) && startsTurn(rejected, at)) split = at;
  }
  return split;
}

/** true for about half the ids: the first byte of SHA-256("<seed>:<id>") is odd. Same seed and id, same answer. */
function seededCoin(seed: number, id: string): boolean {
  return (createHash("sha256").update(`${seed}:${id}`).digest()[0]! & 1) === 1;
}
