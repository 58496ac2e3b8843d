import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs, writeJsonl } from "@profilekit/data";
import { createFakeModel } from "@profilekit/llm/testing";
import type { Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockServers } from "./testing/model-stage-run.js";
import { runCli } from "./testing/run-cli.js";
import { readJson } from "./testing/run-output.js";

// `profilekit improve` and `settings.improvement` in `profilekit run`: the command is a thin
// adapter over @profilekit/refine (whose own tests check every artifact); here, that the flags
// reach it, the output is printed, a dry run calls nothing, and a study runs and resumes it.

process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";
const serve = mockServers();
let work: string;
let file: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-improve-cli-"));
  const pairs: Pair[] = [];
  const seen = new Map<string, number>();
  for await (const pair of readPairs(
    fileURLToPath(new URL("../../../data/summeval-subset.jsonl.gz", import.meta.url)),
  )) {
    const n = seen.get(pair.source!) ?? 0;
    if (n === 0 && seen.size === 7) break;
    seen.set(pair.source!, n + 1);
    if (n < 2) pairs.push(pair);
  }
  file = join(work, "pairs.jsonl");
  await writeJsonl(file, pairs);
});
afterAll(() => rm(work, { recursive: true, force: true }));

const common = (baseURL: string, cache: string) => [
  "--base-url",
  baseURL,
  "--cache-path",
  cache,
  "--factors",
  "length,novelty",
  "--bootstrap",
  "20",
  "--permutations",
  "0",
];

describe("profilekit improve", () => {
  it("runs a method from the flags, prints the before/after summary and says what it wrote", async () => {
    const server = await serve(createFakeModel());
    const cache = join(work, "cache-1.db");
    const human = await runCli([
      "analyze",
      file,
      "--factors",
      "length,novelty",
      "--bootstrap",
      "20",
      "--permutations",
      "0",
      "--out",
      join(work, "human"),
    ]);
    expect(human.code).toBe(0);
    const out = join(work, "feedback");
    const run = await runCli([
      "improve",
      file,
      "--method",
      "feedback",
      "--model",
      "openai:test-model",
      "--human",
      join(work, "human"),
      "--levels",
      "3",
      "--rounds",
      "1",
      ...common(server.openaiBaseURL, cache),
      "--out",
      out,
    ]);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^improve --method feedback: openai:test-model, evaluator openai:test-model \(the generator itself/,
    );
    expect(run.stdout).toMatch(/Kendall tau_b .* \[/);
    expect(run.stdout).toMatch(/^revision: \d+ of 21 responses revised/m);
    expect(run.stderr).toContain(
      `wrote before/, after/, improvement.json, revision-profile.json, manifest.json to ${out}`,
    );
    const improvement = (await readJson(join(out, "improvement.json"))) as {
      method: string;
      levels: number;
      factorsCompared: string[];
    };
    expect(improvement).toMatchObject({
      method: "feedback",
      levels: 3,
      factorsCompared: ["length", "novelty"],
    });
    // --rounds 1: one critique per draft, at most one revision.
    expect(server.log.filter((r) => r.responseSchema?.name === "critique")).toHaveLength(21);
  });

  it("prices a dry run and calls nothing; a method it does not know is a usage error", async () => {
    const server = await serve(createFakeModel());
    const args = [
      "improve",
      file,
      "--model",
      "openai:gpt-4o-mini",
      "--human",
      join(work, "human"),
      "--levels",
      "3",
    ];
    const dry = await runCli([
      ...args,
      "--method",
      "self-data",
      "--dry-run",
      ...common(server.openaiBaseURL, join(work, "dry.db")),
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: improve --method self-data, 7 inputs/);
    expect(dry.stdout).toMatch(/sample/);
    expect(server.stats.requests).toBe(0);
    const bad = await runCli([
      ...args,
      "--method",
      "polish",
      ...common(server.openaiBaseURL, join(work, "dry.db")),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error\[invalid_option\]: invalid improve request: method/);
  });
});

describe("profilekit improve --batch submit", () => {
  it("exits 0 after each round with what it submitted, and finishes after the last collect", async () => {
    const server = await serve(createFakeModel(), { batches: { pollsToEnd: 0 } });
    const cache = join(work, "cache-batch.db");
    const out = join(work, "guided-batch");
    const improve = () =>
      runCli([
        "improve",
        file,
        "--method",
        "guided",
        "--model",
        "openai:test-model",
        "--human",
        join(work, "human"),
        "--levels",
        "3",
        ...common(server.openaiBaseURL, cache),
        "--out",
        out,
        "--batch",
        "submit",
      ]);
    const collect = async () => {
      const collected = await runCli(["batch", "collect", "--cache-path", cache]);
      expect(collected.code).toBe(0);
    };
    // The plain generation, then the guided one (the factors need no model).
    const first = await improve();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^improve: 20 calls submitted in 1 batch, about /);
    expect(first.stdout).toContain("1 canary call made synchronously first");
    expect(first.stdout).toContain("1 more round of dependent calls after this one");
    expect(server.stats.requests).toBe(1);
    await collect();
    const second = await improve();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^improve: 20 calls submitted in 1 batch/);
    expect(second.stdout).toContain("This is the last round");
    await collect();
    const requests = server.stats.requests;
    const last = await improve();
    expect(last.stderr).not.toMatch(/error/);
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/^improve --method guided: openai:test-model/);
    expect(server.stats.requests).toBe(requests);
    expect(server.batches.stats.created).toBe(2);
    expect(JSON.parse(await readFile(join(out, "improvement.json"), "utf8"))).toMatchObject({
      method: "guided",
      levels: 3,
    });
  });
});

