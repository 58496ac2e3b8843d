import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeModel, type MockServer } from "@profilekit/llm/testing";
import type { Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockServers, runModelStage } from "./testing/model-stage-run.js";
import { runCli } from "./testing/run-cli.js";
import { readJson, readLines } from "./testing/run-output.js";
import { hasSharedData, samplePairs, writeSample } from "./testing/sample-pairs.js";

// The fake model writes as many sentences (of six words each) as the level it
// is asked for ("would score 3" gives three), so the text alone says which
// level it was written for.
const sentences = (text: string) => (text.match(/\./g) ?? []).length;

let work: string;
let summaries: Pair[];
let summariesFile: string;
let instructions: Pair[];
let instructionsFile: string;
const serve = mockServers();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-generate-"));
  if (!hasSharedData) return;
  summaries = await samplePairs("summ-news", "summ_news_pairwise_zhang2023", 30);
  summariesFile = await writeSample(join(work, "summ-news-30.jsonl"), summaries);
  instructions = await samplePairs("autoj", "autoj_pairwise_test", 30);
  instructionsFile = await writeSample(join(work, "autoj-30.jsonl"), instructions);
});
afterAll(() => rm(work, { recursive: true, force: true }));

let runs = 0;
async function generate(
  server: MockServer,
  file: string,
  extra: string[],
  cache = join(work, `cache-${++runs}.db`),
) {
  return runModelStage("generate", file, server, { cache, out: join(work, `out-${++runs}`) }, extra);
}

/** The first `n` distinct (source, prompt) inputs of the pairs, in order. */
function firstInputs(pairs: readonly Pair[], n: number): { source?: string; prompt?: string }[] {
  const seen = new Map<string, { source?: string; prompt?: string }>();
  for (const pair of pairs) {
    const key = JSON.stringify([pair.source ?? null, pair.prompt ?? null]);
    if (!seen.has(key)) seen.set(key, { source: pair.source, prompt: pair.prompt });
  }
  return [...seen.values()].slice(0, n);
}

const userMessage = (request: { messages: readonly { role: string; content: string }[] }) =>
  request.messages.find((m) => m.role === "user")!.content;

