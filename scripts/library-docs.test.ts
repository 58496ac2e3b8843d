import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readPairs, writeJsonl } from "@profilekit/data";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import { analyze } from "@profilekit/runner";
import { defineResponseFactor, type Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// docs/library.md's examples, run as written (each ```js block saved as a module and run with
// node, in one folder holding pairs.jsonl, against the local fake model server), and the first
// one checked against the CLI: the same pairs and factors, the custom factor included, give the
// same profile.

const run = promisify(execFile);
const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "apps", "cli", "bin", "profilekit.js");
const shared = join(repo, "..", "shared", "data");

/** Held-out pairs: Auto-J's test set from ../shared when present (not bundled), else the bundled HH-RLHF subset. */
async function heldOutPairs(count: number): Promise<{ name: string; pairs: Pair[] }> {
  const autoj = join(shared, "autoj_pairwise_test");
  const [name, path, preset] = existsSync(autoj)
    ? ["Auto-J pairwise test", autoj, "autoj"]
    : ["HH-RLHF harmless (bundled)", join(repo, "data", "hh-rlhf-harmless-subset.jsonl.gz"), "canonical"];
  const pairs: Pair[] = [];
  for await (const pair of readPairs(path, { preset })) {
    pairs.push(pair);
    if (pairs.length === count) break;
  }
  return { name, pairs };
}

/** The ```js blocks of a Markdown text, in order. */
function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

let work: string;
let server: MockServer;
let dataName: string;
let blocks: string[];
const outputs: string[] = [];

beforeAll(async () => {
  // Inside the repository (its git-ignored tmp/), so the examples resolve @profilekit/* as an app would.
  await mkdir(join(repo, "tmp"), { recursive: true });
  work = await mkdtemp(join(repo, "tmp", "library-docs-"));
  const held = await heldOutPairs(300);
  dataName = held.name;
  await writeJsonl(join(work, "pairs.jsonl"), held.pairs);
  server = await startMockServer({ handler: createFakeModel() });
  blocks = jsBlocks(await readFile(join(repo, "docs", "library.md"), "utf8"));
});
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
  if ((await readdir(join(repo, "tmp"))).length === 0) await rm(join(repo, "tmp"), { recursive: true });
});

describe("docs/library.md", () => {
  it("has the examples this test runs", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks[0]).toContain(
      'analyze({ pairs: "pairs.jsonl", factors: ["length", questionMarks], seed: 1 })',
    );
  });

  it("every example runs as written", async () => {
    for (const [i, block] of blocks.entries()) {
      const file = join(work, `example-${i + 1}.mjs`);
      await writeFile(file, block);
      const { stdout } = await run(process.execPath, [file], {
        cwd: work,
        env: { ...process.env, OPENAI_BASE_URL: server.openaiBaseURL, OPENAI_API_KEY: "test-key" },
      });
      expect(stdout.trim(), `example ${i + 1} prints its result`).not.toBe("");
      outputs.push(stdout);
    }
    expect(server.stats.requests).toBeGreaterThan(0);
    // Each example is a node process of its own: seconds each, beyond vitest's default 5 s in all.
  }, 60_000);

  it(`the first example's profile equals the CLI's on held-out data, the custom factor included`, async () => {
    // The same factor as the example's, as a plugin module for a config's `plugins`.
    const plugin = join(work, "question-marks.mjs");
    await writeFile(
      plugin,
      `import { defineResponseFactor } from "@profilekit/spec";\n` +
        `export default defineResponseFactor({ id: "question-marks", title: "Question marks",\n` +
        `  definition: "More = more question marks.", measure: (text) => (text.match(/\\?/g) ?? []).length });\n`,
    );
    await writeFile(
      join(work, "profilekit.config.json"),
      JSON.stringify({
        task: "instruction-following",
        data: { path: "./pairs.jsonl" },
        plugins: ["./question-marks.mjs"],
        factors: ["length", "question-marks"],
        settings: { human: true },
        scoring: { seed: 1 },
        out: "runs/cli",
      }),
    );
    await run(process.execPath, [bin, "run", "-q"], { cwd: work });
    const cli = JSON.parse(await readFile(join(work, "runs", "cli", "human", "profile.json"), "utf8"));

    const questionMarks = defineResponseFactor({
      id: "question-marks",
      title: "Question marks",
      definition: "More = more question marks.",
      measure: (text) => (text.match(/\?/g) ?? []).length,
    });
    const { profile } = await analyze({
      pairs: join(work, "pairs.jsonl"),
      factors: ["length", questionMarks],
      seed: 1,
    });
    expect(JSON.parse(JSON.stringify(profile)), dataName).toEqual(cli);
    // The question marks of instruction data tell the responses apart on some pairs, not none.
    const marks = profile.factors.find((f) => f.factor === "question-marks")!;
    expect(marks.concordant + marks.discordant).toBeGreaterThan(0);
    // And the example itself printed those same figures.
    const printed = outputs[0]!.trim().split("\n");
    expect(printed).toEqual(
      cli.factors.map(
        (f: { factor: string; tau: number; ci95: [number, number]; pValue: number }) =>
          `${f.factor} ${f.tau} [ ${f.ci95[0]}, ${f.ci95[1]} ] ${f.pValue}`,
      ),
    );
  });
});
