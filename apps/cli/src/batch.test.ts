import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { listBatches } from "@profilekit/llm";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.js";

// Batch mode across process boundaries, through the built CLI, for both providers' batch APIs on
// the mock server (in this process): `judge --batch submit` exits with its calls out; `batch
// collect` in new processes (the first one killed while it downloads) fills the cache; expired
// items are requeued and errored ones asked synchronously by the next round; and the same
// command without --batch then makes no call and writes what a synchronous run writes.
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const KEY = "sk-batch-cli-do-not-print-0123456789";

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
let pairsFile: string;

/** The built CLI in a process of its own, its models behind `server`. */
function profilekit(
  server: MockServer,
  args: readonly string[],
  onStart?: (child: ChildProcess) => void,
): Promise<Exit> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENAI_API_KEY: KEY,
    ANTHROPIC_API_KEY: KEY,
    OPENAI_BASE_URL: server.openaiBaseURL,
    ANTHROPIC_BASE_URL: server.anthropicBaseURL,
    NO_COLOR: "1",
  };
  const child = spawn(process.execPath, [bin, ...args], { cwd: work, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  onStart?.(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Eight summarization pairs with distinct texts. */
const pairs = Array.from({ length: 8 }, (_, i) => ({
  id: `p${i}`,
  task: "summarization",
  source: `Report ${i}. The council met on Tuesday and agreed the new budget for the town's schools.`,
  a: `Summary ${i}: on Tuesday the council agreed the new school budget${i % 2 ? ", after a debate" : ""}.`,
  b: `Summary ${i}: a budget.`,
  label: i % 3 === 0 ? "b" : "a",
}));

beforeAll(async () => {
  expect(existsSync(bin), "build the CLI first (npm run build)").toBe(true);
  work = await mkdtemp(join(tmpdir(), "profilekit-batch-cli-"));
  pairsFile = join(work, "pairs.jsonl");
  await writeFile(pairsFile, pairs.map((pair) => `${JSON.stringify(pair)}\n`).join(""));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** In the first batch, one request in five errors and one in five expires; later batches are answered. */
function fate(index: number, server: MockServer) {
  if (server.batches.stats.created > 1) return "answer" as const;
  return index % 5 === 1 ? ("error" as const) : index % 5 === 2 ? ("expire" as const) : ("answer" as const);
}

/** The files of a run folder (batches.jsonl aside); manifest.json whole or without its usage. */
async function outputs(dir: string, whole = false): Promise<Record<string, unknown>> {
  const files: Record<string, unknown> = {};
  for (const name of (await readdir(dir)).sort()) {
    if (name === "batches.jsonl") continue;
    const text = await readFile(join(dir, name), "utf8");
    files[name] = name === "manifest.json" && !whole ? { ...JSON.parse(text), usage: null } : text;
  }
  return files;
}

describe("profilekit judge --batch submit, collect and the run after it", () => {
  it.concurrent.each([
    ["openai", "openai:gpt-4o-mini"],
    ["anthropic", "anthropic:claude-haiku-4-5"],
  ] as const)(
    "%s: survives the process, a killed collect, errors and expiries, and ends with the synchronous bytes",
    async (provider, model) => {
      const server: MockServer = await startMockServer({
        handler: createFakeModel({ measure: (_key, text) => text.length }),
        batches: {
          pollsToEnd: 0,
          outcome: ({ index }) => fate(index, server),
          interruptResults: { lines: 2, how: "hang" },
        },
      });
      try {
        await scenario(server, provider, model);
      } finally {
        await server.close();
      }
    },
    60_000,
  );
});

async function scenario(server: MockServer, provider: string, model: string): Promise<void> {
  const args = (cache: string, out: string, extra: readonly string[]) => [
    "judge",
    pairsFile,
    "--model",
    model,
    "--extractor",
    model,
    "--factors",
    "length,fluency,intent-alignment",
    "--bootstrap",
    "50",
    "--permutations",
    "20",
    "--seed",
    "3",
    "--cache-path",
    cache,
    "--out",
    out,
    ...extra,
  ];
  const baseURL = provider === "openai" ? server.openaiBaseURL : server.anthropicBaseURL;
  /** In this process, with the same base URL the spawned runs get from the environment. */
  const judgeHere = (cache: string, out: string) => runCli(args(cache, out, ["--base-url", baseURL]));
  const judge = (cache: string, out: string, ...extra: string[]) =>
    profilekit(server, args(cache, out, extra));
  const [syncCache, batchCache] = [join(work, `${provider}-sync.db`), join(work, `${provider}-batch.db`)];
  const sync = await judgeHere(syncCache, join(work, `${provider}-sync`));
  expect(sync.code, sync.stderr).toBe(0);
  const syncRequests = server.stats.requests;

  // Round 1: the verdicts go to a batch; the process exits 0 and says how to collect.
  const out = join(work, `${provider}-batch`);
  const first = await judge(batchCache, out, "--batch", "submit");
  expect(first.stderr).toBe("");
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^judge: \d+ calls submitted in 1 batch, about \$/);
  expect(first.stdout).toContain("1 more round of dependent calls after this one");
  expect(first.stdout).toContain(`profilekit batch collect --cache-path ${batchCache}`);
  expect(server.stats.requests - syncRequests).toBe(1); // the canary
  expect(server.batches.stats.created).toBe(1);

  // A collect killed while it downloads the results, then the rounds: collect, submit again.
  const killed = await profilekit(server, ["batch", "collect", "--cache-path", batchCache], (child) => {
    const started = server.batches.stats.downloads;
    void (async () => {
      while (server.batches.stats.downloads === started) await delay(10);
      await delay(100);
      child.kill("SIGKILL");
    })();
  });
  expect(killed.signal).toBe("SIGKILL");
  const submitted: string[] = [first.stdout];
  for (;;) {
    const collect = await profilekit(server, ["batch", "collect", "--cache-path", batchCache]);
    expect(collect.stderr).toBe("");
    expect(collect.code).toBe(0);
    expect(collect.stdout).toMatch(/collected: \d+ answered and cached/);
    const next = await judge(batchCache, out, "--batch", "submit");
    expect(next.code, next.stderr).toBe(0);
    // The stage finished: every call was answered by batches, canaries or synchronous fallbacks.
    if (!next.stdout.includes("submitted in")) break;
    submitted.push(next.stdout);
    expect(submitted.length).toBeLessThan(6);
  }
  // The verdicts; the expired ones again (the errored ones asked synchronously); the extraction.
  expect(submitted).toHaveLength(3);
  expect(submitted[1]).toMatch(/\d+ calls? a batch answered unusably, asked synchronously/);
  expect(submitted[2]).toContain("This is the last round");

  // Every batch is collected, and each answer counted once: the journal's answered items are as
  // many as the answers the batches gave, across every batch and every collect (the killed one too).
  const { jobs } = await listBatches({ cache: batchCache });
  expect(jobs.every((job) => job.state === "collected")).toBe(true);
  const answered = jobs.reduce((sum, job) => sum + (job.items.answered ?? 0), 0);
  expect(answered).toBe(server.batches.items.filter((item) => item.outcome === "answer").length);
  expect(server.batches.items.some((item) => item.outcome === "expire")).toBe(true);
  expect(server.batches.items.some((item) => item.outcome === "error")).toBe(true);
  expect(await readFile(join(out, "batches.jsonl"), "utf8")).not.toContain(KEY);

  // The same command without --batch, in a new process: no call, and the synchronous run's files.
  const before = server.stats.requests;
  const rerun = await judge(batchCache, join(work, `${provider}-rerun`));
  expect(rerun.code).toBe(0);
  expect(server.stats.requests).toBe(before);
  const syncRerun = join(work, `${provider}-sync-rerun`);
  await judgeHere(syncCache, syncRerun);
  const [batched, synced] = [
    await outputs(join(work, `${provider}-rerun`)),
    await outputs(join(work, `${provider}-sync`)),
  ];
  expect({ ...batched, "manifest.json": null }).toEqual({ ...synced, "manifest.json": null });
  expect(await outputs(join(work, `${provider}-rerun`), true)).toEqual(await outputs(syncRerun, true));
}