describe.skipIf(!hasSharedData)("profilekit generate (shared data, mock server)", () => {
  it("writes K responses per input and pairs every two, the higher level preferred", async () => {
    const server = await serve(createFakeModel());
    const run = await generate(server, summariesFile, ["--levels", "4", "--limit", "3"]);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const inputs = firstInputs(summaries, 3);
    expect(inputs).toHaveLength(3);

    // One call per input and level, each asking for its level with the input's source.
    expect(server.stats.requests).toBe(12);
    const asked = server.log.map((request) => {
      const text = userMessage(request);
      return `${inputs.findIndex((input) => text.includes(input.source!))}:${/would score (\d+) on a quality scale from 1 \(worst\) to 4/.exec(text)?.[1]}`;
    });
    expect(new Set(asked)).toEqual(
      new Set(inputs.flatMap((_, i) => [1, 2, 3, 4].map((level) => `${i}:${level}`))),
    );

    const responses = await readLines(join(run.out, "responses.jsonl"));
    expect(responses.map((r) => r.level)).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
    expect(new Set(responses.map((r) => r.inputId)).size).toBe(3);
    for (const response of responses) {
      expect(response.status).toBe("kept");
      expect(sentences(response.text)).toBe(response.level);
      // The seed recorded is the seed sent with that call.
      const request = server.log.find((r) => r.seed === response.seed);
      expect(request, `seed of ${response.inputId}/${response.level}`).toBeDefined();
      expect(userMessage(request!)).toContain(`would score ${response.level} `);
    }

    const pairs = await readLines(join(run.out, "pairs.jsonl"));
    expect(pairs).toHaveLength(3 * 6); // C(4, 2) per input
    const textOf = new Map(responses.map((r) => [`${r.inputId}#${r.level}`, r.text]));
    inputs.forEach((input, i) => {
      const inputId = responses[4 * i].inputId;
      const own = pairs.filter((p) => p.id.startsWith(`${inputId}/`));
      // Every generated pair of an input is resampled with its input's human cluster.
      expect(new Set(own.map((p) => p.group)).size).toBe(1);
      expect(own.map((p) => [p.meta.levelA, p.meta.levelB].sort().join("v")).sort()).toEqual([
        "1v2",
        "1v3",
        "1v4",
        "2v3",
        "2v4",
        "3v4",
      ]);
      for (const pair of own) {
        expect(pair.source).toBe(input.source);
        expect(pair.label).toBe(pair.meta.levelA > pair.meta.levelB ? "a" : "b");
        expect(pair.a).toBe(textOf.get(`${inputId}#${pair.meta.levelA}`));
        expect(pair.b).toBe(textOf.get(`${inputId}#${pair.meta.levelB}`));
        expect(sentences(pair.label === "a" ? pair.a : pair.b)).toBeGreaterThan(
          sentences(pair.label === "a" ? pair.b : pair.a),
        );
      }
    });
    // The higher level is put in a or b by a coin, not always in the same place.
    const labelA = pairs.filter((p) => p.label === "a").length;
    expect(labelA).toBeGreaterThan(0);
    expect(labelA).toBeLessThan(pairs.length);

    const labels = await readLines(join(run.out, "labels.jsonl"));
    expect(labels.map((l) => [l.pairId, l.label, l.source])).toEqual(
      pairs.map((p) => [p.id, p.label, "generation:openai:test-model"]),
    );
    const profile = await readJson(join(run.out, "profile.json"));
    expect(profile.generation).toEqual({ inputs: 3, levels: 4, responses: 12, dropped: 0, pairs: 18 });
    // Level s has 6s words: the preferred response is always the longer one.
    expect(profile.factors[0]).toMatchObject({
      factor: "length",
      tau: 1,
      concordant: 18,
      discordant: 0,
      factorTies: 0,
    });
    expect((await readdir(run.out)).sort()).toEqual([
      "groups.json",
      "labels.jsonl",
      "manifest.json",
      "manifestations.jsonl",
      "pairs.jsonl",
      "profile.csv",
      "profile.json",
      "responses.jsonl",
    ]);
    const manifest = await readJson(join(run.out, "manifest.json"));
    expect(manifest.models.generator).toBe("openai:test-model");
    expect(manifest.generation.prompt.version).toBe("summarization-generation@1");
    expect(manifest.usage.byStage.map((s: { stage: string; calls: number }) => [s.stage, s.calls])).toEqual([
      ["generate", 12],
    ]);
    expect(run.stdout).toMatch(/wrote 12 of 12 responses/);
  });

  it("--self-check drops responses scored off their target, and those it could not score", async () => {
    const inputs = firstInputs(instructions, 4);
    const fake = createFakeModel();
    // The model rates a response by its sentence count (= its level), except that it
    // rates its level-4 responses 2 (off by 2 > delta 1); scoring the first input's
    // level-1 response fails.
    const server = await serve((request) => {
      if (request.responseSchema?.name !== "self_score") return fake(request);
      const text = userMessage(request);
      const response = /<response>\n([\s\S]*?)\n<\/response>/.exec(text)![1]!;
      const level = sentences(response);
      if (level === 1 && text.includes(`<prompt>\n${inputs[0]!.prompt}\n</prompt>`))
        return { fault: "server-error" };
      return { json: { score: level === 4 ? 2 : level } };
    });
    const run = await generate(server, instructionsFile, [
      "--levels",
      "4",
      "--limit",
      "4",
      "--self-check",
      "--delta",
      "1",
      "--max-retries",
      "0",
    ]);
    expect(run.code).toBe(0);
    expect(server.stats.requests).toBe(16 + 16);
    const responses = await readLines(join(run.out, "responses.jsonl"));
    expect(responses.map((r) => r.status)).toEqual([
      "unscored",
      "kept",
      "kept",
      "off-target",
      ...Array.from({ length: 3 }, () => ["kept", "kept", "kept", "off-target"]).flat(),
    ]);
    expect(responses.filter((r) => r.status === "off-target").every((r) => r.selfScore === 2)).toBe(true);
    const pairs = await readLines(join(run.out, "pairs.jsonl"));
    expect(pairs).toHaveLength(1 + 3 * 3); // C(2, 2) for the first input, C(3, 2) for the others
    for (const pair of pairs) {
      expect([pair.meta.levelA, pair.meta.levelB]).not.toContain(4);
      expect(pair.prompt).toBeDefined();
    }
    const profile = await readJson(join(run.out, "profile.json"));
    expect(profile.generation).toEqual({ inputs: 4, levels: 4, responses: 16, dropped: 5, pairs: 10 });
    const manifest = await readJson(join(run.out, "manifest.json"));
    expect(manifest.counts).toMatchObject({ offTarget: 4, unscored: 1, failed: 0, kept: 11 });
    expect(manifest.generation.selfCheck).toEqual({
      delta: 1,
      prompt: { id: "self-score", version: "self-score@1" },
    });
    expect(run.stdout).toMatch(/dropped 4 off target and 1 unscored/);
  });

  it("gives the same bytes with the same seed, the second run from the cache with no request", async () => {
    const server = await serve(createFakeModel());
    const cache = join(work, "shared-cache.db");
    const args = [
      "--levels",
      "3",
      "--limit",
      "4",
      "--self-check",
      "--seed",
      "11",
      "--bootstrap",
      "100",
      "--permutations",
      "99",
    ];
    const first = await generate(server, instructionsFile, args, cache);
    expect(first.code).toBe(0);
    expect(server.stats.requests).toBe(4 * 3 * 2);
    const second = await generate(server, instructionsFile, args, cache);
    expect(second.code).toBe(0);
    expect(server.stats.requests).toBe(4 * 3 * 2); // nothing new reached the server
    const files = (await readdir(first.out)).sort();
    for (const file of files.filter((f) => f !== "manifest.json")) {
      expect(await readFile(join(second.out, file), "utf8"), file).toBe(
        await readFile(join(first.out, file), "utf8"),
      );
    }
    const [m1, m2] = [
      await readJson(join(first.out, "manifest.json")),
      await readJson(join(second.out, "manifest.json")),
    ];
    expect(m2.usage.total).toMatchObject({ calls: 24, requests: 0, cacheHits: 24 });
    expect({ ...m2, usage: null }).toEqual({ ...m1, usage: null });

    // Another seed: other call seeds (new requests) and other coins for a and b.
    const other = await generate(server, instructionsFile, [...args.slice(0, -6), "--seed", "12"], cache);
    expect(other.code).toBe(0);
    expect(server.stats.requests).toBeGreaterThan(24);
    const sides = async (out: string) =>
      (await readLines(join(out, "pairs.jsonl"))).map((p) => `${p.id}:${p.meta.levelA}`);
    expect(await sides(other.out)).not.toEqual(await sides(first.out));
  });

  it("--dry-run estimates the calls and calls nothing", async () => {
    const server = await serve(createFakeModel());
    const run = await generate(server, summariesFile, ["--levels", "4", "--limit", "3", "--dry-run"]);
    expect(run.code).toBe(0);
    expect(server.stats.requests).toBe(0);
    expect(run.stdout).toMatch(/12 calls to openai:test-model, 0 already in the cache, 12 to make/);
    await expect(readdir(run.out)).rejects.toThrow();
  });

  it("refuses fewer than 2 levels (exit 2)", async () => {
    const server = await serve(createFakeModel());
    const run = await generate(server, summariesFile, ["--levels", "1"]);
    expect(run.code).toBe(2);
    expect(server.stats.requests).toBe(0);
  });

  it("explains itself in --help", async () => {
    const run = await runCli(["generate", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/aimed at a quality score/);
    expect(run.stdout).toMatch(/Examples:/);
  });
});