/** A study of the pairs with the human setting and guided improvement, its models behind `baseURL`. */
const guidedStudy = (baseURL: string, out: string, cache: string) =>
  JSON.stringify({
    task: "summarization",
    data: { path: "./pairs.jsonl" },
    factors: ["length", "novelty"],
    models: { generator: "openai:test-model", defaults: { baseURL } },
    settings: { human: true, improvement: { method: "guided", levels: 3 } },
    scoring: { bootstrap: 20, permutations: 0, alignmentReplicates: 100 },
    out,
    cache,
    report: false,
  });

describe("settings.improvement in profilekit run", () => {
  it("runs improve after the human setting into improvement/, records it, and resumes it", async () => {
    const server = await serve(createFakeModel());
    const config = join(work, "profilekit.config.json");
    await writeFile(config, guidedStudy(server.openaiBaseURL, "study", "cache.db"));
    const first = await runCli(["run", "--config", config]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("== improvement (ran) ==");
    expect(first.stderr).toContain("improvement/");
    const manifest = (await readJson(join(work, "study", "manifest.json"))) as {
      stages: Record<string, { status: string }>;
    };
    expect(manifest.stages.improvement).toMatchObject({ folder: "improvement", status: "run" });
    const improvement = await readFile(join(work, "study", "improvement", "improvement.json"), "utf8");
    expect(JSON.parse(improvement)).toMatchObject({ method: "guided", levels: 3 });

    const requests = server.stats.requests;
    const second = await runCli(["run", "--config", config]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("improvement: finished earlier for the same config and data; skipped");
    expect(server.stats.requests).toBe(requests);

    // In batch mode, the improvement's rounds go in the study's batches, and end in the same bytes.
    const batchServer = await serve(createFakeModel(), { batches: { pollsToEnd: 0 } });
    const study = (out: string, cache: string) => guidedStudy(batchServer.openaiBaseURL, out, cache);
    const batchConfig = join(work, "batch.config.json");
    await writeFile(batchConfig, study("study-batch", "batch.db"));
    const rounds: string[] = [];
    for (;;) {
      const run = await runCli(["run", "--config", batchConfig, "--batch", "submit"]);
      expect(run.stderr).not.toMatch(/error/);
      expect(run.code).toBe(0);
      if (!run.stdout.startsWith("run: ")) break;
      rounds.push(run.stdout.split("\n")[0]!);
      expect(run.stdout).toContain(rounds.length === 1 ? "1 more round" : "This is the last round");
      expect((await runCli(["batch", "collect", "--cache-path", join(work, "batch.db")])).code).toBe(0);
      expect(rounds.length).toBeLessThan(4);
    }
    expect(rounds).toEqual([
      expect.stringMatching(/^run: 20 calls submitted in 1 batch/),
      expect.stringMatching(/^run: 20 calls submitted in 1 batch/),
    ]);
    await writeFile(batchConfig, study("study-sync", "sync.db"));
    expect((await runCli(["run", "--config", batchConfig])).code).toBe(0);
    const [batched, sync] = await Promise.all(
      ["study-batch", "study-sync"].map((dir) =>
        readFile(join(work, dir, "improvement", "improvement.json"), "utf8"),
      ),
    );
    expect(batched).toBe(sync);

    // A setting it needs, missing: the config error names the field.
    await writeFile(
      config,
      JSON.stringify({
        task: "summarization",
        data: { path: "./pairs.jsonl" },
        settings: { human: false, improvement: { method: "guided" } },
      }),
    );
    const bad = await runCli(["run", "--config", config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/models\.generator: settings\.improvement needs a generator model/);
    expect(bad.stderr).toMatch(/settings\.human: settings\.improvement reads the human setting's folder/);
  });
});
