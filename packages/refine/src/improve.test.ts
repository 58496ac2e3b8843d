import { cp, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { createRandom, type GroupCounts, GroupCountsSchema, groupKeyOf } from "@profilekit/core";
import { readPairs } from "@profilekit/data";
import { createFakeModel, type MockRequest, type MockServer, startMockServer } from "@profilekit/llm/testing";
import { AlignmentFileSchema, analyze, GenerationProfileSchema } from "@profilekit/runner";
import {
  ExportProvenanceSchema,
  ExportSummarySchema,
  ImprovementFileSchema,
  type Pair,
  ResponseRecordSchema,
  SampleJudgementSchema,
  SplitFileSchema,
  StageManifestSchema,
} from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { layouts } from "./__fixtures__/export-layouts.js";
import {
  DataProfileSchema,
  estimateImprove,
  type ImproveRequest,
  improve,
  RevisionProfileSchema,
} from "./index.js";

// improve end to end, on subsets of the bundled data for two tasks, against profilekit's fake model
// on a local mock server (driven by the real openai SDK): every method, every artifact. The fake
// model is not a language model, so the figures mean nothing; what is checked is that each file
// is there, valid, made from what it should be made from, and the same bytes for the same seed.

process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";
const data = fileURLToPath(new URL("../../../data/", import.meta.url));

/** The fake model; the "tuned" model writes only the first sentence of what the fake one would. */
function handler(request: MockRequest) {
  const reply = createFakeModel()(request);
  if (request.model === "tuned-model" && "text" in reply && request.responseSchema === undefined) {
    return { ...reply, text: reply.text.split(". ")[0]!.replace(/\.?$/, ".") };
  }
  return reply;
}

/** The first `inputs` distinct inputs of a bundled file, with up to `perInput` pairs each. */
async function subset(file: string, inputs: number, perInput: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const seen = new Map<string, number>();
  for await (const pair of readPairs(join(data, file))) {
    const key = `${pair.source ?? ""}\u0000${pair.prompt ?? ""}`;
    if (!seen.has(key) && seen.size === inputs) break;
    const n = seen.get(key) ?? 0;
    if (n >= perInput) continue;
    seen.set(key, n + 1);
    pairs.push(pair);
  }
  return pairs;
}

const tasks = [
  { task: "summarization", file: "summeval-subset.jsonl.gz", inputs: 8, perInput: 3 },
  { task: "instruction-following", file: "hh-rlhf-harmless-subset.jsonl.gz", inputs: 10, perInput: 1 },
] as const;
const factors = ["length", "novelty", "readability", "fluency"];

let work: string;
let server: MockServer;
const pairsOf = new Map<string, Pair[]>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-improve-"));
  server = await startMockServer({ handler });
  for (const { task, file, inputs, perInput } of tasks) {
    const pairs = await subset(file, inputs, perInput);
    pairsOf.set(task, pairs);
    await analyze({
      pairs,
      factors,
      extractor: { id: "openai:test-extractor", baseURL: server.openaiBaseURL },
      cache: join(work, `${task}-human.db`),
      bootstrap: 20,
      permutations: 0,
      out: join(work, task, "human"),
    });
  }
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

/** An improve request on a task's subset; each run its own cache unless given. */
let caches = 0;
function request(
  task: string,
  method: ImproveRequest["method"],
  extra: Partial<ImproveRequest> = {},
): ImproveRequest {
  return {
    pairs: pairsOf.get(task)!,
    method,
    model: { id: "openai:test-model", baseURL: server.openaiBaseURL, maxRetries: 0 },
    extractor: { id: "openai:test-extractor", baseURL: server.openaiBaseURL, maxRetries: 0 },
    factors,
    human: join(work, task, "human"),
    levels: 3,
    samples: 3,
    heldOut: 0.3,
    bootstrap: 20,
    permutations: 0,
    replicates: 200,
    cache: join(work, `cache-${++caches}.db`),
    out: join(work, task, method),
    ...extra,
  };
}

/** An input's id as core's groupKeyOf derives it (split.json's ids). */
const inputIdOf = (pair: Pair) => groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt });

