import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs } from "@profilekit/data";
import { collectBatches } from "@profilekit/llm";
import { createFakeModel, type MockRequest, type MockServer, startMockServer } from "@profilekit/llm/testing";
import { analyze, BatchPendingError, type BatchRound } from "@profilekit/runner";
import type { Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ImproveRequest, type ImproveResult, improve } from "./index.js";

// improve in batch rounds against the mock server's OpenAI batch API: each method submitted
// round by round (submit, collect, the same request again) until it finishes; the rounds make
// no synchronous call but their canaries, the last makes none at all, and every file is the
// bytes a synchronous run writes (manifest.json aside from its usage).

process.env.OPENAI_API_KEY ??= "fake-key-for-the-mock-server";
process.env.ANTHROPIC_API_KEY ??= "fake-key-for-the-mock-server";
const data = fileURLToPath(new URL("../../../data/summeval-subset.jsonl.gz", import.meta.url));
const factors = ["length", "novelty", "fluency"];

/** The fake model; the "tuned" model writes only the first sentence of what the fake one would. */
function handler(request: MockRequest) {
  const reply = createFakeModel()(request);
  if (request.model === "tuned-model" && "text" in reply && request.responseSchema === undefined) {
    return { ...reply, text: reply.text.split(". ")[0]!.replace(/\.?$/, ".") };
  }
  return reply;
}

let work: string;
let server: MockServer;
let pairs: Pair[];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-improve-batch-"));
  server = await startMockServer({ handler, batches: { pollsToEnd: 0 } });
  pairs = [];
  const seen = new Map<string, number>();
  for await (const pair of readPairs(data)) {
    const n = seen.get(pair.source!) ?? 0;
    if (n === 0 && seen.size === 5) break;
    seen.set(pair.source!, n + 1);
    if (n < 2) pairs.push(pair);
  }
  await analyze({
    pairs,
    factors,
    extractor: { id: "openai:test-extractor", baseURL: server.openaiBaseURL },
    cache: join(work, "human.db"),
    bootstrap: 20,
    permutations: 0,
    out: join(work, "human"),
  });
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

function request(
  method: ImproveRequest["method"],
  run: string,
  extra: Partial<ImproveRequest> = {},
  cache = run,
) {
  return {
    pairs,
    method,
    model: { id: "openai:test-model", baseURL: server.openaiBaseURL, maxRetries: 0 },
    extractor: { id: "openai:test-extractor", baseURL: server.openaiBaseURL, maxRetries: 0 },
    factors,
    human: join(work, "human"),
    levels: 3,
    samples: 3,
    rounds: 2,
    heldOut: 0.4,
    bootstrap: 20,
    permutations: 0,
    replicates: 100,
    cache: join(work, `${cache}.db`),
    out: join(work, run),
    ...extra,
  } satisfies ImproveRequest;
}

/** Every file under `dir` (batches.jsonl aside), by relative path, as text. */
async function outputs(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile() && e.name !== "batches.jsonl")) {
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = await readFile(path, "utf8");
  }
  return files;
}

/**
 * The batch run's files are the synchronous run's bytes; its manifests (which count what the
 * cache answered) are those of a synchronous run again from the synchronous cache.
 */
async function expectSynchronousBytes(batchRun: string, syncRun: string, again: () => Promise<unknown>) {
  const [batched, sync] = [await outputs(join(work, batchRun)), await outputs(join(work, syncRun))];
  const apart = (files: Record<string, string>) =>
    Object.fromEntries(Object.entries(files).filter(([path]) => !path.endsWith("manifest.json")));
  expect(apart(batched)).toEqual(apart(sync));
  await again();
  const rerun = await outputs(join(work, `${syncRun}-again`));
  expect(Object.keys(batched).sort()).toEqual(Object.keys(rerun).sort());
  expect(batched).toEqual(rerun);
}

/** Submits, collects and runs again until the method finishes: its rounds and the result. */
async function inRounds(
  ask: ImproveRequest,
): Promise<{ rounds: BatchRound[]; result: ImproveResult; lastRunRequests: number }> {
  const rounds: BatchRound[] = [];
  for (;;) {
    const before = server.stats.requests;
    try {
      const result = await improve({ ...ask, batch: "submit" });
      return { rounds, result, lastRunRequests: server.stats.requests - before };
    } catch (error) {
      if (!(error instanceof BatchPendingError) || error.round === undefined) throw error;
      const { round } = error;
      rounds.push(round);
      // A round's synchronous calls are its canaries (one per model, prompt version and schema).
      expect(round.synchronous.requests).toBe(round.submission.canaries);
      expect(server.stats.requests - before).toBe(round.submission.canaries);
      expect(round.submission.batches.length).toBeGreaterThan(0);
      expect((await collectBatches({ cache: ask.cache as string })).running).toBe(0);
    }
    expect(rounds.length).toBeLessThan(15);
  }
}

// The rounds of each method with these factors (one model factor, read per response in one call):
// - guided: the plain generation, its readings, the guided generation, its readings;
// - feedback: the drafts, their readings, then a critique and a revision per round (2 rounds),
//   then the final responses' readings;
// - self-data: the samples beside the baseline's generation and verdicts; the samples' verdicts
//   beside the baseline's readings; the data's readings.
const expectedRounds = { guided: 4, feedback: 7, "self-data": 3 } as const;

