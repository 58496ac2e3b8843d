import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ClusterLevelSchema } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { getPreset, type InputError, presets, type ReadPairsOptions, readPairs } from "./index.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "profilekit-data-presets-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let count = 0;
/** A fresh dataset directory holding the given files. */
async function dataset(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(root, String(count++));
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const jsonl = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join("\n");
const read = (path: string, options: ReadPairsOptions) => collect(readPairs(path, options));

async function failure(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    return error as InputError;
  }
  throw new Error("expected a failure");
}

describe("the preset registry", () => {
  it("lists canonical first and one preset per shared dataset, each described", () => {
    expect(presets.map((preset) => preset.name)).toEqual([
      "canonical",
      "summ-news",
      "autoj",
      "qa-feedback",
      "hh-rlhf",
      "summeval",
    ]);
    for (const preset of presets.slice(1)) {
      expect(["summarization", "instruction-following", "document-qa"]).toContain(preset.task);
      expect(preset.files.length).toBeGreaterThan(0);
      expect(preset.license.length).toBeGreaterThan(0);
    }
    expect(getPreset("qa-feedback")).toMatchObject({ task: "document-qa", files: ["dev_feedback.json"] });
  });

  it("declares each dataset's natural cluster level, with the reason", () => {
    expect(Object.fromEntries(presets.map((preset) => [preset.name, preset.clusterLevel]))).toEqual({
      canonical: "auto",
      "summ-news": "source",
      autoj: "prompt",
      "qa-feedback": "meta.passages",
      "hh-rlhf": "prompt",
      summeval: "source",
    });
    for (const preset of presets) {
      expect(ClusterLevelSchema.parse(preset.clusterLevel)).toBe(preset.clusterLevel);
      expect(preset.clusterReason.length).toBeGreaterThan(20);
    }
  });

  it("names the presets when asked for an unknown one", () => {
    expect(() => getPreset("hh")).toThrow(
      expect.objectContaining({
        code: "unknown_preset",
        message:
          'unknown preset "hh"; the presets are canonical, summ-news, autoj, qa-feedback, hh-rlhf, summeval',
      }),
    );
  });

  it("says which file a dataset directory lacks", async () => {
    const dir = await dataset({ "other.json": "[]" });
    expect(await failure(read(dir, { preset: "summ-news" }))).toMatchObject({
      code: "file_not_found",
      location: { file: join(dir, "pairwise_evaluation_results.json") },
      hint: expect.stringContaining("--preset summ-news reads the dataset directory or its data file"),
    });
  });

  it("lets --task replace a preset's task", async () => {
    const dir = await dataset({
      "testdata_pairwise.jsonl": jsonl({
        scenario: "s",
        label: 0,
        prompt: "P",
        "response 1": "x",
        "response 2": "y",
      }),
    });
    expect((await read(dir, { preset: "autoj", task: "summarization" }))[0]!.task).toBe("summarization");
  });
});

describe("summ-news", () => {
  const row = (overall: unknown, extra: Record<string, unknown> = {}) => ({
    article_id: "art",
    writer_id: "w",
    evaluator_id: "e",
    article_text: "The article.",
    writer_summary: "Writer.",
    "text-davinci-002_summary": "Model.",
    overall_writer_better: overall,
    informative_writer_better: "Equally Good",
    ...extra,
  });

  it("reads booleans and strings alike, keeps the informativeness judgement, and numbers a number summary", async () => {
    const dir = await dataset({
      "pairwise_evaluation_results.json": JSON.stringify([
        row(true),
        row("True"),
        row(false),
        row("False"),
        row("Equally Good"),
        row(true, { writer_summary: 7 }),
      ]),
    });
    const pairs = await read(dir, { preset: "summ-news" });
    expect(pairs.map((pair) => pair.label)).toEqual(["a", "a", "b", "b", "tie", "a"]);
    expect(pairs[5]).toEqual({
      id: "summ-news:5",
      task: "summarization",
      source: "The article.",
      a: "7",
      b: "Model.",
      label: "a",
      group: "art",
      meta: { writerId: "w", evaluatorId: "e", informative: "tie" },
    });
  });

  it("rejects an unknown verdict and a missing summary, and skips them on request", async () => {
    const dir = await dataset({
      "pairwise_evaluation_results.json": JSON.stringify([
        row("maybe"),
        row(true, { writer_summary: null }),
        row(true),
      ]),
    });
    const error = await failure(read(dir, { preset: "summ-news" }));
    expect(error).toMatchObject({
      code: "unknown_label",
      location: { line: 1, field: "overall_writer_better" },
    });
    expect(error.message).toContain(
      'expected a label among "True" (a), "False" (b), "Equally Good" (tie), found "maybe"',
    );
    const reader = readPairs(dir, { preset: "summ-news", onInvalid: "skip" });
    expect((await collect(reader)).map((pair) => pair.id)).toEqual(["summ-news:2"]);
    expect(reader.skipped.byReason).toEqual({ unknown_label: 1, missing_field: 1 });
  });
});