const readJson = async (file: string) => JSON.parse(await readFile(file, "utf8")) as unknown;
const readLines = async (file: string) =>
  (await readFile(file, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);

/** Every file under `dir`, relative, sorted. */
async function filesOf(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** A run folder of a generation: its profile (with `generation`), groups.json, manifest.json and the line files. */
async function expectGenerationFolder(dir: string) {
  expect(await filesOf(dir)).toEqual(
    expect.arrayContaining([
      "groups.json",
      "labels.jsonl",
      "manifest.json",
      "manifestations.jsonl",
      "pairs.jsonl",
      "profile.csv",
      "profile.json",
      "responses.jsonl",
    ]),
  );
  GenerationProfileSchema.parse(await readJson(join(dir, "profile.json")));
  StageManifestSchema.parse(await readJson(join(dir, "manifest.json")));
  for (const line of await readLines(join(dir, "responses.jsonl"))) ResponseRecordSchema.parse(line);
  return GroupCountsSchema.parse(await readJson(join(dir, "groups.json")));
}

// ---- The reference: the paired before/after interval, written from the documentation on the group counts ----

/** tau14 of each factor from the group counts, each group weighted; NaN when undefined. */
function weightedTau14(counts: GroupCounts, weightOf: (key: number) => number, factor: string): number {
  const f = counts.factors.indexOf(factor);
  let numerator = 0;
  let denominator = 0;
  counts.keys.forEach((key, g) => {
    const w = weightOf(key);
    const at = (g * counts.factors.length + f) * 5;
    const [c, d, tf] = [counts.counts[at]!, counts.counts[at + 1]!, counts.counts[at + 2]!];
    numerator += w * (c - d);
    denominator += w * (c + d + tf);
  });
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

function tauB(x: readonly number[], y: readonly number[]): number {
  let s = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const a = Math.sign(x[i]! - x[j]!);
      const b = Math.sign(y[i]! - y[j]!);
      s += a * b;
      nx += a * a;
      ny += b * b;
    }
  }
  return nx === 0 || ny === 0 ? Number.NaN : s / Math.sqrt(nx * ny);
}

function percentile95(values: readonly number[], estimate: number): [number, number] {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const at = (q: number) => {
    const h = (sorted.length - 1) * q;
    const lo = Math.floor(h);
    return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
  };
  return [Math.min(at(0.025), estimate), Math.max(at(0.975), estimate)];
}

/** Replicate r draws U clusters from the sorted union of the three profiles' keys with createRandom(seed, "alignment/<r>/0"). */
function referenceDelta(
  human: GroupCounts,
  before: GroupCounts,
  after: GroupCounts,
  compared: readonly string[],
  replicates: number,
  seed: number,
) {
  const union = [...new Set([...human.keys, ...before.keys, ...after.keys])].sort((a, b) => a - b);
  const delta = (weightOf: (key: number) => number) => {
    const [h, b, a] = [human, before, after].map((counts) =>
      compared.map((f) => weightedTau14(counts, weightOf, f)),
    );
    return [...h!, ...b!, ...a!].some(Number.isNaN) ? Number.NaN : tauB(h!, a!) - tauB(h!, b!);
  };
  const estimate = delta(() => 1);
  const drawn = Array.from({ length: replicates }, (_, r) => {
    const random = createRandom(seed, `alignment/${r}/0`);
    const weights = new Map<number, number>();
    for (let i = 0; i < union.length; i++) {
      const key = union[random.nextInt(union.length)]!;
      weights.set(key, (weights.get(key) ?? 0) + 1);
    }
    return delta((key) => weights.get(key) ?? 0);
  });
  return { estimate, ci95: percentile95(drawn, estimate) };
}

describe.each(tasks.map(({ task }) => task))("improve on %s (bundled data, mock server)", (task) => {
  it("guided: before and after generation, guidance from the human profile, and improvement.json", async () => {
    const result = await improve(request(task, "guided"));
    const out = join(work, task, "guided");
    expect(await filesOf(out)).toEqual(
      expect.arrayContaining([
        "improvement.json",
        "manifest.json",
        "before/profile.json",
        "after/profile.json",
      ]),
    );
    const improvement = ImprovementFileSchema.parse(await readJson(join(out, "improvement.json")));
    expect(improvement).toEqual(result.improvement);
    expect(improvement).toMatchObject({
      method: "guided",
      evaluator: null,
      levels: 3,
      inputs: { split: "all" },
    });
    const human = GroupCountsSchema.parse(await readJson(join(work, task, "human", "groups.json")));
    const before = await expectGenerationFolder(join(out, "before"));
    const after = await expectGenerationFolder(join(out, "after"));
    expect(improvement.resampling).toMatchObject({
      method: "paired-cluster-bootstrap",
      clusters: [human.keys.length, before.keys.length, after.keys.length],
    });
    // The guided prompt is the plain one with the guidance after it, sent with the same seeds.
    const guidedCalls = server.log.filter((r) =>
      r.messages.some((m) => m.content.includes("<guidance>\n- ")),
    );
    expect(guidedCalls.length).toBeGreaterThan(0);
    const manifest = (await readJson(join(out, "manifest.json"))) as {
      improve: { guidance: { factor: string }[] };
      usage: { byStage: { stage: string }[] };
    };
    expect(manifest.improve.guidance.length).toBeGreaterThan(0);
    expect(manifest.usage.byStage.map((s) => s.stage)).toEqual(
      expect.arrayContaining(["before/generate", "after/generate"]),
    );
    const afterSeeds = (await readLines(join(out, "after", "responses.jsonl"))).map(
      (r) => (r as { seed: number }).seed,
    );
    const beforeSeeds = (await readLines(join(out, "before", "responses.jsonl"))).map(
      (r) => (r as { seed: number }).seed,
    );
    expect(afterSeeds).toEqual(beforeSeeds);
  });

  it("feedback: every round kept, the revision profile, and a paired interval that matches an independent computation", async () => {
    const result = await improve(request(task, "feedback", { rounds: 2 }));
    const out = join(work, task, "feedback");
    const improvement = ImprovementFileSchema.parse(await readJson(join(out, "improvement.json")));
    expect(improvement.evaluator).toEqual({ model: "openai:test-model", self: true });
    const revision = RevisionProfileSchema.parse(await readJson(join(out, "revision-profile.json")));
    expect(revision).toEqual(result.revision);
    expect(revision.pairs).toBe(revision.revision.revised);
    expect(revision.revision.mostlyLengthens).toBe(revision.revision.longer > revision.revision.revised / 2);
    const before = await expectGenerationFolder(join(out, "before"));
    const after = await expectGenerationFolder(join(out, "after"));
    const rounds = (await readLines(join(out, "after", "responses.jsonl"))).map((line) =>
      ResponseRecordSchema.parse(line),
    );
    const drafts = rounds.filter((r) => r.round === 0);
    expect(drafts.map((r) => r.text)).toEqual(
      (await readLines(join(out, "before", "responses.jsonl"))).map((r) => (r as { text: string }).text),
    );
    for (const draft of drafts) {
      const own = rounds.filter((r) => r.inputId === draft.inputId && r.level === draft.level);
      expect(own.map((r) => r.round)).toEqual(own.map((_, i) => i));
      expect(own.length).toBeLessThanOrEqual(3);
      expect(own.filter((r) => r.status === "kept")).toHaveLength(1);
      // The loop stops when the evaluator says the target is met.
      const met = own.findIndex((r) => r.critique?.meetsTarget === true);
      if (met >= 0) expect(own).toHaveLength(met + 1);
    }
    // The paired interval of the tau_b change, recomputed from the three groups.json in the test.
    const human = GroupCountsSchema.parse(await readJson(join(work, task, "human", "groups.json")));
    const reference = referenceDelta(human, before, after, improvement.factorsCompared, 200, 1);
    expect(improvement.factorsCompared).toEqual(factors);
    expect(improvement.delta.kendallTauB.ci95).not.toBeNull();
    expect(improvement.delta.kendallTauB.value).toBeCloseTo(reference.estimate, 12);
    expect(improvement.delta.kendallTauB.ci95![0]).toBeCloseTo(reference.ci95[0], 12);
    expect(improvement.delta.kendallTauB.ci95![1]).toBeCloseTo(reference.ci95[1], 12);
  });

  it("self-data: split first, order-consistent judgements only, every export in its format, none from a held-out input", async () => {
    const result = await improve(request(task, "self-data"));
    const out = join(work, task, "self-data");
    expect(await filesOf(out)).not.toContain("improvement.json");
    const split = SplitFileSchema.parse(await readJson(join(out, "split.json")));
    expect(split).toEqual(result.split);
    const heldOut = new Set(split.heldOut);
    expect(split.train.some((id) => heldOut.has(id))).toBe(false);
    const pairs = pairsOf.get(task)!;
    const samples = (await readLines(join(out, "responses.jsonl"))).map((line) =>
      ResponseRecordSchema.parse(line),
    );
    expect(samples).toHaveLength(split.train.length * 3);
    expect(samples.some((s) => heldOut.has(s.inputId))).toBe(false);
    const judgements = (await readLines(join(out, "judgements.jsonl"))).map((line) =>
      SampleJudgementSchema.parse(line),
    );
    expect(judgements).toHaveLength(split.train.length * 3);

    const summary = ExportSummarySchema.parse(await readJson(join(out, "export", "export.json")));
    expect(summary).toEqual(result.exports);
    const consistent = judgements.filter((j) => j.consistent === true).length;
    expect(
      summary.records.preference + summary.dropped["same-text"] + summary.dropped.duplicate,
    ).toBeLessThanOrEqual(consistent);
    const provenance = (await readLines(join(out, "export", "provenance.jsonl"))).map((line) =>
      ExportProvenanceSchema.parse(line),
    );
    expect(provenance).toHaveLength(summary.files.reduce((sum, f) => sum + f.rows, 0));
    const heldOutTexts = pairs.filter((p) => heldOut.has(inputIdOf(p))).map((p) => p.source ?? p.prompt!);
    for (const file of summary.files) {
      const text = await readFile(join(out, "export", file.file), "utf8");
      const rows = file.file.endsWith(".json")
        ? (JSON.parse(text) as unknown[])
        : await readLines(join(out, "export", file.file));
      expect(rows).toHaveLength(file.rows);
      for (const row of rows) layouts[file.format].parse(row);
      for (const heldOutText of heldOutTexts)
        expect(text).not.toContain(JSON.stringify(heldOutText).slice(1, 200));
      const lines = provenance.filter((p) => p.file === file.file);
      expect(lines.map((p) => p.row)).toEqual(rows.map((_, i) => i));
    }
    expect(provenance.every((p) => !heldOut.has(p.inputId))).toBe(true);
    expect(await readFile(join(out, "export", "axolotl.yml"), "utf8")).toContain(
      "type: chat_template.default",
    );
    expect(Object.keys((await readJson(join(out, "export", "dataset_info.json"))) as object)).toEqual([
      "profilekit_dpo_alpaca",
      "profilekit_dpo_sharegpt",
    ]);

    // The data profile: the exported pairs, labelled by the evaluator, aligned with the human profile.
    const dataProfile = DataProfileSchema.parse(await readJson(join(out, "data", "profile.json")));
    expect(dataProfile.pairs).toBe(summary.records.preference);
    const alignment = AlignmentFileSchema.parse(await readJson(join(out, "alignment.json")));
    expect(alignment.comparisons.map((c) => c.compared.label)).toEqual(["data", "before"]);
    // The baseline for `after`: the held-out inputs only.
    const baseline = (await readLines(join(out, "before", "responses.jsonl"))) as { inputId: string }[];
    expect(new Set(baseline.map((r) => r.inputId))).toEqual(heldOut);
    await expectGenerationFolder(join(out, "before"));
    expect(await filesOf(join(out, "before-evaluation"))).toEqual(
      expect.arrayContaining(["judgements.jsonl", "groups.json", "manifest.json"]),
    );
  });

  it("after: the tuned model on the held-out inputs, against the self-data baseline, as a writer and as a judge", async () => {
    const from = join(work, task, "self-data");
    const result = await improve(
      request(task, "after", {
        model: { id: "openai:tuned-model", baseURL: server.openaiBaseURL, maxRetries: 0 },
        from,
      }),
    );
    const out = join(work, task, "after");
    const improvement = ImprovementFileSchema.parse(await readJson(join(out, "improvement.json")));
    expect(improvement).toEqual(result.improvement);
    const split = SplitFileSchema.parse(await readJson(join(from, "split.json")));
    expect(improvement).toMatchObject({
      method: "after",
      model: "openai:tuned-model",
      baseModel: "openai:test-model",
      inputs: { count: split.heldOut.length, split: "held-out" },
    });
    expect(improvement.folders.before).toBe("../self-data/before");
    expect((await stat(join(out, improvement.folders.before, "groups.json"))).isFile()).toBe(true);
    expect(improvement.evaluation?.folders).toEqual({
      before: "../self-data/before-evaluation",
      after: "evaluation",
    });
    const after = (await readLines(join(out, "after", "responses.jsonl"))) as { inputId: string }[];
    expect(new Set(after.map((r) => r.inputId))).toEqual(new Set(split.heldOut));
    // The tuned model writes one sentence at every level, so its length no longer follows the level.
    const length = improvement.factors.find((f) => f.factor === "length")!;
    expect(length.after).toBeLessThan(length.before);
  });
});

describe("improve: the same seed gives the same bytes; a cut-off run resumes; failures and budgets hold", () => {
  it("writes the same bytes twice from empty caches", async () => {
    const first = join(work, "same-bytes");
    await improve(request("summarization", "feedback", { out: first }));
    const kept = join(work, "same-bytes-first");
    await cp(first, kept, { recursive: true });
    await rm(first, { recursive: true });
    await improve(request("summarization", "feedback", { out: first }));
    await improve(request("summarization", "self-data", { out: join(first, "self-data") }));
    await cp(join(first, "self-data"), join(kept, "self-data"), { recursive: true });
    await rm(join(first, "self-data"), { recursive: true });
    await improve(request("summarization", "self-data", { out: join(first, "self-data") }));
    const files = await filesOf(first);
    expect(files).toEqual(await filesOf(kept));
    for (const file of files) {
      const text = await readFile(join(first, file), "utf8");
      expect(text, file).toBe(await readFile(join(kept, file), "utf8"));
      // Paths are relative to the run: the files do not depend on where it is.
      expect(text, file).not.toContain(work);
    }
  });

  it("a run cut off part-way publishes nothing at the top, and the same command then finishes from the cache", async () => {
    const out = join(work, "resume");
    const cache = join(work, "resume.db");
    const controller = new AbortController();
    const seen = server.log.length;
    const watch = setInterval(() => {
      if (server.log.length - seen > 40) controller.abort();
    }, 1);
    await expect(
      improve(request("summarization", "feedback", { out, cache, signal: controller.signal })),
    ).rejects.toMatchObject({ code: "interrupted" });
    clearInterval(watch);
    expect(await filesOf(out).catch(() => [])).not.toContain("improvement.json");
    const before = server.log.length;
    await improve(request("summarization", "feedback", { out, cache }));
    const resumed = server.log.length - before;
    const fresh = server.log.length;
    await improve(request("summarization", "feedback", { out: join(work, "resume-fresh") }));
    expect(resumed).toBeLessThan(server.log.length - fresh);
    expect(await readFile(join(out, "improvement.json"), "utf8")).toBe(
      await readFile(join(work, "resume-fresh", "improvement.json"), "utf8"),
    );
  });

  it("fails loudly when the evaluator's calls fail, and writes no improvement.json", async () => {
    const failing = await startMockServer({
      handler: (r) => (r.responseSchema?.name === "critique" ? { fault: "server-error" } : handler(r)),
    });
    try {
      const out = join(work, "failing");
      await expect(
        improve(
          request("summarization", "feedback", {
            out,
            evaluator: { id: "openai:test-model", baseURL: failing.openaiBaseURL, maxRetries: 0 },
          }),
        ),
      ).rejects.toMatchObject({ code: "too_many_failures" });
      expect(await filesOf(out)).not.toContain("improvement.json");
    } finally {
      await failing.close();
    }
  });

  it("holds one budget over every part of the run, not one per part", async () => {
    const priced = (maxCost?: number) => ({
      id: "openai:gpt-4o-mini",
      baseURL: server.openaiBaseURL,
      maxRetries: 0,
      ...(maxCost === undefined ? {} : { maxCost }),
    });
    const free = await improve(
      request("summarization", "guided", {
        out: join(work, "budget-free"),
        model: priced(),
        extractor: priced(),
      }),
    );
    const cost = (part: string) =>
      free.usage.byStage
        .filter((s) => s.stage.startsWith(`${part}/`))
        .reduce((sum, s) => sum + s.costUsd!, 0);
    // Each part alone fits the cap; both together do not.
    const cap = 1.5 * Math.max(cost("before"), cost("after"));
    expect(cost("before") + cost("after")).toBeGreaterThan(cap);
    const out = join(work, "budget");
    await expect(
      improve(request("summarization", "guided", { out, model: priced(cap), extractor: priced(cap) })),
    ).rejects.toMatchObject({ code: "budget_exceeded" });
    const files = await filesOf(out);
    expect(files).toContain("before/manifest.json");
    expect(files).not.toContain("after/manifest.json");
    expect(files).not.toContain("improvement.json");
  });

  it("prices a dry run of every method, calling nothing", async () => {
    const calls = server.log.length;
    for (const method of ["guided", "feedback", "self-data"] as const) {
      const { dryRun } = await estimateImprove(request("summarization", method, { out: undefined }));
      const purposes = dryRun.plans.map((p) => p.purpose);
      expect(purposes).toEqual(expect.arrayContaining(["generate", "extract"]));
      if (method === "feedback") expect(purposes).toEqual(expect.arrayContaining(["critique", "revise"]));
      if (method === "self-data") expect(purposes).toEqual(expect.arrayContaining(["sample", "judge"]));
    }
    expect(server.log.length).toBe(calls);
  });
});
