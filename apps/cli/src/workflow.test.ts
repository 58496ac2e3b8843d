import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ProfileSchema } from "@profilekit/core";
import { readPairs } from "@profilekit/data";
import { UsageReportSchema } from "@profilekit/llm";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import {
  JudgementRecordSchema as JudgementSchema,
  LabelSchema,
  ManifestationSchema,
  type Pair,
  PairSchema,
  ResponseRecordSchema,
} from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AlignmentFileSchema,
  createBuiltinRegistry,
  GenerationProfileSchema,
  JudgeProfileSchema,
} from "@profilekit/runner";
import { runCli } from "./testing/run-cli.js";
import { hasSharedData, sharedDir, writeSample } from "./testing/sample-pairs.js";
import { readJson, readLines } from "./testing/run-output.js";

// PROFILE's whole workflow on each task, against the fake model on a local mock server:
// the human profile (analyze), the evaluation (judge) and generation (generate) settings with
// the task's model-extracted factors measured by an extractor, and their alignment (align);
// then the same from one `profilekit run` config. Each is run twice with the same seed into
// other folders, and must give the same bytes (manifest.json's usage aside: what a run spent).

const bundled = (name: string) => fileURLToPath(new URL(`../../../data/${name}`, import.meta.url));

interface Dataset {
  readonly task: string;
  readonly name: string;
  readonly path: string;
  readonly preset: string;
  /** The sample: the first `perInput` pairs of each of the first `inputs` inputs. */
  readonly inputs: number;
  readonly perInput: number;
}

const datasets: readonly Dataset[] = [
  {
    task: "summarization",
    name: "SummEval (bundled subset)",
    path: bundled("summeval-subset.jsonl.gz"),
    preset: "canonical",
    inputs: 5,
    perInput: 3,
  },
  // Auto-J carries no license, so it is not bundled: read from ../shared when present, else the
  // bundled HH-RLHF subset stands in as the instruction-following data.
  hasSharedData
    ? {
        task: "instruction-following",
        name: "Auto-J pairwise test (../shared, preset autoj)",
        path: join(sharedDir, "data", "autoj_pairwise_test"),
        preset: "autoj",
        inputs: 15,
        perInput: 1,
      }
    : {
        task: "instruction-following",
        name: "HH-RLHF harmless (bundled subset; ../shared is absent, so Auto-J is not used)",
        path: bundled("hh-rlhf-harmless-subset.jsonl.gz"),
        preset: "canonical",
        inputs: 15,
        perInput: 1,
      },
  {
    task: "document-qa",
    name: "QA-Feedback (bundled subset)",
    path: bundled("qa-feedback-dev-subset.jsonl.gz"),
    preset: "canonical",
    inputs: 5,
    perInput: 3,
  },
];

/** Judge and writer are one model, so the alignment has its generation-evaluation gap. */
const writer = "openai:gpt-4o-mini";
const extractor = "openai:gpt-4.1-nano";
const seed = 3;
const levels = 3;
const limit = 5;
const scoringFlags = ["--bootstrap", "50", "--permutations", "99", "--seed", String(seed)];
const replicates = 200;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-workflow-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function sample(dataset: Dataset): Promise<Pair[]> {
  const byInput = new Map<string, Pair[]>();
  for await (const pair of readPairs(dataset.path, { preset: dataset.preset })) {
    const key = JSON.stringify([pair.source ?? null, pair.prompt ?? null]);
    const taken = byInput.get(key) ?? [];
    if (!byInput.has(key)) {
      if (byInput.size === dataset.inputs) continue;
      byInput.set(key, taken);
    }
    if (taken.length < dataset.perInput) taken.push(pair);
    if (byInput.size === dataset.inputs && [...byInput.values()].every((p) => p.length === dataset.perInput))
      break;
  }
  return [...byInput.values()].flat();
}

const parseLines = async (path: string, schema: z.ZodType) => {
  const lines = await readLines(path);
  expect(lines.length, path).toBeGreaterThan(0);
  for (const line of lines) schema.parse(line);
  return lines;
};

/** Every file under `dir`, relative to it, sorted. */
async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(dir, path)));
    else files.push(path);
  }
  return files.sort();
}

/** The same files with the same bytes; each manifest.json the same once its `usage` is removed. */
async function expectSameOutputs(first: string, second: string): Promise<void> {
  const files = await listFiles(first);
  expect(await listFiles(second)).toEqual(files);
  for (const file of files) {
    if (basename(file) === "manifest.json") {
      const [a, b] = [await readJson(join(first, file)), await readJson(join(second, file))];
      expect({ ...b, usage: undefined }, file).toEqual({ ...a, usage: undefined });
    } else {
      expect(await readFile(join(second, file), "utf8"), file).toBe(
        await readFile(join(first, file), "utf8"),
      );
    }
  }
}

