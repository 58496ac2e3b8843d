import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createFakeModel, type MockReply } from "@profilekit/llm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockServers } from "./testing/model-stage-run.js";

// Issue 9's failures, each through the built CLI in its own process, as a user meets them: the
// exit code, the message, and what is (not) left on disk.
const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const secretKey = "sk-e2e-do-not-print-0123456789";

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `onStart` sees the child (to interrupt it). */
function profilekit(
  args: readonly string[],
  options: { cwd?: string; onStart?: (child: ChildProcess) => void } = {},
): Promise<Exit> {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENAI_API_KEY: secretKey, NO_COLOR: "1" };
  for (const name of ["OPENAI_BASE_URL", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"]) delete env[name];
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? work, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  options.onStart?.(child);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));

/** Twenty summarization pairs with distinct texts (and a prompt, so another task can judge them too). */
const pairs = Array.from({ length: 20 }, (_, i) => {
  const source = `Report ${i}. ${"The council met on Tuesday and agreed the new budget for the town's schools. ".repeat(8)}`;
  const short = `Summary ${i}: the council agreed a budget.`;
  const long = `Summary ${i}: on Tuesday the council met and agreed the new school budget, after a long debate.`;
  return {
    id: `p${i}`,
    task: "summarization",
    source,
    prompt: "Summarise the report in one sentence.",
    a: i % 2 === 0 ? long : short,
    b: i % 2 === 0 ? short : long,
    label: i % 3 === 0 ? "b" : "a",
  };
});

let work: string;
let pairsFile: string;
let counter = 0;
const startServer = mockServers();

