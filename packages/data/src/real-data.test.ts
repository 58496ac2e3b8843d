// Every shared dataset through its preset, checked against figures computed
// elsewhere: the counts in each SOURCE.md and the length profiles in
// /work/shared/reference/length_profiles.json. Lengths are measured here, not
// by the package, so a wrong mapping (a swapped side, a trimmed response, a
// lost pair) changes a count and fails.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { getPreset, readPairs } from "./index.js";

const shared = (path: string) => fileURLToPath(new URL(`../../../../shared/${path}`, import.meta.url));

interface Counts {
  concordant: number;
  discordant: number;
  factorTies: number;
  preferenceTies: number;
}
// The shared data sit beside the main checkout (../shared); a worktree elsewhere skips these tests.
const present = existsSync(shared("reference/length_profiles.json"));
const reference: { datasets: Record<string, { pairs: number; length_words: Counts; length_chars: Counts }> } =
  present ? JSON.parse(await readFile(shared("reference/length_profiles.json"), "utf8")) : { datasets: {} };

const words = (text: string) => text.match(/\S+/g)?.length ?? 0;
const codePoints = (text: string) => [...text].length;

function lengthCounts(pairs: readonly Pair[], measure: (text: string) => number): Counts {
  const counts = { concordant: 0, discordant: 0, factorTies: 0, preferenceTies: 0 };
  for (const pair of pairs) {
    const p = pair.label === "a" ? 1 : pair.label === "b" ? -1 : 0;
    const m = Math.sign(measure(pair.a) - measure(pair.b));
    if (p === 0) counts.preferenceTies++;
    else if (m === 0) counts.factorTies++;
    else if (p * m > 0) counts.concordant++;
    else counts.discordant++;
  }
  return counts;
}

const countsOf = ({ concordant, discordant, factorTies, preferenceTies }: Counts): Counts => ({
  concordant,
  discordant,
  factorTies,
  preferenceTies,
});

function labelCounts(pairs: readonly Pair[]): Record<string, number> {
  const counts: Record<string, number> = { a: 0, b: 0, tie: 0 };
  for (const pair of pairs) counts[pair.label]!++;
  return counts;
}

const cases = [
  {
    preset: "summ-news",
    path: "data/summ_news_pairwise_zhang2023",
    file: "data/summ_news_pairwise_zhang2023/pairwise_evaluation_results.json",
    reference: "summ_news",
    task: "summarization",
    // SOURCE.md: overall True 243 / False 239 / Equally Good 117
    labels: { a: 243, b: 239, tie: 117 },
    groups: 76,
    // The preset's cluster level (source): the 76 article_ids of SOURCE.md.
    clusters: 76,
  },
  {
    preset: "autoj",
    path: "data/autoj_pairwise_test",
    file: "data/autoj_pairwise_test/testdata_pairwise.jsonl",
    reference: "autoj",
    task: "instruction-following",
    // SOURCE.md: 0 (response 1) 520, 1 (response 2) 499, 2 (tie) 373
    labels: { a: 520, b: 499, tie: 373 },
    groups: 1392,
    // prompt: distinct values of the raw `prompt` field.
    clusters: 1182,
  },
  {
    preset: "qa-feedback",
    path: "data/qa_feedback_dev",
    file: "data/qa_feedback_dev/dev_feedback.json",
    reference: "qa_feedback",
    task: "document-qa",
    // SOURCE.md: first preferred 1577, second preferred 1039, no preference 384
    labels: { a: 1577, b: 1039, tie: 384 },
    groups: 500,
    // meta.passages: 493 distinct sets of passage titles of the raw `passages`, and the 2
    // questions without passages on their own.
    clusters: 495,
  },
  {
    preset: "hh-rlhf",
    path: "data/hh_rlhf_harmless_base_test",
    file: "data/hh_rlhf_harmless_base_test/test.jsonl.gz",
    reference: "hh_rlhf_harmless",
    task: "instruction-following",
    // No ties; the a/b split depends on the seed and is checked below.
    labels: undefined,
    groups: 2312,
    // prompt: distinct dialogues before the final assistant turn of the raw `chosen`.
    clusters: 2310,
  },
  {
    preset: "summeval",
    path: "data/summeval",
    file: "data/summeval/annotations.jsonl",
    reference: "summeval_pairs",
    task: "summarization",
    labels: undefined,
    groups: 100,
    // source: the 100 articles.
    clusters: 100,
  },
] as const;

describe.skipIf(!present).each(cases)("preset $preset on the shared data", (dataset) => {
  const expected = reference.datasets[dataset.reference]!;
  let pairs: Pair[] = [];

  it("reads the dataset directory into the reference number of pairs", async () => {
    const reader = readPairs(shared(dataset.path), { preset: dataset.preset });
    pairs = await collect(reader);
    expect(pairs).toHaveLength(expected.pairs);
    expect(reader.read).toBe(expected.pairs);
    expect(reader.skipped.count).toBe(0);
  });

  it("has the reference label counts", () => {
    const counts = labelCounts(pairs);
    expect(counts.tie).toBe(expected.length_words.preferenceTies);
    if (dataset.labels) expect(counts).toEqual(dataset.labels);
  });

  it("reproduces the reference length profile in words and in code points", () => {
    expect(lengthCounts(pairs, words)).toEqual(countsOf(expected.length_words));
    expect(lengthCounts(pairs, codePoints)).toEqual(countsOf(expected.length_chars));
  });

  it("gives unique ids, the preset's task and one group per unit", () => {
    expect(new Set(pairs.map((pair) => pair.id)).size).toBe(pairs.length);
    expect(new Set(pairs.map((pair) => pair.task))).toEqual(new Set([dataset.task]));
    expect(new Set(pairs.map((pair) => pair.group)).size).toBe(dataset.groups);
  });

  it("has the documented number of clusters at the preset's cluster level", () => {
    const level = getPreset(dataset.preset).clusterLevel;
    const key = (pair: Pair): unknown =>
      level === "source" ? pair.source : level === "prompt" ? pair.prompt : pair.meta?.[level.slice(5)];
    expect(pairs.every((pair) => key(pair) !== undefined)).toBe(true);
    expect(new Set(pairs.map(key)).size).toBe(dataset.clusters);
  });

  it("reads the data file itself like the directory", async () => {
    const fromFile = await collect(readPairs(shared(dataset.file), { preset: dataset.preset }));
    expect(fromFile).toEqual(pairs);
  });
});

