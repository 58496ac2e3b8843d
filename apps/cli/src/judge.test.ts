import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeModel, type MockServer } from "@profilekit/llm/testing";
import type { Label, Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockServers, runModelStage } from "./testing/model-stage-run.js";
import { runCli } from "./testing/run-cli.js";
import { readJson, readLines } from "./testing/run-output.js";
import { hasSharedData, samplePairs, writeSample } from "./testing/sample-pairs.js";

// A judge that prefers the longer response (in characters): its labels can be
// computed here from the texts alone, independently of the command.
const longer = (text: string) => text.trim().length;
const expectedLabel = (pair: Pair): Label => (longer(pair.a) > longer(pair.b) ? "a" : "b");
/** What a judge call shows of a pair: identical pairs (several annotators of one comparison) are asked once. */
const shownTexts = (pair: Pair) => JSON.stringify([pair.source, pair.prompt, pair.a, pair.b]);

let work: string;
let pairs: Pair[];
let input: string;
/** Distinct calls of the sample: two per distinct pair (the client merges identical calls). */
let distinctCalls: number;
const serve = mockServers();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-judge-"));
  if (!hasSharedData) return;
  pairs = await samplePairs("summ-news", "summ_news_pairwise_zhang2023", 30);
  input = await writeSample(join(work, "summ-news-30.jsonl"), pairs);
  distinctCalls = 2 * new Set(pairs.map(shownTexts)).size;
});
afterAll(() => rm(work, { recursive: true, force: true }));

let runs = 0;
/** Runs `judge` on the sample with a fresh cache (unless given) and a fresh output folder. */
async function judge(server: MockServer, extra: string[] = [], cache = join(work, `cache-${++runs}.db`)) {
  return runModelStage("judge", input, server, { cache, out: join(work, `out-${++runs}`) }, extra);
}

/** Cohen's kappa over a, b and tie, written out here from its definition. */
function kappa(x: readonly Label[], y: readonly Label[]): number {
  const n = x.length;
  const po = x.filter((label, i) => label === y[i]).length / n;
  let pe = 0;
  for (const label of ["a", "b", "tie"] as const) {
    pe += (x.filter((l) => l === label).length / n) * (y.filter((l) => l === label).length / n);
  }
  return (po - pe) / (1 - pe);
}

/** The responses a request showed as A and B (the summarization judge prompt's tags). */
function shown(request: { messages: readonly { role: string; content: string }[] }): [string, string] {
  const user = request.messages.find((m) => m.role === "user")!.content;
  return [
    /<summary_a>\n([\s\S]*?)\n<\/summary_a>/.exec(user)![1]!,
    /<summary_b>\n([\s\S]*?)\n<\/summary_b>/.exec(user)![1]!,
  ];
}