/** A line of labels.jsonl. */
const LabelLineSchema = z.strictObject({
  pairId: z.string(),
  label: LabelSchema,
  group: z.string(),
  source: z.string(),
});

/** The files of a human, evaluation or generation folder, each parsed against its schema. */
async function checkStage(dir: string, setting: "human" | "evaluation" | "generation", factors: string[]) {
  const schema = {
    human: ProfileSchema,
    evaluation: JudgeProfileSchema,
    generation: GenerationProfileSchema,
  }[setting];
  // Each setting's schema adds its own block; the union lets a test read the one it expects.
  const profile: z.infer<typeof ProfileSchema> &
    Partial<Pick<z.infer<typeof JudgeProfileSchema>, "agreement">> &
    Partial<Pick<z.infer<typeof GenerationProfileSchema>, "generation">> = schema.parse(
    await readJson(join(dir, "profile.json")),
  );
  expect(profile.factors.map((f) => f.factor)).toEqual(factors);
  // Every factor was measured on every pair: the model-extracted ones by the extractor.
  for (const factor of profile.factors) expect(factor.missing, factor.factor).toBe(0);
  const csv = (await readFile(join(dir, "profile.csv"), "utf8")).trim().split("\n");
  expect(csv).toHaveLength(factors.length + 1);
  const manifestations = await parseLines(join(dir, "manifestations.jsonl"), ManifestationSchema);
  expect(manifestations).toHaveLength(profile.pairs * factors.length);
  await parseLines(join(dir, "labels.jsonl"), LabelLineSchema);
  const manifest = await readJson(join(dir, "manifest.json"));
  expect(manifest.models.extractor).toBe(extractor);
  const usage = UsageReportSchema.parse(manifest.usage);
  expect(usage.byStage.map((row) => row.stage)).toContain("extract");
  if (setting !== "human") await parseLines(join(dir, "pairs.jsonl"), PairSchema);
  if (setting === "evaluation") {
    await parseLines(join(dir, "judgements.jsonl"), JudgementSchema);
    expect(manifest.models.judge).toBe(writer);
  }
  if (setting === "generation") {
    await parseLines(join(dir, "responses.jsonl"), ResponseRecordSchema);
    expect(manifest.models.generator).toBe(writer);
  }
  return { profile, manifest };
}

async function checkAlignment(dir: string) {
  const alignment = AlignmentFileSchema.parse(await readJson(join(dir, "alignment.json")));
  // Both model profiles are on the human clusters (the judge on the same pairs, the generator on
  // the same inputs), so every interval comes from one set of draws for both profiles.
  for (const comparison of alignment.comparisons) {
    expect(comparison.resampling?.method, comparison.compared.label).toBe("paired-cluster-bootstrap");
  }
  // Below 6 shared clusters no interval holds its level, and none is given; the warning says why.
  const shared = alignment.resampling!.sharedClusters;
  for (const figure of [alignment.kendallTauB, alignment.spearman]) {
    expect(figure.value).toEqual(expect.any(Number));
    if (shared >= 6) expect(figure.ci95).toHaveLength(2);
    else expect(figure.ci95).toBeNull();
  }
  if (shared < 6) expect(alignment.warnings?.join(" ")).toMatch(/cluster/);
  expect(alignment.factors.length).toBeGreaterThan(0);
  for (const factor of alignment.factors) {
    expect(factor).toMatchObject({ factor: expect.any(String), gap: expect.any(Number) });
    if (shared >= 6) expect(factor.ci95).toHaveLength(2);
  }
  expect(alignment.comparisons.map((c) => [c.reference.label, c.compared.label])).toEqual([
    ["human", "evaluation"],
    ["human", "generation"],
  ]);
  expect(alignment.generationEvaluationGaps).toHaveLength(1);
  expect(alignment.generationEvaluationGaps[0]).toMatchObject({
    model: writer,
    evaluation: "evaluation",
    generation: "generation",
  });
  return alignment;
}