describe("autoj", () => {
  it("maps 0, 1, 2 (numbers or strings) to a, b, tie and keeps the scenario", async () => {
    const row = (label: unknown) => ({
      scenario: "code",
      label,
      prompt: "P",
      "response 1": "one",
      "response 2": "two",
    });
    const dir = await dataset({ "testdata_pairwise.jsonl": jsonl(row(0), row("1"), row(2), row(3)) });
    const reader = readPairs(join(dir, "testdata_pairwise.jsonl"), { preset: "autoj", onInvalid: "skip" });
    const pairs = await collect(reader);
    expect(pairs.map((pair) => pair.label)).toEqual(["a", "b", "tie"]);
    expect(pairs[0]).toEqual({
      id: "autoj:0",
      task: "instruction-following",
      prompt: "P",
      a: "one",
      b: "two",
      label: "a",
      group: "autoj:0",
      meta: { scenario: "code" },
    });
    expect(reader.skipped.examples[0]).toMatchObject({
      code: "unknown_label",
      location: { line: 4, field: "label" },
    });
  });
});

describe("qa-feedback", () => {
  const question = {
    question: "Who?",
    passages: [
      ["Title A", "Title A\n\nFirst sentence.", "Second sentence."],
      ["Title B", "Other text."],
    ],
    "prediction 1": "p1",
    "prediction 2": "p2",
    "prediction 3": "p3",
    "prediction 4": "p4",
    preference: [1, 2, 0, "1", 2, 1],
  };

  it("makes six pairs with the documented source text", async () => {
    const dir = await dataset({
      "dev_feedback.json": JSON.stringify([question, { ...question, passages: [] }]),
    });
    const pairs = await read(dir, { preset: "qa-feedback" });
    expect(pairs).toHaveLength(12);
    expect(pairs.map((pair) => `${pair.a}-${pair.b}:${pair.label}`).slice(0, 6)).toEqual([
      "p1-p2:a",
      "p1-p3:b",
      "p1-p4:tie",
      "p2-p3:a",
      "p2-p4:b",
      "p3-p4:a",
    ]);
    expect(pairs[0]!.source).toBe(
      "Who?\n\nTitle A\nFirst sentence. Second sentence.\n\nTitle B\nOther text.",
    );
    expect(pairs[6]).toMatchObject({
      id: "qa-feedback:1:1v2",
      source: "Who?",
      prompt: "Who?",
      group: "qa-feedback:1",
    });
  });

  it("keys the question's passages in meta.passages: sorted titles, or the question when it has none", async () => {
    const swapped = { ...question, passages: [...question.passages].reverse(), question: "Whom?" };
    const dir = await dataset({
      "dev_feedback.json": JSON.stringify([question, swapped, { ...question, passages: [] }]),
    });
    const pairs = await read(dir, { preset: "qa-feedback" });
    expect(pairs.map((pair) => pair.meta!.passages)).toEqual([
      ...Array(12).fill("Title A | Title B"),
      ...Array(6).fill("(no passages) Who?"),
    ]);
    expect(pairs[0]!.meta).toEqual({ a: "prediction 1", b: "prediction 2", passages: "Title A | Title B" });
  });

  it("rejects a question whose preferences are not six known values, once per question", async () => {
    const dir = await dataset({
      "dev_feedback.json": JSON.stringify([
        { ...question, preference: [1, 2] },
        { ...question, preference: [1, 2, 0, 1, 2, 5] },
        { ...question, passages: "text" },
        question,
      ]),
    });
    const reader = readPairs(dir, { preset: "qa-feedback", onInvalid: "skip" });
    expect(await collect(reader)).toHaveLength(6);
    expect(reader.skipped.byReason).toEqual({ invalid_field: 2, unknown_label: 1 });
    expect(reader.skipped.examples.find((e) => e.code === "unknown_label")?.location).toMatchObject({
      field: "preference.5",
    });
  });
});

