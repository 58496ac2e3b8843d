import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { threadedMinBytes } from "@profilekit/runner";

// Worker threads run the built worker script, so these tests run the built CLI (npm test builds first).
const cliDir = fileURLToPath(new URL("../", import.meta.url));
const bin = join(cliDir, "dist", "bin.js");
const examplePlugin = fileURLToPath(new URL("../../../examples/factor-politeness/", import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], cwd = work): Run {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `analyze FILE --factors length --threads N --out DIR`, plus `extra`. */
const analyzeLength = (file: string, threads: string, out: string, ...extra: string[]) =>
  cli(["analyze", file, "--factors", "length", "--threads", threads, "--out", out, ...extra]);

/** Every file of a run folder, by name. */
async function outputs(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), "utf8");
  return files;
}

/**
 * Pairs whose reading exercises what a chunk boundary could break: multi-byte text, CRLF line
 * ends, blank lines, fields in any order, optional fields present or not, groups and meta,
 * and inputs shared by pairs far apart.
 */
function pairLines(count: number, wordsPerResponse = 30): string[] {
  const vocabulary = ["the", "naïve", "日本語", "report", "😀", "of", "claims", "and", "evidence", "a"];
  let state = 7;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state;
  };
  const text = (words: number) =>
    Array.from({ length: words }, () => vocabulary[next() % vocabulary.length]).join(" ");
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const pair: Record<string, unknown> = {
      label: ["a", "b", "tie"][next() % 3],
      b: text(wordsPerResponse + (next() % 20)),
      id: `pair-${i}`,
      a: text(wordsPerResponse + (next() % 20)),
      task: "summarization",
    };
    if (i % 4 !== 0) pair.source = `Document ${i % 97}: ${text(40)}`;
    if (i % 3 !== 0) pair.prompt = `Question ${i % 13}`;
    if (i % 50 === 0) pair.group = `cluster-${i % 7}`;
    if (i % 70 === 0) pair.meta = { annotator: i % 5, note: "kept" };
    lines.push(JSON.stringify(pair));
    if (i % 500 === 0) lines.push("");
  }
  return lines;
}

const toFile = (lines: readonly string[]) =>
  lines.map((line, i) => `${line}${i % 2 === 0 ? "\r\n" : "\n"}`).join("");

