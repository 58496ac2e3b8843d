import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReport } from "../build-report.js";
import { readRunFolders } from "./run-folders.js";

const fixtures = fileURLToPath(new URL("../../test/fixtures/", import.meta.url));
const study = join(fixtures, "project/study");

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-report-input-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const lines = async (path: string) =>
  (await readFile(path, "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

describe("readRunFolders", () => {
  it("reads a `run` study: its three stages in order, with roles and models, its alignment and manifest", async () => {
    const input = await readRunFolders([study], { displayBase: fixtures });
    expect(input.sources.map((s) => [s.label, s.role, s.model, s.folder])).toEqual([
      ["human", "human", undefined, "project/study/human"],
      ["evaluation", "evaluation", "openai:gpt-4o-mini", "project/study/evaluation"],
      ["generation", "generation", "openai:gpt-4o-mini", "project/study/generation"],
    ]);
    const profile = await readJson(join(study, "human/profile.json"));
    expect(input.sources[0]!.profile.factors.map((f) => f.tau)).toEqual(
      profile.factors.map((f: { tau: number }) => f.tau),
    );
    expect(input.alignments.map((a) => a.folder)).toEqual(["project/study/alignment"]);
    expect(input.studies.map((s) => s.manifest.command)).toEqual(["run"]);
  });

  it("reads each folder once, however it is given; an improvement folder is an `improved` source", async () => {
    const input = await readRunFolders(
      [join(study, "generation"), study, join(study, "human", "profile.json"), join(fixtures, "improve")],
      { displayBase: fixtures },
    );
    expect(input.sources.map((s) => s.label)).toEqual(["human", "evaluation", "generation", "improved"]);
    expect(input.improvements).toHaveLength(1);
    const [improvement] = input.improvements;
    expect(improvement!.improvement.method).toBe("feedback");
    expect(improvement!.revision?.revision.responses).toBeGreaterThan(0);
    expect(improvement!.usage?.total.calls).toBeGreaterThan(0);
    // The improved source is the generation after the method (after/); the one before it stays out.
    expect(input.sources.at(-1)!.folder).toBe("improve/after");
  });

  it("refuses a folder that is not a run folder, and one that does not exist, with a code and a hint", async () => {
    await expect(readRunFolders([fixtures])).rejects.toMatchObject({
      code: "invalid_run_folder",
      hint: expect.any(String),
    });
    await expect(readRunFolders([join(fixtures, "nope")])).rejects.toMatchObject({ code: "file_not_found" });
    await expect(readRunFolders([])).rejects.toMatchObject({ code: "invalid_option" });
  });

  it("a file the runner's reader refuses fails with the reader's error, naming the file", async () => {
    const copy = async (name: string) => {
      const project = join(work, name);
      await cp(join(fixtures, "project"), project, { recursive: true });
      return project;
    };
    const edit = async (file: string, change: (json: Record<string, unknown>) => void) => {
      const json = await readJson(file);
      change(json);
      await writeFile(file, JSON.stringify(json));
    };
    const newer = await copy("newer");
    await edit(join(newer, "study/evaluation/manifest.json"), (json) => {
      json.schemaVersion = 2;
    });
    await expect(readRunFolders([join(newer, "study")])).rejects.toMatchObject({
      code: "unknown_schema_version",
      location: { file: join(newer, "study/evaluation/manifest.json"), field: "schemaVersion" },
      hint: expect.stringContaining("upgrade profilekit"),
    });
    const study = await copy("study-newer");
    await edit(join(study, "study/manifest.json"), (json) => {
      json.schemaVersion = 2;
    });
    await expect(readRunFolders([join(study, "study")])).rejects.toMatchObject({
      code: "unknown_schema_version",
    });
    // A setting's block of profile.json, checked by its schema (spec's JudgeAgreementSchema).
    const agreement = await copy("agreement");
    await edit(join(agreement, "study/evaluation/profile.json"), (json) => {
      (json.agreement as Record<string, unknown>).kappa = "high";
    });
    await expect(readRunFolders([join(agreement, "study")])).rejects.toMatchObject({
      code: "invalid_run_file",
      location: { file: join(agreement, "study/evaluation/profile.json"), field: "agreement.kappa" },
    });
    // A line of labels.jsonl, read by the runner when the drill-downs choose their examples.
    const labels = await copy("labels");
    const file = join(labels, "study/human/labels.jsonl");
    await writeFile(file, `${(await readFile(file, "utf8")).trimEnd()}\n{"pairId": "x", "label": "c"}\n`);
    await expect(buildReport([join(labels, "study")])).rejects.toMatchObject({
      code: "invalid_run_file",
      location: { file, line: (await lines(file)).length, field: "label" },
    });
  });
});

describe("pair texts for the drill-downs", () => {
  const humanIds = async (dir: string) =>
    new Set((await lines(join(dir, "human/labels.jsonl"))).map((l) => l.pairId as string));

  it("human has no pairs.jsonl: its texts come from the sibling evaluation/pairs.jsonl, which holds the same pairs", async () => {
    const input = await readRunFolders([study], { displayBase: fixtures });
    const ids = await humanIds(study);
    const texts = await input.sources[0]!.pairTexts(ids);
    expect(texts.unavailable).toBeUndefined();
    expect(texts.from).toEqual(["project/study/evaluation/pairs.jsonl"]);
    const pairs = await lines(join(fixtures, "project/pairs.jsonl"));
    for (const pair of pairs) expect(texts.texts.get(pair.id)?.a).toBe(pair.a);
  });

  it("passes over a sibling folder the runner's reader refuses (one a newer profilekit wrote)", async () => {
    const project = join(work, "refused-sibling");
    await cp(join(fixtures, "project"), project, { recursive: true });
    // Sorted before evaluation/, so it is tried first.
    await cp(join(project, "study/evaluation"), join(project, "study/aaa-newer"), { recursive: true });
    const manifest = join(project, "study/aaa-newer/manifest.json");
    await writeFile(manifest, JSON.stringify({ ...(await readJson(manifest)), schemaVersion: 2 }));
    const input = await readRunFolders([join(project, "study")], { displayBase: project });
    const texts = await input.sources[0]!.pairTexts(await humanIds(join(project, "study")));
    expect(texts.unavailable).toBeUndefined();
    expect(texts.from).toEqual(["study/evaluation/pairs.jsonl"]);
    // Given as a folder of its own, it is refused with the reader's error.
    await expect(readRunFolders([join(project, "study/aaa-newer")])).rejects.toMatchObject({
      code: "unknown_schema_version",
    });
  });

  it("without any pairs.jsonl, from the input file named in manifest.json (relative to the study's config)", async () => {
    const project = join(work, "no-pairs");
    await cp(join(fixtures, "project"), project, { recursive: true });
    await rm(join(project, "study/evaluation/pairs.jsonl"));
    await rm(join(project, "study/generation/pairs.jsonl"));
    const input = await readRunFolders([join(project, "study")], { displayBase: project });
    const texts = await input.sources[0]!.pairTexts(await humanIds(join(project, "study")));
    expect(texts.unavailable).toBeUndefined();
    expect(texts.from).toEqual(["pairs.jsonl"]);
  });

  it("when nothing holds them, says so, and the report is still written and says the texts are not available", async () => {
    const project = join(work, "no-texts");
    await cp(join(fixtures, "project"), project, { recursive: true });
    for (const file of ["pairs.jsonl", "study/evaluation/pairs.jsonl", "study/generation/pairs.jsonl"])
      await rm(join(project, file));
    const input = await readRunFolders([join(project, "study")]);
    const texts = await input.sources[0]!.pairTexts(await humanIds(join(project, "study")));
    expect(texts.texts.size).toBe(0);
    expect(texts.unavailable).toContain("cannot be found");
    const report = await buildReport([join(project, "study")]);
    expect(report.html).toContain("The texts of this pair are not available.");
    expect(report.html).toContain("Some texts are not available");
  });
});