beforeAll(async () => {
  expect(existsSync(bin), "build the CLI first (npm run build)").toBe(true);
  work = await mkdtemp(join(tmpdir(), "profilekit-trust-"));
  pairsFile = join(work, "pairs.jsonl");
  await writeFile(pairsFile, pairs.map((pair) => `${JSON.stringify(pair)}\n`).join(""));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A fresh folder name under the work folder (not created). */
const fresh = (name: string) => join(work, `${name}-${++counter}`);

/** `judge` of the pairs against `baseURL`, with a cache and output of its own unless given. */
function judgeArgs(
  baseURL: string,
  extra: readonly string[] = [],
  paths = { out: fresh("out"), cache: fresh("cache.db") },
) {
  return {
    ...paths,
    args: [
      "judge",
      pairsFile,
      "--model",
      "openai:test-judge",
      "--base-url",
      baseURL,
      "--factors",
      "length",
      "--bootstrap",
      "0",
      "--permutations",
      "0",
      "--out",
      paths.out,
      "--cache-path",
      paths.cache,
      ...extra,
    ],
  };
}

/** A port with nothing listening on it: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("failures are loud", () => {
  it("nothing listening: exit 1 within seconds, naming the refused address, and no output folder", async () => {
    const port = await closedPort();
    const { args, out } = judgeArgs(`http://127.0.0.1:${port}/v1`, ["--max-retries", "1"]);
    const run = await profilekit(args);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("error[too_many_failures]");
    expect(run.stderr).toContain(`connection refused at http://127.0.0.1:${port}`);
    expect(existsSync(out)).toBe(false);
  });

  it("401: exit 1, the cause named, the key never printed", async () => {
    const server = await startServer(() => ({ fault: "unauthorized" }));
    const { args, out } = judgeArgs(server.openaiBaseURL);
    const run = await profilekit(args);
    expect(run.code, run.stderr).not.toBe(0);
    expect(run.stderr).toMatch(/401|refused the API key/);
    expect(run.stdout + run.stderr).not.toContain(secretKey);
    expect(existsSync(out)).toBe(false);
  });

  it("every answer invalid: exit 1 naming invalid answers, and nothing cached", async () => {
    const server = await startServer(() => ({ text: "I think the first one is better." }));
    const { args, out, cache } = judgeArgs(server.openaiBaseURL);
    const run = await profilekit(args);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("error[too_many_failures]");
    expect(run.stderr).toMatch(/invalid answer/i);
    expect(existsSync(out)).toBe(false);
    const stats = await profilekit(["cache", "stats", "--json", "--cache-path", cache]);
    // No cache file at all, or one with no entry: a rejected answer is never stored.
    if (existsSync(cache)) expect(JSON.parse(stats.stdout).entries).toBe(0);
  });
});

describe("run after a failed stage", () => {
  it("records the failed setting in the study manifest and runs it again next time", async () => {
    let failing = true;
    const fake = createFakeModel();
    const server = await startServer((request) => (failing ? { fault: "server-error" } : fake(request)));
    const dir = fresh("study");
    await mkdir(dir);
    await writeFile(join(dir, "pairs.jsonl"), await readFile(pairsFile));
    await writeFile(
      join(dir, "profilekit.config.json"),
      JSON.stringify({
        task: "summarization",
        data: { path: "./pairs.jsonl" },
        factors: ["length"],
        models: { judge: { id: "openai:test-judge", baseURL: server.openaiBaseURL, maxRetries: 0 } },
        settings: { human: true, evaluation: {} },
        scoring: { bootstrap: 0, permutations: 0 },
        cache: "./cache.db",
        out: "./runs/study",
        report: false,
      }),
    );
    const study = join(dir, "runs/study");

    const failed = await profilekit(["run", "--config", "profilekit.config.json"], { cwd: dir });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain("error[too_many_failures]");
    const manifest = await readJson(join(study, "manifest.json"));
    expect(manifest.stages.human).toMatchObject({ folder: "human", status: "run" });
    expect(manifest.stages.evaluation).toMatchObject({
      folder: "evaluation",
      status: "failed",
      error: { code: "too_many_failures" },
    });
    expect(existsSync(join(study, "evaluation"))).toBe(false);

    failing = false;
    const again = await profilekit(["run", "--config", "profilekit.config.json"], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("human: finished earlier");
    expect(again.stderr).toContain("evaluation: running");
    const rerun = await readJson(join(study, "manifest.json"));
    expect(rerun.stages.evaluation).toMatchObject({ status: "run", pairs: expect.any(Number) });
    expect(existsSync(join(study, "evaluation/profile.json"))).toBe(true);
  });
});

describe("--max-cost holds", () => {
  it("stops a first run before the cap (exit 3, what was spent, how to go on); each re-run spends within the cap again and pays for no call twice", async () => {
    const server = await startServer(createFakeModel());
    const priced = ["--model", "openai:gpt-4o-mini"];
    // What the whole judgement costs, without a cap, into a cache of its own.
    const whole = judgeArgs(server.openaiBaseURL);
    const uncapped = await profilekit([...whole.args, ...priced]);
    expect(uncapped.code, uncapped.stderr).toBe(0);
    const total = (await readJson(join(whole.out, "manifest.json"))).usage.total;
    expect(total.costUsd).toBeGreaterThan(0);
    const cap = total.costUsd / 2;

    server.reset();
    const capped = judgeArgs(server.openaiBaseURL, ["--max-cost", String(cap), ...priced]);
    const spentPerRun: number[] = [];
    let last: Exit | undefined;
    for (let attempt = 0; attempt < 12; attempt++) {
      const before = server.stats.requests;
      last = await profilekit(capped.args);
      const made = server.stats.requests - before;
      if (last.code === 0) break;
      expect(last.code, last.stderr).toBe(3);
      expect(last.stderr).toContain("error[budget_exceeded]");
      expect(last.stderr).toMatch(/run the same command again/);
      const spent = Number(/\$([\d.e-]+) spent/.exec(last.stderr)?.[1]);
      expect(spent).toBeLessThanOrEqual(cap);
      spentPerRun.push(spent);
      expect(made, "a capped run that makes no call could never finish").toBeGreaterThan(0);
      expect(existsSync(capped.out)).toBe(false);
    }
    expect(last?.code, last?.stderr).toBe(0);
    // The first run stopped at the cap; together the runs made every call exactly once.
    expect(spentPerRun.length).toBeGreaterThan(0);
    expect(server.stats.requests).toBe(total.requests);
    expect(server.stats.answered).toBe(total.requests);
  });
});

describe("a bad --out is refused before any call", () => {
  const cases: [string, () => Promise<string>][] = [
    [
      "a file",
      async () => {
        const file = fresh("a-file");
        await writeFile(file, "not a folder");
        return file;
      },
    ],
    ["a folder under /proc", async () => "/proc/profilekit-e2e/out"],
    ["a folder on a read-only file system (/sys)", async () => "/sys/profilekit-e2e"],
  ];
  for (const [name, outOf] of cases) {
    it(`${name}: exit 2 with invalid_output_folder, and no model call`, async () => {
      const server = await startServer(createFakeModel());
      const out = await outOf();
      const { args } = judgeArgs(server.openaiBaseURL, [], { out, cache: fresh("cache.db") });
      const run = await profilekit(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain("error[invalid_output_folder]");
      expect(run.stderr).toContain(out);
      expect(server.stats.requests).toBe(0);
    });
  }

  it.skipIf(process.getuid?.() === 0)(
    "a folder without write permission (skipped as root, who may write anywhere)",
    async () => {
      const server = await startServer(createFakeModel());
      const locked = fresh("locked");
      await mkdir(locked, { mode: 0o555 });
      const { args } = judgeArgs(server.openaiBaseURL, [], {
        out: join(locked, "out"),
        cache: fresh("cache.db"),
      });
      const run = await profilekit(args);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain("error[invalid_output_folder]");
      expect(server.stats.requests).toBe(0);
    },
  );
});

describe("Ctrl-C", () => {
  it("exits 130 saying what was kept, leaves no output folder, and the same command resumes", async () => {
    const fake = createFakeModel();
    const server = await startServer(
      async (request) => ({ ...(await fake(request)), latencyMs: 60 }) as MockReply,
    );
    const { args, out } = judgeArgs(server.openaiBaseURL, ["--concurrency", "2"]);
    const interrupted = await profilekit(args, {
      onStart: (child) => {
        const poll = setInterval(() => {
          if (server.stats.answered >= 6) {
            clearInterval(poll);
            child.kill("SIGINT");
          }
        }, 5);
        child.once("close", () => clearInterval(poll));
      },
    });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toMatch(
      /interrupted: \d+ model answers are in the cache; run the same command again to resume/,
    );
    expect(existsSync(out)).toBe(false);
    const calls = pairs.length * 2;
    const { requests: before, answered } = server.stats;
    expect(before).toBeLessThan(calls);

    const resumed = await profilekit(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    // What was answered came from the cache; at most the calls in flight (the concurrency) are asked twice.
    expect(server.stats.requests - before).toBeGreaterThanOrEqual(calls - answered);
    expect(server.stats.requests - before).toBeLessThanOrEqual(calls - answered + 2);
    expect(existsSync(join(out, "profile.json"))).toBe(true);
  });
});

describe("--task", () => {
  it("overrides the task of every pair, and an unknown one is refused with the registered ones", async () => {
    const server = await startServer(createFakeModel());
    const asFile = judgeArgs(server.openaiBaseURL);
    expect((await profilekit(asFile.args)).code).toBe(0);
    const fileTask = (await readJson(join(asFile.out, "manifest.json"))).judge;
    const firstPrompt = server.log[0]!.messages;

    server.reset();
    const overridden = judgeArgs(server.openaiBaseURL, ["--task", "instruction-following"]);
    const run = await profilekit(overridden.args);
    expect(run.code, run.stderr).toBe(0);
    const judge = (await readJson(join(overridden.out, "manifest.json"))).judge;
    expect(fileTask.task).toBe("summarization");
    expect(judge.task).toBe("instruction-following");
    expect(judge.prompt.id).not.toBe(fileTask.prompt.id);
    expect(server.log[0]!.messages).not.toEqual(firstPrompt);

    server.reset();
    const unknown = await profilekit(judgeArgs(server.openaiBaseURL, ["--task", "poetry"]).args);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain("poetry");
    for (const task of ["document-qa", "instruction-following", "summarization"]) {
      expect(unknown.stderr).toContain(task);
    }
    expect(server.stats.requests).toBe(0);
  });
});

describe("init, then run, in an empty folder outside the repository", () => {
  // What `npm init -y` writes (npm 11 says "type": "commonjs"), an ES module project, and no package.json.
  const manifests: [name: string, manifest: object | undefined][] = [
    ["commonjs", { name: "study", version: "1.0.0", main: "index.js", type: "commonjs" }],
    ["module", { name: "study", version: "1.0.0", type: "module" }],
    ["no type", { name: "study", version: "1.0.0", main: "index.js" }],
    ["no package.json", undefined],
  ];
  it.each(manifests)(
    "writes a config that loads with nothing installed beside it, and runs it (%s)",
    async (_, manifest) => {
      const dir = await mkdtemp(join(tmpdir(), "profilekit-empty-"));
      try {
        if (manifest) await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
        const init = await profilekit(["init", "--task", "summarization"], { cwd: dir });
        expect(init.code, init.stderr).toBe(0);
        expect(existsSync(join(dir, "node_modules"))).toBe(false);
        const run = await profilekit(["run"], { cwd: dir });
        expect(run.code, run.stderr).toBe(0);
        // Loaded as written, not re-parsed by Node after a failed first try (which warns).
        expect(run.stderr).not.toContain("Warning");
        const profile = await readJson(join(dir, "runs/summarization/human/profile.json"));
        expect(profile.pairs).toBeGreaterThan(0);
        expect(profile.factors.length).toBeGreaterThan(0);
        expect(existsSync(join(dir, "runs/summarization/report.html"))).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
