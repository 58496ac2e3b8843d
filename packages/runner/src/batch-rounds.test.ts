import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectBatches, listBatches } from "@profilekit/llm";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import type { Pair } from "@profilekit/spec";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BatchPendingError } from "./batch-rounds.js";
import { generate } from "./generation-stage.js";
import { judge } from "./judge-stage.js";
import { runStudy } from "./study.js";
import { parseConfig } from "./study-config.js";
import type { StudyStage } from "./study-stage.js";

// Batch rounds of whole stages against the mock server's batch APIs: each round is submitted,
// collected, and the stage run again, until it finishes with what a synchronous run gives.

const KEY = "sk-batch-rounds-0123456789";
let work: string;
let server: MockServer | undefined;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "pk-batch-rounds-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rm(work, { recursive: true, force: true }));

const SOURCE = "The council approved the new park. Work starts in May. It will cost two million.";
const pairs: Pair[] = Array.from({ length: 4 }, (_, i) => ({
  id: `p${i}`,
  task: "summarization",
  source: `${SOURCE} (document ${i % 2})`,
  a: `The council approved a park (${i}). Work starts in May and costs two million.`,
  b: `A park was approved ${"and more ".repeat(i)}.`,
  label: i % 2 === 0 ? "a" : "b",
}));
/** A length-driven fake model: every answer follows from the texts, whichever way it is asked. */
const fake = () => createFakeModel({ measure: (_key, text) => text.length });
const factors = ["length", "fluency", "source-coverage", "intent-alignment"];
const scoring = { bootstrap: 50, permutations: 20, seed: 5 };

async function serve(): Promise<MockServer> {
  server = await startMockServer({ handler: fake(), batches: { pollsToEnd: 0 } });
  process.env.OPENAI_BASE_URL = server.openaiBaseURL;
  process.env.OPENAI_API_KEY = KEY;
  process.env.ANTHROPIC_BASE_URL = server.anthropicBaseURL;
  process.env.ANTHROPIC_API_KEY = KEY;
  return server;
}

/** Every file of a folder but batches.jsonl, by name; with `whole`, manifest.json's usage too. */
async function outputs(dir: string, whole = false): Promise<Record<string, unknown>> {
  const files: Record<string, unknown> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name === "batches.jsonl") continue;
    const text = await readFile(join(dir, name), "utf8");
    files[name] = name === "manifest.json" && !whole ? { ...JSON.parse(text), usage: null } : text;
  }
  return files;
}