describe("hh-rlhf", () => {
  const dialogue = (...turns: string[]) =>
    turns.map((turn, i) => `\n\n${i % 2 ? "Assistant" : "Human"}: ${turn}`).join("");

  it("puts the shared dialogue in the prompt and the trimmed final turns in a and b", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      chosen: `${dialogue("Hi", "Hello", `Question ${i}?`, ` Good answer.  `)}`,
      rejected: `${dialogue("Hi", "Hello", `Question ${i}?`, "Bad answer.")}`,
    }));
    const dir = await dataset({ "test.jsonl.gz": gzipSync(jsonl(...rows)) });
    const pairs = await read(dir, { preset: "hh-rlhf", seed: 3 });
    for (const [i, pair] of pairs.entries()) {
      expect(pair.prompt).toBe(`Human: Hi\n\nAssistant: Hello\n\nHuman: Question ${i}?`);
      const chosen = pair.label === "a" ? pair.a : pair.b;
      const rejected = pair.label === "a" ? pair.b : pair.a;
      expect([chosen, rejected]).toEqual(["Good answer.", "Bad answer."]);
      expect(pair.meta).toBeUndefined();
    }
    const labels = pairs.map((pair) => pair.label);
    expect(labels).toContain("a");
    expect(labels).toContain("b");
    expect((await read(dir, { preset: "hh-rlhf", seed: 3 })).map((pair) => pair.label)).toEqual(labels);
  });

  it("keeps only the turns both dialogues share in the prompt when they diverge early", async () => {
    // As in 5 rows of the real split: one side has an extra exchange, its human turn run into the assistant's.
    const chosen = `${dialogue("Hi", "Hello", "More?", "Sure.  Human: inline question?")}\n\nAssistant: Final chosen`;
    const dir = await dataset({
      "test.jsonl.gz": gzipSync(
        jsonl({ chosen, rejected: dialogue("Hi", "Hello", "More?", "Final rejected") }),
      ),
    });
    const [pair] = await read(dir, { preset: "hh-rlhf" });
    expect(pair!.prompt).toBe("Human: Hi\n\nAssistant: Hello\n\nHuman: More?");
    expect(pair!.meta).toEqual({ dialoguesDiverge: true });
    expect([pair!.a, pair!.b].sort()).toEqual(["Final chosen", "Final rejected"]);
  });

  it("rejects a dialogue without an assistant turn", async () => {
    const dir = await dataset({
      "test.jsonl.gz": gzipSync(jsonl({ chosen: "no turns", rejected: dialogue("a", "b") })),
    });
    expect(await failure(read(dir, { preset: "hh-rlhf" }))).toMatchObject({
      code: "invalid_field",
      location: { field: "chosen", line: 1 },
    });
  });
});

describe("summeval", () => {
  const ratings = (...scores: number[]) =>
    scores.map((score) => ({ coherence: score, consistency: score, fluency: score, relevance: score }));
  const summary = (id: string, model: string, scores: number[], extra: Record<string, unknown> = {}) => ({
    id,
    model_id: model,
    decoded: `${model} on ${id}`,
    expert_annotations: ratings(...scores),
    turker_annotations: [],
    ...extra,
  });
  const articles = jsonl({ id: "x", text: "Article X" }, { id: "y", text: "Article Y" });

  it("pairs every two systems per article in model-id order, whatever the file order", async () => {
    const dir = await dataset({
      "articles.jsonl": articles,
      "annotations.jsonl": jsonl(
        summary("y", "M10", [3, 3, 3]),
        summary("x", "M10", [5, 4, 3]),
        summary("x", "M9", [4, 4, 4]),
        summary("y", "M2", [2, 3, 4]),
        summary("x", "M11", ["1", "2", "3"] as unknown as number[]),
      ),
    });
    const pairs = await read(join(dir, "annotations.jsonl"), { preset: "summeval" });
    expect(pairs.map((pair) => `${pair.id}:${pair.label}`)).toEqual([
      "summeval:y:M2vM10:tie",
      "summeval:x:M9vM10:tie",
      "summeval:x:M9vM11:a",
      "summeval:x:M10vM11:a",
    ]);
    expect(pairs[0]).toMatchObject({
      task: "summarization",
      source: "Article Y",
      a: "M2 on y",
      b: "M10 on y",
      group: "y",
      meta: { modelA: "M2", modelB: "M10", scoreA: 3, scoreB: 3 },
    });
    expect(await read(join(dir, "articles.jsonl"), { preset: "summeval" })).toEqual(pairs);
  });

  it("rejects a repeated system, an unknown article and unusable ratings", async () => {
    const dir = await dataset({
      "articles.jsonl": articles,
      "annotations.jsonl": jsonl(
        summary("x", "M1", [3]),
        summary("x", "M1", [4]),
        summary("z", "M1", [3]),
        summary("x", "M2", [3], { expert_annotations: [{ coherence: 3 }] }),
        summary("x", "M3", [1]),
      ),
    });
    const error = await failure(read(dir, { preset: "summeval" }));
    expect(error).toMatchObject({ code: "duplicate_record", location: { line: 2, field: "model_id" } });
    const reader = readPairs(dir, { preset: "summeval", onInvalid: "skip" });
    expect((await collect(reader)).map((pair) => pair.id)).toEqual(["summeval:x:M1vM3"]);
    expect(reader.skipped.byReason).toEqual({ duplicate_record: 1, invalid_record: 1, invalid_field: 1 });
  });

  it("needs both files", async () => {
    const dir = await dataset({ "annotations.jsonl": jsonl(summary("x", "M1", [3])) });
    expect(await failure(read(dir, { preset: "summeval" }))).toMatchObject({
      code: "file_not_found",
      hint: expect.stringContaining("annotations.jsonl and articles.jsonl"),
    });
  });
});