for (const dataset of datasets) {
  describe(`${dataset.task} on ${dataset.name}: analyze, judge, generate, align and run`, () => {
    let server: MockServer;
    let pairs: Pair[];
    let data: string;
    let factors: string[];
    const dir = (name: string) => join(work, dataset.task, name);
    /** Requests the mock server received for the CLI's first workflow. */
    let cliRequests = 0;

    beforeAll(async () => {
      server = await startMockServer({ handler: createFakeModel() });
      pairs = await sample(dataset);
      await mkdir(dir(""), { recursive: true });
      data = await writeSample(dir("pairs.jsonl"), pairs);
      const task = createBuiltinRegistry().task(dataset.task);
      // The task's PROFILE factors (the model-extracted ones included) and its classical measures.
      factors = [...task.factors, ...task.classicalFactors];
    });
    afterAll(() => server?.close());

    /** analyze, judge, generate and align into `out`, every model call through `cache`. */
    async function cliWorkflow(out: string, cache: string) {
      await mkdir(out, { recursive: true });
      const models = ["--base-url", server.openaiBaseURL, "--cache-path", cache];
      const withExtractor = ["--extractor", extractor, ...models, ...scoringFlags, "-q"];
      const steps = [
        ["analyze", data, "--factors", factors.join(","), ...withExtractor, "--out", join(out, "human")],
        ["judge", data, "--model", writer, ...withExtractor, "--out", join(out, "evaluation")],
        [
          "generate",
          data,
          "--model",
          writer,
          "--levels",
          String(levels),
          "--limit",
          String(limit),
          ...withExtractor,
          "--out",
          join(out, "generation"),
        ],
      ];
      for (const argv of steps) {
        const run = await runCli(argv);
        expect(run.code, `${argv[0]}: ${run.stderr}`).toBe(0);
      }
      // align records the profile paths as given: relative to the workflow's folder.
      const cwd = process.cwd();
      process.chdir(out);
      try {
        const align = await runCli([
          "align",
          "human",
          "evaluation",
          "generation",
          "--out",
          "alignment",
          "--replicates",
          String(replicates),
          "--seed",
          String(seed),
          "-q",
        ]);
        expect(align.code, align.stderr).toBe(0);
      } finally {
        process.chdir(cwd);
      }
    }

    it(`the sample: ${dataset.inputs * dataset.perInput} pairs of ${dataset.inputs} inputs`, () => {
      expect(pairs).toHaveLength(dataset.inputs * dataset.perInput);
      expect(new Set(pairs.map((p) => p.task))).toEqual(new Set([dataset.task]));
    });

    it("judge → generate → align: every artifact parses; twice, the same bytes", async () => {
      const before = server.stats.requests;
      await cliWorkflow(dir("cli-1"), dir("cli-1.db"));
      cliRequests = server.stats.requests - before;
      expect(cliRequests).toBeGreaterThan(0);

      const out = dir("cli-1");
      const human = await checkStage(join(out, "human"), "human", factors);
      const evaluation = await checkStage(join(out, "evaluation"), "evaluation", factors);
      const generation = await checkStage(join(out, "generation"), "generation", factors);
      expect(human.profile.pairs).toBe(pairs.length);
      // The fake model's verdicts follow the texts, not their positions: both orders always agree.
      expect(evaluation.profile.agreement?.positionConsistency).toBe(1);
      expect(evaluation.manifest.counts).toMatchObject({ inputPairs: pairs.length, failed: 0 });
      // It writes one six-word sentence per level it is asked for, so the response aimed higher
      // is always the longer one: length is concordant on every generated pair.
      const generated = Math.min(limit, dataset.inputs) * ((levels * (levels - 1)) / 2);
      expect(generation.profile.generation).toEqual({
        inputs: Math.min(limit, dataset.inputs),
        levels,
        responses: Math.min(limit, dataset.inputs) * levels,
        dropped: 0,
        pairs: generated,
      });
      expect(generation.profile.factors.find((f) => f.factor === "length")).toMatchObject({
        tau: 1,
        concordant: generated,
      });
      await checkAlignment(join(out, "alignment"));

      // The same seed into another folder, with a cache of its own: the same requests, and
      // every file has the same bytes.
      const again = server.stats.requests;
      await cliWorkflow(dir("cli-2"), dir("cli-2.db"));
      expect(server.stats.requests - again).toBe(cliRequests);
      await expectSameOutputs(dir("cli-1"), dir("cli-2"));
    });

    it("one `profilekit run` config: the same stages and alignment; twice, the same bytes; then resumed", async () => {
      const config = {
        task: dataset.task,
        data: { path: "./pairs.jsonl" },
        models: {
          judge: writer,
          generator: writer,
          extractor,
          defaults: { baseURL: server.openaiBaseURL },
        },
        settings: { human: true, evaluation: {}, generation: { levels, limit } },
        scoring: { bootstrap: 50, permutations: 99, seed, alignmentReplicates: replicates },
        out: "runs/study",
        cache: ".profilekit/cache.db", // the default: in each project's folder
      };
      const project = async (name: string) => {
        await mkdir(dir(name), { recursive: true });
        await copyFile(data, join(dir(name), "pairs.jsonl"));
        await writeFile(join(dir(name), "profilekit.config.json"), JSON.stringify(config, null, 2));
        return join(dir(name), "profilekit.config.json");
      };

      const before = server.stats.requests;
      const first = await runCli(["run", "--config", await project("run-1")]);
      expect(first.code, first.stderr).toBe(0);
      for (const setting of ["human", "evaluation", "generation"]) {
        expect(first.stderr).toContain(`${setting}: running`);
      }
      // With a cache of its own, run made exactly the calls the four commands made.
      expect(server.stats.requests - before).toBe(cliRequests);

      const out = join(dir("run-1"), "runs/study");
      await checkStage(join(out, "human"), "human", factors);
      const evaluation = await checkStage(join(out, "evaluation"), "evaluation", factors);
      const generation = await checkStage(join(out, "generation"), "generation", factors);
      expect(evaluation.manifest).toMatchObject({ command: "run", setting: "evaluation" });
      expect(generation.manifest).toMatchObject({ command: "run", setting: "generation" });
      // The stages are judge's and generate's: the same results, byte for byte.
      const cli = dir("cli-1");
      for (const [setting, files] of [
        ["human", ["profile.json", "profile.csv", "manifestations.jsonl", "labels.jsonl"]],
        [
          "evaluation",
          ["profile.json", "profile.csv", "judgements.jsonl", "labels.jsonl", "manifestations.jsonl"],
        ],
        [
          "generation",
          ["profile.json", "profile.csv", "responses.jsonl", "pairs.jsonl", "manifestations.jsonl"],
        ],
      ] as const) {
        for (const file of files) {
          expect(await readFile(join(out, setting, file), "utf8"), `${setting}/${file}`).toBe(
            await readFile(join(cli, setting, file), "utf8"),
          );
        }
      }
      // Their manifest.json says the same, but for what names the run: command, setting, hash,
      // the input as given (run's reader also sets the config's task), and what it spent.
      const comparable = async (path: string) => {
        const { command, setting, configHash, input, usage, ...rest } = await readJson(path);
        return rest;
      };
      for (const setting of ["evaluation", "generation"]) {
        expect(await comparable(join(out, setting, "manifest.json")), setting).toEqual(
          await comparable(join(cli, setting, "manifest.json")),
        );
      }
      await checkAlignment(join(out, "alignment"));
      expect(await readFile(join(out, "alignment/alignment.json"), "utf8")).toBe(
        await readFile(join(cli, "alignment/alignment.json"), "utf8"),
      );

      // The top-level manifest: each stage, and usage summed over the stages and models.
      const manifest = await readJson(join(out, "manifest.json"));
      expect(manifest.stages).toMatchObject({
        human: { folder: "human", status: "run" },
        evaluation: { folder: "evaluation", status: "run", model: writer },
        generation: { folder: "generation", status: "run", model: writer },
        alignment: { folder: "alignment", comparisons: 2 },
      });
      const stageUsage = await Promise.all(
        ["human", "evaluation", "generation"].map(async (setting) =>
          UsageReportSchema.parse((await readJson(join(out, setting, "manifest.json"))).usage),
        ),
      );
      const sum = (pick: (report: z.infer<typeof UsageReportSchema>) => number) =>
        stageUsage.reduce((total, report) => total + pick(report), 0);
      expect(manifest.usage.total.calls).toBe(sum((r) => r.total.calls));
      expect(manifest.usage.total.requests).toBe(cliRequests);
      expect(manifest.usage.total.inputTokens).toBe(sum((r) => r.total.inputTokens));
      expect(manifest.usage.costUsd).toBeGreaterThan(0);
      expect(manifest.usage.costUsd).toBeCloseTo(
        sum((r) => r.total.costUsd!),
        12,
      );
      expect(manifest.usage.byModel.map((row: { model: string }) => row.model)).toEqual([extractor, writer]);
      expect(manifest.usage.byModel[1].calls).toBe(
        sum((r) => r.byModel.find((row) => row.model === writer)?.calls ?? 0),
      );

      // The same config and seed in another folder, with its own cache: the same bytes.
      const again = server.stats.requests;
      const second = await runCli(["run", "--config", await project("run-2")]);
      expect(second.code, second.stderr).toBe(0);
      expect(server.stats.requests - again).toBe(cliRequests);
      await expectSameOutputs(join(dir("run-1"), "runs"), join(dir("run-2"), "runs"));

      // Run again where it finished: every setting is skipped, no call is made, and manifest.json
      // keeps its bytes.
      const resumedFrom = server.stats.requests;
      const manifestBytes = await readFile(join(out, "manifest.json"), "utf8");
      const resumed = await runCli(["run", "--config", join(dir("run-1"), "profilekit.config.json")]);
      expect(resumed.code, resumed.stderr).toBe(0);
      for (const setting of ["human", "evaluation", "generation"]) {
        expect(resumed.stderr).toContain(
          `${setting}: finished earlier for the same config and data; skipped`,
        );
      }
      expect(server.stats.requests).toBe(resumedFrom);
      expect(await readFile(join(out, "manifest.json"), "utf8")).toBe(manifestBytes);
      expect(existsSync(join(out, "alignment/alignment.json"))).toBe(true);
    });
  });
}
