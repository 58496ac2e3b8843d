import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFakeModel } from "@profilekit/llm/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockServers, runModelStage } from "./testing/model-stage-run.js";
import { type CliRun, runCli } from "./testing/run-cli.js";
import { readJson } from "./testing/run-output.js";

// Six pairs, each its own prompt. Length in words and the label (as in run.test.ts):
// p1 a 7 > b 2, a: C; p2 2 < 4, b: C; p3 3 > 1, b: D; p4 3 > 2, a: C; p5 tie; p6 3 > 2, a: C.
// tau14 of length = (C - D) / (C + D + factor ties) = (4 - 1) / 5 = 0.6.
const pairs = [
  { id: "p1", prompt: "q1", a: "Could you please help me? Thank you.", b: "Help me.", label: "a" },
  { id: "p2", prompt: "q2", a: "Do it.", b: "Please do it, thanks.", label: "b" },
  { id: "p3", prompt: "q3", a: "Sorry, please wait.", b: "Wait.", label: "b" },
  { id: "p4", prompt: "q4", a: "Fine answer here.", b: "Another answer.", label: "a" },
  { id: "p5", prompt: "q5", a: "Please read.", b: "Read it.", label: "tie" },
  { id: "p6", prompt: "q6", a: "Thanks a lot.", b: "Okay then.", label: "a" },
].map((pair) => ({ task: "instruction-following", ...pair }));
const jsonl = (records: readonly object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join("");

const config = {
  task: "instruction-following",
  data: { path: "./pairs.jsonl" },
  factors: ["length"],
  scoring: { bootstrap: 50, permutations: 0 },
  out: "study",
};

let work: string;
let counter = 0;
const serve = mockServers();
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-report-cli-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A fresh folder holding pairs.jsonl and, when given, a profilekit.config.json. */
async function project(studyConfig?: object): Promise<string> {
  const dir = join(work, `project-${++counter}`);
  await mkdir(dir);
  await writeFile(join(dir, "pairs.jsonl"), jsonl(pairs));
  if (studyConfig) await writeFile(join(dir, "profilekit.config.json"), JSON.stringify(studyConfig));
  return dir;
}

const run = (dir: string) => runCli(["run", "--config", join(dir, "profilekit.config.json")]);
const text = (file: string) => readFile(file, "utf8");

function expectError(result: CliRun, code: string) {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.startsWith(`error[${code}]`), result.stderr).toBe(true);
  // One message: the reader's error is the report's, not wrapped in a second one.
  expect(result.stderr.match(/error\[/g)).toHaveLength(1);
  expect(result.stderr).toContain("hint: ");
}

describe("profilekit run writes the report", () => {
  it("writes report.html and report.md into the study folder, names them, and rewrites the same bytes on resume", async () => {
    const dir = await project(config);
    const first = await run(dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/wrote human\/, manifest\.json, report\.html, report\.md to \S+study\n/);
    const html = await text(join(dir, "study/report.html"));
    const markdown = await text(join(dir, "study/report.md"));
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>profilekit report: instruction-following</title>");
    expect(markdown).toMatch(/^\| length \| 0\.600 \[/m);
    // The study's provenance comes from its manifest.json, written before the report.
    const manifest = await readJson(join(dir, "study/manifest.json"));
    expect(markdown).toContain(`config hash: ${manifest.config.hash}`);

    const second = await run(dir);
    expect(second.stderr).toContain("human: finished earlier for the same config and data; skipped");
    expect(second.stderr).toContain("manifest.json, report.html, report.md to ");
    expect(await text(join(dir, "study/report.html"))).toBe(html);
    expect(await text(join(dir, "study/report.md"))).toBe(markdown);

    // `profilekit report` on the study folder, into the same place, gives run's bytes.
    const again = await runCli(["report", join(dir, "study"), "--out", join(dir, "study/report.html")]);
    expect(again.code, again.stderr).toBe(0);
    expect(await text(join(dir, "study/report.html"))).toBe(html);
    expect(await text(join(dir, "study/report.md"))).toBe(markdown);
  });

  it("with report: false, writes neither file and names none", async () => {
    const dir = await project({ ...config, report: false });
    const result = await run(dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wrote human\/, manifest\.json to /);
    expect(existsSync(join(dir, "study/report.html"))).toBe(false);
    expect(existsSync(join(dir, "study/report.md"))).toBe(false);
  });

  it("refuses a report field that is not a boolean, naming the config and the field", async () => {
    const dir = await project({ ...config, report: "yes" });
    const result = await run(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error[invalid_config]");
    expect(result.stderr).toContain("profilekit.config.json: report: ");
  });
});

describe("profilekit report", () => {
  it("on stage folders of analyze, judge and align: both files, the same bytes twice", async () => {
    const dir = await project();
    const input = join(dir, "pairs.jsonl");
    const human = join(dir, "human");
    const analyze = await runCli([
      "analyze",
      input,
      "--factors",
      "length,novelty",
      "--bootstrap",
      "0",
      "--permutations",
      "0",
      "--out",
      human,
    ]);
    expect(analyze.code, analyze.stderr).toBe(0);
    const server = await serve(createFakeModel());
    const judge = await runModelStage(
      "judge",
      input,
      server,
      { cache: join(dir, "cache.db"), out: join(dir, "judge") },
      [],
    );
    expect(judge.code, judge.stderr).toBe(0);
    const align = await runCli(["align", human, judge.out, "--out", join(dir, "align"), "--replicates", "0"]);
    expect(align.code, align.stderr).toBe(0);

    const out = join(dir, "site/index.html");
    const args = ["report", human, judge.out, join(dir, "align"), "--out", out, "--title", "Stage folders"];
    const first = await runCli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(`wrote ${out} and ${join(dir, "site/index.md")}\n`);
    const html = await text(out);
    const markdown = await text(join(dir, "site/index.md"));
    expect(markdown.startsWith("# Stage folders\n")).toBe(true);
    // Folder paths are shown relative to the report's folder.
    expect(markdown).toContain("from run folders alone: ../human, ../judge.");
    expect(markdown).toContain("## human → evaluation (openai:test-model)");
    expect(markdown).toMatch(/^\| evaluation \| openai:test-model \| /m);
    expect(html).toContain('<section id="judge"><h2>Judge diagnostics</h2>');

    expect((await runCli(args)).code).toBe(0);
    expect(await text(out)).toBe(html);
    expect(await text(join(dir, "site/index.md"))).toBe(markdown);
  });

  it("a folder that is not a run folder, one that does not exist, or one the runner's reader refuses: exit 2 with its code", async () => {
    const dir = await project(config);
    expect((await run(dir)).code).toBe(0);
    const out = join(dir, "out/report.html");
    await mkdir(join(dir, "empty"));
    expectError(await runCli(["report", join(dir, "empty"), "--out", out]), "invalid_run_folder");
    expectError(await runCli(["report", join(dir, "nope"), "--out", out]), "file_not_found");

    // A stage folder written by a newer profilekit: the reader's error and hint, and nothing else.
    await cp(join(dir, "study/human"), join(dir, "newer"), { recursive: true });
    const manifest = join(dir, "newer/manifest.json");
    await writeFile(manifest, JSON.stringify({ ...(await readJson(manifest)), schemaVersion: 2 }));
    const newer = await runCli(["report", join(dir, "newer"), "--out", out]);
    expectError(newer, "unknown_schema_version");
    expect(newer.stderr).toContain(`${manifest} has schemaVersion 2`);
    expect(newer.stderr).toContain("upgrade profilekit");
    expect(existsSync(out)).toBe(false);
  });
});