describe.skipIf(!present)("mapping details on the shared data", () => {
  it("summ-news: a is the writer, the source is the article, JSON booleans and strings both label", async () => {
    const raw = JSON.parse(
      await readFile(shared("data/summ_news_pairwise_zhang2023/pairwise_evaluation_results.json"), "utf8"),
    );
    const pairs = await collect(
      readPairs(shared("data/summ_news_pairwise_zhang2023"), { preset: "summ-news" }),
    );
    const row = raw.findIndex((r: Record<string, unknown>) => r.overall_writer_better === "Equally Good");
    expect(pairs[row]).toMatchObject({
      id: `summ-news:${row}`,
      a: raw[row].writer_summary,
      b: raw[row]["text-davinci-002_summary"],
      source: raw[row].article_text,
      group: raw[row].article_id,
      label: "tie",
    });
    expect(typeof raw[0].overall_writer_better).toBe("boolean");
    expect(pairs[0]!.label).toBe(raw[0].overall_writer_better ? "a" : "b");
  });

  it("qa-feedback: six pairs per question in preference order, question as prompt and first in source", async () => {
    const raw = JSON.parse(await readFile(shared("data/qa_feedback_dev/dev_feedback.json"), "utf8"));
    const pairs = await collect(readPairs(shared("data/qa_feedback_dev"), { preset: "qa-feedback" }));
    const first = pairs.slice(0, 6);
    expect(first.map((pair) => pair.id)).toEqual(
      ["1v2", "1v3", "1v4", "2v3", "2v4", "3v4"].map((suffix) => `qa-feedback:0:${suffix}`),
    );
    expect(first.map((pair) => pair.label)).toEqual(
      raw[0].preference.map((p: number) => (p === 1 ? "a" : p === 2 ? "b" : "tie")),
    );
    expect(first[2]).toMatchObject({
      a: raw[0]["prediction 1"],
      b: raw[0]["prediction 4"],
      prompt: raw[0].question,
    });
    const [title, firstSentence] = raw[0].passages[0];
    expect(first[0]!.source!.startsWith(`${raw[0].question}\n\n${title}\n`)).toBe(true);
    // The title repeated as a heading in the first sentence is dropped.
    expect(firstSentence.startsWith(`${title}\n\n`)).toBe(true);
    expect(first[0]!.source).toContain(`${title}\n${firstSentence.slice(title.length + 2)}`);
  });

  it("hh-rlhf: the order is seeded per pair id, the label follows chosen, the prompt ends before the final turn", async () => {
    const path = shared("data/hh_rlhf_harmless_base_test");
    const seed1 = await collect(readPairs(path, { preset: "hh-rlhf", seed: 1 }));
    const again = await collect(readPairs(path, { preset: "hh-rlhf", seed: 1 }));
    const seed2 = await collect(readPairs(path, { preset: "hh-rlhf", seed: 2 }));
    expect(again).toEqual(seed1);
    const flipped = seed1.filter((pair, i) => pair.label !== seed2[i]!.label).length;
    // Independent fair coins: about half the pairs change side (binomial sd about 24).
    expect(flipped).toBeGreaterThan(1000);
    expect(flipped).toBeLessThan(1312);
    const share = seed1.filter((pair) => pair.label === "a").length / seed1.length;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    for (const [i, pair] of seed1.entries()) {
      const other = seed2[i]!;
      const chosen = (p: Pair) => (p.label === "a" ? p.a : p.b);
      expect(chosen(other)).toBe(chosen(pair));
    }
    expect(
      seed1.every((pair) => pair.prompt!.startsWith("Human:") && !pair.prompt!.endsWith("Assistant:")),
    ).toBe(true);
    expect(seed1.filter((pair) => pair.meta?.dialoguesDiverge === true)).toHaveLength(5);
  });

  it("summeval: pairs every two systems of an article in model-id order, preferring the higher expert mean", async () => {
    const pairs = await collect(readPairs(shared("data/summeval"), { preset: "summeval" }));
    const article = pairs[0]!.group!;
    const ofArticle = pairs.filter((pair) => pair.group === article);
    expect(ofArticle).toHaveLength(66);
    const models = new Set(ofArticle.flatMap((pair) => [pair.meta!.modelA, pair.meta!.modelB]));
    expect([...models]).toEqual([
      "M8",
      "M9",
      "M10",
      "M11",
      "M12",
      "M13",
      "M14",
      "M15",
      "M17",
      "M20",
      "M22",
      "M23",
    ]);
    for (const pair of pairs) {
      const { scoreA, scoreB } = pair.meta as { scoreA: number; scoreB: number };
      expect(pair.label).toBe(scoreA > scoreB ? "a" : scoreA < scoreB ? "b" : "tie");
    }
  });
});