let work: string;
let pairsFile: string;
beforeAll(async () => {
  expect(existsSync(bin), "build the CLI first (npm run build)").toBe(true);
  work = await mkdtemp(join(tmpdir(), "profilekit-threads-"));
  // About 5 MB: several 1 MiB chunks, so workers and this thread each measure some.
  pairsFile = join(work, "pairs.jsonl");
  await writeFile(pairsFile, toFile(pairLines(6000)));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe("analyze in worker threads", () => {
  it("writes byte for byte what a single thread writes", async () => {
    const runs = [];
    for (const threads of ["1", "2", "3"]) {
      const out = join(work, `same-${threads}`);
      const run = cli([
        "analyze",
        pairsFile,
        "--factors",
        "length,novelty,readability",
        "--threads",
        threads,
        "--out",
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(threads === "1" ? /\(\d+\.\d s\)/ : new RegExp(`, ${threads} threads\\)`));
      runs.push({ stdout: run.stdout, files: await outputs(out) });
    }
    expect(Object.keys(runs[0]!.files)).toEqual([
      "groups.json",
      "labels.jsonl",
      "manifest.json",
      "manifestations.jsonl",
      "profile.csv",
      "profile.json",
    ]);
    expect(runs[0]!.files["labels.jsonl"]!.trim().split("\n")).toHaveLength(6000);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });

  it("reports invalid records in file order, with their lines, whatever the threads", async () => {
    const lines = pairLines(6000);
    lines[1500] = lines[1500]!.replace(/"label":"(a|b|tie)"/, '"label":"maybe"');
    lines[4200] = lines[4200]!.slice(0, 40);
    const file = join(work, "invalid.jsonl");
    await writeFile(file, toFile(lines));

    const failed = ["1", "2"].map((threads) => analyzeLength(file, threads, join(work, `fail-${threads}`)));
    for (const [i, run] of failed.entries()) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${file}:1501`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(work, `fail-${i + 1}`))).toBe(false);
    }
    expect(failed[1]!.stderr).toBe(failed[0]!.stderr);

    const skipped = [];
    for (const threads of ["1", "2"]) {
      const out = join(work, `skip-${threads}`);
      const run = analyzeLength(file, threads, out, "--on-invalid", "skip");
      expect(run.code, run.stderr).toBe(0);
      skipped.push({
        stderr: run.stderr.replace(out, "<out>").replace(/\(\d+\.\d s(, 2 threads)?\)/, ""),
        files: await outputs(out),
      });
    }
    expect(skipped[0]!.stderr).toMatch(/2 records skipped/);
    expect(skipped[0]!.stderr).toContain(`${file}:4201`);
    expect(skipped[1]).toEqual(skipped[0]);
  });

  it("finds a pair id repeated in chunks measured by different threads", async () => {
    const lines = pairLines(6000);
    const late = lines.findIndex((line) => line.includes('"id":"pair-5000"'));
    lines[late] = lines[late]!.replace('"id":"pair-5000"', '"id":"pair-3"');
    const file = join(work, "repeated.jsonl");
    await writeFile(file, toFile(lines));
    const runs = ["1", "2"].map((threads) => analyzeLength(file, threads, join(work, `dup-${threads}`)));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error[duplicate_pair_id]: pair id "pair-3" appears twice');
    }
    expect(runs[1]!.stderr).toBe(runs[0]!.stderr);
  });
});

describe("run in worker threads", () => {
  let project: string;
  beforeAll(async () => {
    expect(existsSync(join(examplePlugin, "dist/index.js")), "build examples/factor-politeness first").toBe(
      true,
    );
    project = join(work, "project");
    await mkdir(join(project, "node_modules"), { recursive: true });
    await symlink(cliDir, join(project, "node_modules", "profilekit"), "dir");
    // Past the size at which threads start on their own; the same pairs as a JSON array, which
    // is read in one thread, are the reference.
    const lines = pairLines(14_000, 80);
    await writeFile(join(project, "pairs.jsonl"), toFile(lines));
    await writeFile(
      join(project, "pairs.json"),
      `[\n${lines.filter((line) => line !== "").join(",\n")}\n]\n`,
    );
    const size = (await readFile(join(project, "pairs.jsonl"))).length;
    expect(size).toBeGreaterThan(threadedMinBytes);
  });

  const config = (data: string, out: string, plugins: readonly string[], factors: readonly string[]) =>
    `import { defineConfig } from "profilekit";\n\nexport default defineConfig(${JSON.stringify({
      task: "summarization",
      data: { path: data },
      plugins,
      factors,
      settings: { human: true },
      scoring: { bootstrap: 200, seed: 3 },
      out,
    })});\n`;

  it("loads a config's plugin factors in its workers and profiles them as one thread does", async () => {
    const plugin = join(examplePlugin, "dist", "index.js");
    // Notes which thread measured each pair, to show that workers took part.
    await writeFile(
      join(project, "probe-plugin.mjs"),
      `import { threadId } from "node:worker_threads";\n` +
        `export default {\n` +
        `  specificationVersion: 1, id: "probe", title: "Probe", definition: "Which thread measured the pair.",\n` +
        `  method: "rule", level: "response",\n` +
        `  extract: (pairs) => pairs.map((pair) => ({ pairId: pair.id, factor: "probe", sign: 0, meta: { threadId } })),\n` +
        `};\n`,
    );
    const probe = join(project, "runs", "probe");
    await writeFile(
      join(project, "probe.config.ts"),
      config("./pairs.jsonl", "runs/probe", ["./probe-plugin.mjs"], ["probe"]),
    );
    const probed = cli(["run", "--config", join(project, "probe.config.ts")], project);
    expect(probed.code, probed.stderr).toBe(0);
    const threadIds = new Set(
      (await readFile(join(probe, "human", "manifestations.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line).meta.threadId),
    );
    expect(threadIds.has(0), "the main thread measures while the workers are busy").toBe(true);
    expect(threadIds.size, "and at least one worker measures").toBeGreaterThan(1);

    const results = [];
    for (const data of ["pairs.jsonl", "pairs.json"]) {
      const file = join(project, `${data}.config.ts`);
      await writeFile(file, config(`./${data}`, `runs/${data}`, [plugin], ["length", "politeness"]));
      const run = cli(["run", "--config", file], project);
      expect(run.code, run.stderr).toBe(0);
      const { "manifest.json": _manifest, ...files } = await outputs(join(project, "runs", data, "human"));
      results.push(files);
    }
    expect(results[0]!["manifestations.jsonl"]).toContain('"factor":"politeness"');
    expect(results[1]).toEqual(results[0]);
  });

  it("stops with a plugin's contract error from a worker as it does in one thread", async () => {
    // A sign outside -1, 0, 1 for one pair: an error that does not depend on how pairs are batched.
    await writeFile(
      join(project, "broken-plugin.mjs"),
      `export default {\n` +
        `  specificationVersion: 1, id: "broken", title: "Broken", definition: "A bad sign for one pair.",\n` +
        `  method: "rule", level: "response",\n` +
        `  extract: (pairs) => pairs.map((pair) => ({ pairId: pair.id, factor: "broken", sign: pair.id === "pair-9000" ? 7 : 0 })),\n` +
        `};\n`,
    );
    const stderr = [];
    for (const data of ["pairs.jsonl", "pairs.json"]) {
      const file = join(project, `broken-${data}.config.ts`);
      await writeFile(file, config(`./${data}`, `runs/broken-${data}`, ["./broken-plugin.mjs"], ["broken"]));
      const run = cli(["run", "--config", file], project);
      expect(run.code).toBe(1);
      stderr.push(run.stderr.match(/error\[plugin_contract\].*/)?.[0]);
    }
    expect(stderr[0]).toBe('error[plugin_contract]: factor "broken" returned sign 7 for pair "pair-9000"');
    expect(stderr[1]).toBe(stderr[0]);
  });
});