describe("a stage in batch rounds", () => {
  it("judge --batch submit: one round per dependent step, rounds ahead counted, then the synchronous bytes", async () => {
    await serve();
    const request = {
      pairs,
      factors,
      model: "openai:gpt-4o-mini",
      extractor: "openai:gpt-4.1-nano",
      ...scoring,
    };
    const sync = await judge({
      ...request,
      cache: join(work, "judge-sync.db"),
      out: join(work, "judge-sync"),
    });
    const syncCalls = server!.stats.requests;

    const cache = join(work, "judge-batch.db");
    const out = join(work, "judge-batch");
    const rounds: (number | null)[] = [];
    const sizes: number[] = [];
    for (;;) {
      try {
        const result = await judge({ ...request, cache, out, batch: "submit" });
        expect(result.profile).toEqual(sync.profile);
        break;
      } catch (error) {
        if (!(error instanceof BatchPendingError)) throw error;
        const { round } = error;
        expect(round?.runFolder).toBe(out);
        rounds.push(round!.roundsAfter);
        const size = round!.submission.batches.reduce((sum, batch) => sum + batch.requests, 0);
        sizes.push(size);
        expect(round!.synchronous.requests).toBe(round!.submission.canaries);
        if (rounds.length === 1) {
          // Submitting again before a collect sends nothing: every call is already out.
          const again = await judge({ ...request, cache, out, batch: "submit" }).catch((e: unknown) => e);
          expect(again).toBeInstanceOf(BatchPendingError);
          const repeat = (again as BatchPendingError).round!.submission;
          expect(repeat).toMatchObject({ batches: [], waiting: size, canaries: 0 });
        }
        const collected = await collectBatches({ cache });
        expect(collected.running).toBe(0);
      }
      expect(rounds.length).toBeLessThan(6);
    }
    // The verdicts; then the checklists and pair readings; then the readings against the checklists.
    expect(rounds).toEqual([2, 1, 0]);
    expect(sizes.every((size) => size > 0)).toBe(true);
    const before = server!.stats.requests;
    const rerun = await judge({ ...request, cache, out: join(work, "judge-rerun") });
    expect(server!.stats.requests).toBe(before); // the re-run is answered from the cache only
    expect(rerun.usage.total).toMatchObject({ requests: 0, cacheHits: sync.usage.total.calls });
    // The same files as the synchronous run; manifest.json the same as a synchronous re-run's
    // (what a run from the cache spent and hit, the same whichever way the cache was filled).
    const syncRerun = join(work, "judge-sync-rerun");
    await judge({ ...request, cache: join(work, "judge-sync.db"), out: syncRerun });
    const [batchFiles, syncFiles] = [
      await outputs(join(work, "judge-rerun")),
      await outputs(join(work, "judge-sync")),
    ];
    expect({ ...batchFiles, "manifest.json": null }).toEqual({ ...syncFiles, "manifest.json": null });
    expect(await outputs(join(work, "judge-rerun"), true)).toEqual(await outputs(syncRerun, true));
    // Only the canaries went synchronously: one per model, prompt version and schema of each round.
    expect(before - syncCalls).toBeLessThan(sync.usage.total.calls / 2);
    // batches.jsonl in the run folder: one line per batch submitted, one per batch collected.
    const lines = (await readFile(join(out, "batches.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    const { jobs } = await listBatches({ cache });
    expect(lines.filter((line) => line.event === "submitted")).toHaveLength(jobs.length);
    expect(lines.filter((line) => line.event === "collected")).toHaveLength(jobs.length);
    expect(JSON.stringify(lines)).not.toContain(KEY);
  });

  it("--max-cost holds a submission: a round that could cross it is refused before anything is sent", async () => {
    await serve();
    const ask = (maxCost: number, name: string) =>
      judge({
        pairs,
        factors: ["length"],
        model: { id: "openai:gpt-4o-mini", maxCost },
        ...scoring,
        cache: join(work, `budget-${name}.db`),
        out: join(work, `budget-${name}`),
        batch: "submit",
      }).catch((error: unknown) => error);
    const refused = await ask(0.001, "small");
    expect(refused).toMatchObject({ code: "budget_exceeded", exitCode: 3 });
    expect((refused as Error).message).toMatch(
      /^The round's 7 calls could cost up to \$0\.00\d+ at the batch rate; with \$0\.0\d+ spent by this run, that could cross the budget of \$0\.0010\. Nothing was submitted\.$/,
    );
    expect(server!.batches.stats.created).toBe(0);
    expect(await readdir(work)).not.toContain("budget-small");
    const submitted = await ask(1, "large");
    expect(submitted).toBeInstanceOf(BatchPendingError);
    expect(server!.batches.stats.created).toBe(1);
  });

  it("generate --batch wait (Anthropic): rounds run in one process, and the result is the synchronous one", async () => {
    await serve();
    const request = {
      pairs,
      factors: ["length", "fluency"],
      model: "anthropic:claude-haiku-4-5",
      extractor: "anthropic:claude-haiku-4-5",
      levels: 3,
      selfCheck: { delta: 2 },
      ...scoring,
    };
    const sync = await generate({ ...request, cache: join(work, "gen-sync.db") });
    const steps: string[] = [];
    const batched = await generate({
      ...request,
      cache: join(work, "gen-batch.db"),
      batch: { mode: "wait", pollSeconds: 0.01 },
      onProgress: ({ step }) => steps.push(step),
    });
    expect(batched.responses).toEqual(sync.responses);
    expect(batched.profile).toEqual(sync.profile);
    // Generation, then the self-scores, then the extraction: three rounds, each waited for.
    expect(server!.batches.stats.created).toBe(3);
    expect(steps).toContain("batch requests finished");
  });
});

describe("a study in batch rounds", () => {
  it("run --batch submit: the settings share each round, the alignment waits for the last one", async () => {
    await serve();
    const data = join(work, "study-pairs.jsonl");
    await writeFile(data, pairs.map((pair) => `${JSON.stringify(pair)}\n`).join(""));
    const config = (out: string, cache: string) => ({
      file: join(work, "profilekit.config.json"),
      dir: work,
      config: parseConfig(
        {
          task: "summarization",
          data: { path: data },
          factors,
          models: { judge: "openai:gpt-4o-mini", extractor: "anthropic:claude-haiku-4-5" },
          settings: { human: true, evaluation: {} },
          scoring: { ...scoring, alignmentReplicates: 50 },
          out,
          cache,
          report: false,
        },
        "profilekit.config.json",
      ),
    });
    const sync = await runStudy(config(join(work, "study-sync"), join(work, "study-sync.db")));
    const study = config(join(work, "study-batch"), join(work, "study-batch.db"));
    const rounds: { roundsAfter: number | null; models: string[] }[] = [];
    let outcome: Awaited<ReturnType<typeof runStudy>> | undefined;
    while (!outcome) {
      try {
        outcome = await runStudy(study, { batch: "submit" });
      } catch (error) {
        if (!(error instanceof BatchPendingError) || !error.round) throw error;
        const models = [...new Set(error.round.submission.batches.map((batch) => batch.model))].sort();
        rounds.push({ roundsAfter: error.round.roundsAfter, models });
        await collectBatches({ cache: join(work, "study-batch.db") });
      }
      expect(rounds.length).toBeLessThan(6);
    }
    // Round 1: the human setting's checklists and pair readings beside the judge's verdicts;
    // round 2: the readings against the checklists (and the judge's pairs, the same calls).
    expect(rounds).toEqual([
      { roundsAfter: 1, models: ["anthropic:claude-haiku-4-5", "openai:gpt-4o-mini"] },
      { roundsAfter: 0, models: ["anthropic:claude-haiku-4-5"] },
    ]);
    expect(outcome.alignment).toEqual(sync.alignment);
    expect(outcome.stages.map((stage) => stage.profile)).toEqual(sync.stages.map((stage) => stage.profile));
  });

  it("a registered stage after pending built-in settings: its rounds are unknown until it starts", async () => {
    await serve();
    const data = join(work, "study-added-pairs.jsonl");
    await writeFile(data, pairs.map((pair) => `${JSON.stringify(pair)}\n`).join(""));
    // A stage of its own that calls no model: it only has to run after the human setting.
    const ran: string[] = [];
    const note: StudyStage<{ readonly label: string }> = {
      setting: "note",
      schema: z.strictObject({ label: z.string() }),
      needs: ["human"],
      models: () => [],
      hashInputs: ({ settings }) => settings,
      run: async ({ settings }) => {
        ran.push(settings.label);
        return {};
      },
      plan: async () => [],
    };
    const stages = [note as StudyStage];
    const study = {
      file: join(work, "profilekit.config.json"),
      dir: work,
      config: parseConfig(
        {
          task: "summarization",
          data: { path: data },
          factors,
          models: { extractor: "openai:gpt-4o-mini" },
          settings: { human: true, note: { label: "after the human profile" } },
          scoring: { ...scoring, alignmentReplicates: 50 },
          out: join(work, "study-added"),
          cache: join(work, "study-added.db"),
          report: false,
        },
        "profilekit.config.json",
        stages,
      ),
    };
    const rounds: (number | null)[] = [];
    for (;;) {
      const outcome = await runStudy(study, { batch: "submit", stages }).catch((error: unknown) => error);
      if (!(outcome instanceof BatchPendingError)) break;
      rounds.push(outcome.round!.roundsAfter);
      await collectBatches({ cache: join(work, "study-added.db") });
      expect(rounds.length).toBeLessThan(6);
    }
    // The human setting's rounds are counted only when no registered stage waits after them.
    expect(rounds.length).toBeGreaterThan(0);
    expect(rounds.every((after) => after === null)).toBe(true);
    expect(ran).toEqual(["after the human profile"]);
  });
});