describe.skipIf(!hasSharedData)("profilekit judge (30 summ-news pairs, mock server)", () => {
  it("the sample has distinct lengths, so the length judge's labels are defined", () => {
    expect(pairs).toHaveLength(30);
    expect(distinctCalls).toBeLessThan(60); // some comparisons were rated by several annotators
    for (const pair of pairs) expect(longer(pair.a)).not.toBe(longer(pair.b));
  });

  it("asks every pair in both orders, keeps the verdicts, and reports agreement with the humans", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const run = await judge(server);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(server.stats.requests).toBe(distinctCalls);
    // Both orders of every pair were shown, and (for a pair asked on its own) the order asked first came first.
    const judgements = await readLines(join(run.out, "judgements.jsonl"));
    expect(judgements.map((j) => j.pairId)).toEqual(pairs.map((p) => p.id));
    const copies = (pair: Pair) => pairs.filter((other) => shownTexts(other) === shownTexts(pair)).length;
    pairs.forEach((pair, i) => {
      const original = server.log.findIndex((r) => shown(r)[0] === pair.a && shown(r)[1] === pair.b);
      const swapped = server.log.findIndex((r) => shown(r)[0] === pair.b && shown(r)[1] === pair.a);
      expect(original, pair.id).toBeGreaterThanOrEqual(0);
      expect(swapped, pair.id).toBeGreaterThanOrEqual(0);
      if (copies(pair) === 1)
        expect(judgements[i].firstOrder).toBe(original < swapped ? "original" : "swapped");
    });
    // The first order is a coin per pair, not a constant.
    const firstOriginal = judgements.filter((j) => j.firstOrder === "original").length;
    expect(firstOriginal).toBeGreaterThan(5);
    expect(firstOriginal).toBeLessThan(25);

    const model = pairs.map(expectedLabel);
    judgements.forEach((j, i) => {
      expect(j.label).toBe(model[i]);
      expect(j.verdicts.original).toBe(model[i]);
      expect(j.verdicts.swapped).toBe(model[i] === "a" ? "b" : "a"); // by position: the stored a is shown second
      expect(j.consistent).toBe(true);
      expect(j.human).toBe(pairs[i]!.label);
    });
    const labels = await readLines(join(run.out, "labels.jsonl"));
    expect(labels.map((l) => [l.pairId, l.label, l.source])).toEqual(
      pairs.map((p, i) => [p.id, model[i], "judge:openai:test-model"]),
    );

    const human = pairs.map((p) => p.label);
    const decisive = human.map((h, i) => [h, model[i]]).filter(([h]) => h !== "tie");
    const profile = await readJson(join(run.out, "profile.json"));
    expect(profile.agreement.accuracy).toBeCloseTo(
      decisive.filter(([h, m]) => h === m).length / decisive.length,
      12,
    );
    expect(profile.agreement.kappa).toBeCloseTo(kappa(human, model), 12);
    expect(profile.agreement.positionConsistency).toBe(1);
    expect(profile.agreement.tieRate).toBe(0);
    expect(Object.keys(profile.agreement).sort()).toEqual([
      "accuracy",
      "kappa",
      "positionConsistency",
      "tieRate",
    ]);
    expect(profile.pairs).toBe(30);
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual(["length", "novelty"]);

    expect((await readdir(run.out)).sort()).toEqual([
      "groups.json",
      "judgements.jsonl",
      "labels.jsonl",
      "manifest.json",
      "manifestations.jsonl",
      "pairs.jsonl",
      "profile.csv",
      "profile.json",
    ]);
    expect(await readLines(join(run.out, "pairs.jsonl"))).toEqual(await readLines(input));
    const manifest = await readJson(join(run.out, "manifest.json"));
    expect(manifest.models.judge).toBe("openai:test-model");
    expect(manifest.judge.prompt.version).toBe("summarization-judge@1");
    expect(manifest.counts).toMatchObject({ inputPairs: 30, judged: 30, failed: 0 });
    expect(manifest.usage.total).toMatchObject({ calls: 60, requests: distinctCalls });
    expect(manifest.usage.total.merged + manifest.usage.total.cacheHits).toBe(60 - distinctCalls);
    expect(run.stdout).toMatch(/accuracy without ties/);
    expect(run.stdout).toMatch(/model calls: 60/);
  });

  it("sets single-factor baselines beside the agreement: a judge that only picks the longer is no better than length", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const run = await judge(server, ["--option", "length.unit=chars", "--bootstrap", "200"]);
    expect(run.code, run.stderr).toBe(0);
    const { agreement, agreementStatistics: stats } = await readJson(join(run.out, "profile.json"));
    // Counted here from the texts: the decisive human labels, and how many picking the longer gets right.
    const decisive = pairs.filter((pair) => pair.label !== "tie");
    const right = decisive.filter((pair) => expectedLabel(pair) === pair.label).length;
    expect(stats.accuracyWithoutTies).toMatchObject({ count: right, of: decisive.length });
    expect(stats.accuracyWithoutTies.value).toBeCloseTo(agreement.accuracy, 12);
    expect(stats.accuracyWithoutTies.ci95[0]).toBeLessThanOrEqual(stats.accuracyWithoutTies.value);
    expect(stats.accuracyWithoutTies.ci95[1]).toBeGreaterThanOrEqual(stats.accuracyWithoutTies.value);
    expect(stats.pairs).toBe(30);
    expect(stats.bootstrap).toBe(200);
    expect(stats.baselines.map((b: { factor: string }) => b.factor)).toEqual(["length", "novelty"]);
    const [length] = stats.baselines;
    expect(length.accuracyWithoutTies).toMatchObject({ count: right, of: decisive.length });
    expect(length.judgeMinusBaseline.value).toBe(0);
    expect(length.judgeMinusBaseline.ci95).toEqual([0, 0]);
    expect(length.judgeBetter).toBe(false);
    expect(stats.warnings.join(" ")).toContain('judging by "length" alone');
    expect(run.stdout).toMatch(/^ {2}length .*judge not shown better$/m);
    expect(run.stdout).toMatch(/accuracy without ties +0\.\d{4} {2}\[0\.\d{4}, [01]\.\d{4}\] {2}\d+ of \d+/);
  });

  it("profiles the model's labels exactly as analyze profiles the same labels", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const judged = await judge(server, ["--bootstrap", "200", "--permutations", "99"]);
    expect(judged.code).toBe(0);
    const relabelled = pairs.map((p) => ({ ...p, label: expectedLabel(p) }));
    const file = await writeSample(join(work, "relabelled.jsonl"), relabelled);
    const out = join(work, "analyze-relabelled");
    const analyzed = await runCli([
      "analyze",
      file,
      "--factors",
      "length,novelty",
      "--bootstrap",
      "200",
      "--permutations",
      "99",
      "--out",
      out,
    ]);
    expect(analyzed.code).toBe(0);
    const { agreement, agreementStatistics, ...profile } = await readJson(join(judged.out, "profile.json"));
    expect(profile).toEqual(await readJson(join(out, "profile.json")));
    expect(await readFile(join(judged.out, "manifestations.jsonl"), "utf8")).toBe(
      await readFile(join(out, "manifestations.jsonl"), "utf8"),
    );
  });

  it("turns a position-biased judge into ties: position consistency 0", async () => {
    const server = await serve(createFakeModel({ positionBias: true }));
    const run = await judge(server);
    expect(run.code).toBe(0);
    const judgements = await readLines(join(run.out, "judgements.jsonl"));
    for (const j of judgements) {
      expect(j.verdicts).toEqual({ original: "a", swapped: "a" });
      expect(j.label).toBe("tie");
      expect(j.consistent).toBe(false);
    }
    const profile = await readJson(join(run.out, "profile.json"));
    const human = pairs.map((p) => p.label);
    expect(profile.agreement.positionConsistency).toBe(0);
    expect(profile.agreement.tieRate).toBe(1);
    expect(profile.agreement.accuracy).toBeNull(); // no pair where neither label is a tie
    expect(profile.agreement.kappa).toBeCloseTo(
      kappa(
        human,
        human.map(() => "tie"),
      ),
      12,
    );
    expect(profile.preferenceTies).toBe(30);
    for (const factor of profile.factors) expect(factor.tau).toBeNull();
  });

  it("offers tie only with --allow-ties, and keeps a tie both orders agree on", async () => {
    const server = await serve(createFakeModel({ measure: () => 0 }));
    const without = await judge(server);
    expect(without.code).toBe(0);
    const schemaOf = (i: number) => JSON.stringify(server.log[i]!.responseSchema!.jsonSchema);
    expect(schemaOf(0)).toMatch(/"enum":\["a","b"\]/);
    expect(server.log[0]!.messages.at(-1)!.content).toMatch(/Answer "a" or "b"/);
    server.reset();
    const withTies = await judge(server, ["--allow-ties"]);
    expect(withTies.code).toBe(0);
    expect(schemaOf(0)).toMatch(/"enum":\["a","b","tie"\]/);
    const judgements = await readLines(join(withTies.out, "judgements.jsonl"));
    for (const j of judgements) {
      expect(j.verdicts).toEqual({ original: "tie", swapped: "tie" });
      expect(j).toMatchObject({ label: "tie", consistent: true });
    }
    const profile = await readJson(join(withTies.out, "profile.json"));
    expect(profile.agreement).toMatchObject({ positionConsistency: 1, tieRate: 1 });
  });

  it("leaves a pair whose call failed without a label, counts it, and profiles the rest", async () => {
    const failing = pairs[3]!;
    const fake = createFakeModel({ measure: (_key, text) => longer(text) });
    const server = await serve((request) =>
      shown(request).includes(failing.a) ? { fault: "server-error" } : fake(request),
    );
    const run = await judge(server, ["--max-retries", "0"]);
    expect(run.code).toBe(0);
    const judgements = await readLines(join(run.out, "judgements.jsonl"));
    const failed = judgements.filter((j) => j.label === null);
    expect(failed.map((j) => j.pairId)).toEqual([failing.id]);
    expect(failed[0].errors.original).toMatch(/model_call_failed/);
    const manifest = await readJson(join(run.out, "manifest.json"));
    expect(manifest.counts).toMatchObject({ inputPairs: 30, judged: 29, failed: 1 });
    const profile = await readJson(join(run.out, "profile.json"));
    expect(profile.pairs).toBe(29);
    expect((await readLines(join(run.out, "labels.jsonl"))).map((l) => l.pairId)).not.toContain(failing.id);
    const kept = pairs.filter((p) => p.id !== failing.id);
    expect(profile.agreement.kappa).toBeCloseTo(
      kappa(
        kept.map((p) => p.label),
        kept.map(expectedLabel),
      ),
      12,
    );
    expect(run.stdout).toMatch(/1 without a label/);
  });

  it("gives the same bytes with the same seed, the second run from the cache with no request", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const cache = join(work, "shared-cache.db");
    const first = await judge(server, ["--bootstrap", "100", "--permutations", "99", "--seed", "7"], cache);
    expect(first.code).toBe(0);
    expect(server.stats.requests).toBe(distinctCalls);
    const second = await judge(server, ["--bootstrap", "100", "--permutations", "99", "--seed", "7"], cache);
    expect(second.code).toBe(0);
    expect(server.stats.requests).toBe(distinctCalls); // nothing new reached the server
    const files = (await readdir(first.out)).sort();
    expect((await readdir(second.out)).sort()).toEqual(files);
    for (const file of files.filter((f) => f !== "manifest.json")) {
      expect(await readFile(join(second.out, file), "utf8"), file).toBe(
        await readFile(join(first.out, file), "utf8"),
      );
    }
    // manifest.json differs only in what this run spent: all from the cache.
    const [m1, m2] = [
      await readJson(join(first.out, "manifest.json")),
      await readJson(join(second.out, "manifest.json")),
    ];
    expect(m2.usage.total).toMatchObject({ calls: 60, requests: 0, cacheHits: 60, costUsd: 0 });
    expect({ ...m2, usage: null }).toEqual({ ...m1, usage: null });

    // Another seed draws other first orders.
    const other = await judge(server, ["--seed", "8"], cache);
    const orders = async (out: string) =>
      (await readLines(join(out, "judgements.jsonl"))).map((j) => j.firstOrder);
    expect(await orders(other.out)).not.toEqual(await orders(first.out));
  });

  it("--dry-run estimates the calls and calls nothing", async () => {
    const server = await serve(createFakeModel());
    const run = await judge(server, ["--dry-run"]);
    expect(run.code).toBe(0);
    expect(server.stats.requests).toBe(0);
    expect(run.stdout).toContain(
      `60 calls to openai:test-model, 0 already in the cache, ${distinctCalls} to make`,
    );
    await expect(readdir(run.out)).rejects.toThrow();
  });

  it("with --extractor adds the task's model factors, whose extractions another judge re-uses from the cache", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const cache = join(work, "extractor-cache.db");
    const extractor = [
      "--extractor",
      "openai:extractor-model",
      "--factors",
      "length,fluency,intent-alignment",
    ];
    const first = await judge(server, extractor, cache);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    const profile = await readJson(join(first.out, "profile.json"));
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "length",
      "fluency",
      "intent-alignment",
    ]);
    for (const factor of profile.factors) expect(factor.missing).toBe(0);
    const manifest = await readJson(join(first.out, "manifest.json"));
    expect(manifest.models).toEqual({ judge: "openai:test-model", extractor: "openai:extractor-model" });
    const stages = (m: { usage: { byStage: { stage: string; requests: number }[] } }) =>
      Object.fromEntries(m.usage.byStage.map((s) => [s.stage, s.requests]));
    expect(stages(manifest).extract).toBeGreaterThan(0);
    expect(server.log.some((r) => r.model === "extractor-model")).toBe(true);

    // Another judge, the same extractor: only the judge's calls reach the server.
    const second = await runCli([
      "judge",
      input,
      "--model",
      "openai:other-judge",
      "--base-url",
      server.openaiBaseURL,
      "--cache-path",
      cache,
      ...extractor,
      "--bootstrap",
      "0",
      "--permutations",
      "0",
      "--out",
      join(work, "other-judge"),
    ]);
    expect(second.code).toBe(0);
    const again = await readJson(join(work, "other-judge", "manifest.json"));
    expect(stages(again)).toEqual({ extract: 0, judge: distinctCalls });
  });

  it("by default profiles the task's factors that need no model", async () => {
    const server = await serve(createFakeModel({ measure: (_key, text) => longer(text) }));
    const out = join(work, "default-factors");
    const run = await runCli([
      "judge",
      input,
      "--model",
      "openai:test-model",
      "--base-url",
      server.openaiBaseURL,
      "--cache-path",
      join(work, "default-factors.db"),
      "--bootstrap",
      "0",
      "--permutations",
      "0",
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    const profile = await readJson(join(out, "profile.json"));
    // summarization: PROFILE's length, and the classical measures of the task
    expect(profile.factors.map((f: { factor: string }) => f.factor)).toEqual([
      "length",
      "novelty",
      "source-overlap",
      "readability",
      "formality",
    ]);
  });

  it("refuses a model factor without --extractor before any call (exit 2)", async () => {
    const server = await serve(createFakeModel());
    const run = await judge(server, ["--factors", "length,fluency"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error\[model_required\]/);
    expect(server.stats.requests).toBe(0);
  });

  it("explains itself in --help", async () => {
    const run = await runCli(["judge", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/both orders/);
    expect(run.stdout).toMatch(/Examples:/);
  });
});