describe("improve --batch submit, round by round", () => {
  for (const method of ["guided", "feedback", "self-data"] as const) {
    it(`${method}: one round per dependent step, the rounds left counted, then the synchronous bytes`, async () => {
      const sync = await improve(request(method, `${method}-sync`));
      const { rounds, result, lastRunRequests } = await inRounds(request(method, `${method}-batch`));
      // The rounds left, as each printout says them, count down to the last round.
      expect(rounds.map((round) => round.roundsAfter)).toEqual(rounds.map((_, i) => rounds.length - 1 - i));
      expect(rounds).toHaveLength(expectedRounds[method]);
      expect(lastRunRequests).toBe(0);
      expect(result.usage.total.requests).toBe(0);
      expect(result.improvement).toEqual(sync.improvement);
      await expectSynchronousBytes(`${method}-batch`, `${method}-sync`, () =>
        improve(request(method, `${method}-sync-again`, {}, `${method}-sync`)),
      );
    });
  }

  it("guided on Anthropic's message batches: the same rounds, and the synchronous bytes", async () => {
    const anthropic = {
      model: { id: "anthropic:claude-haiku-4-5", baseURL: server.anthropicBaseURL, maxRetries: 0 },
      extractor: { id: "anthropic:claude-haiku-4-5", baseURL: server.anthropicBaseURL, maxRetries: 0 },
    };
    await improve(request("guided", "anthropic-sync", anthropic));
    const { rounds, lastRunRequests } = await inRounds(request("guided", "anthropic-batch", anthropic));
    expect(rounds).toHaveLength(expectedRounds.guided);
    expect(
      rounds.every((round) => round.submission.batches.every((b) => b.model.startsWith("anthropic:"))),
    ).toBe(true);
    expect(lastRunRequests).toBe(0);
    await expectSynchronousBytes("anthropic-batch", "anthropic-sync", () =>
      improve(request("guided", "anthropic-sync-again", anthropic, "anthropic-sync")),
    );
  });

  it("after (the tuned model against the batch self-data run): its writer and judge share the rounds", async () => {
    const from = join(work, "self-data-batch");
    const tuned = { id: "openai:tuned-model", baseURL: server.openaiBaseURL, maxRetries: 0 };
    const sync = await improve(request("after", "after-sync", { from, model: tuned }));
    const { rounds, result } = await inRounds(request("after", "after-batch", { from, model: tuned }));
    // Round 1 holds both the generation and the verdicts (a canary each); round 2 the readings.
    expect(rounds.map((round) => round.submission.canaries)).toEqual([2, 1]);
    expect(result.improvement).toEqual(sync.improvement);
    await expectSynchronousBytes("after-batch", "after-sync", () =>
      improve(request("after", "after-sync-again", { from, model: tuned }, "after-sync")),
    );
  });
});

describe("improve --batch submit under --max-cost", () => {
  /** self-data's first round: its three parts' calls, on a priced model, under a budget of `maxCost`. */
  const firstRound = (maxCost: number, run: string) => {
    const model = { id: "openai:gpt-4o-mini", baseURL: server.openaiBaseURL, maxRetries: 0, maxCost };
    return improve({ ...request("self-data", run), model, extractor: model, batch: "submit" }).catch(
      (error: unknown) => error,
    );
  };

  it("holds the round's parts against one budget: together they may not submit more than it", async () => {
    // With room for every part's calls, the round goes out.
    const roomy = await firstRound(1, "budget-roomy");
    expect(roomy).toBeInstanceOf(BatchPendingError);
    const created = server.batches.stats.created;
    // With room for one part's calls but not for all three, nothing is submitted (each part alone
    // would fit in what the parts before it spent synchronously).
    const tight = await firstRound(0.004, "budget-tight");
    expect(tight).toMatchObject({ code: "budget_exceeded", exitCode: 3 });
    expect(server.batches.stats.created).toBe(created);
  });
});

describe("improve --batch export", () => {
  it("writes the round's calls as an OpenAI batch input file for vllm run-batch, and sends none", async () => {
    const file = join(work, "export", "batch.jsonl");
    const requests = server.stats.requests;
    const error = await improve({ ...request("guided", "export"), batch: { mode: "export", file } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BatchPendingError);
    const { submission } = (error as BatchPendingError).round!;
    expect(submission.mode).toBe("export");
    expect(server.stats.requests).toBe(requests);
    const lines = (await readFile(submission.batches[0]!.batchId, "utf8")).trim().split("\n");
    // The plain generation: every input at every level, nothing answered yet.
    expect(lines).toHaveLength(5 * 3);
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: "POST", url: "/v1/chat/completions" });
  });
});

describe("improve --batch wait", () => {
  it("runs every round in one process and ends with the synchronous result", async () => {
    const sync = await improve(request("guided", "wait-sync"));
    const created = server.batches.stats.created;
    const steps: string[] = [];
    const result = await improve({
      ...request("guided", "wait-batch"),
      batch: { mode: "wait", pollSeconds: 0.01 },
      onProgress: ({ step }) => steps.push(step),
    });
    expect(server.batches.stats.created).toBeGreaterThan(created + 1);
    expect(steps).toContain("batch requests finished");
    expect(result.improvement).toEqual(sync.improvement);
    await expectSynchronousBytes("wait-batch", "wait-sync", () =>
      improve(request("guided", "wait-sync-again", {}, "wait-sync")),
    );
  });
});
