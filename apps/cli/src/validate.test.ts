import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import {
  MeasurementRecordSchema,
  type ValidationFile,
  ValidationFileSchema,
  type ValidationItem,
  ValidationItemSchema,
  ValidationManifestSchema,
} from "@profilekit/spec";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const bundled = (name: string) => join(repo, "data", name);

let work: string;
let server: MockServer | undefined;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-validate-cli-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function itemsOf(name: string): Promise<ValidationItem[]> {
  const text = gunzipSync(await readFile(bundled(name))).toString("utf8");
  return text
    .trim()
    .split("\n")
    .map((line) => ValidationItemSchema.parse(JSON.parse(line)));
}
const readJson = async (path: string) => JSON.parse(await readFile(path, "utf8"));
const resultOf = (validation: ValidationFile, dataset: string, factor: string) =>
  validation.datasets.find((d) => d.name === dataset)!.results.find((r) => r.factor === factor)!;

/** Kendall's tau_b over every pair of observations, by its definition. */
function tauB(xs: readonly number[], ys: readonly number[]): number {
  let s = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const sx = Math.sign(xs[i]! - xs[j]!);
      const sy = Math.sign(ys[i]! - ys[j]!);
      s += sx * sy;
      nx += sx * sx;
      ny += sy * sy;
    }
  }
  return s / Math.sqrt(nx * ny);
}

/** Spearman's rho as Pearson's r of mid-ranks. */
function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  const ranks = (v: readonly number[]) =>
    v.map((x) => v.filter((y) => y < x).length + (v.filter((y) => y === x).length + 1) / 2);
  const rx = ranks(xs);
  const ry = ranks(ys);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

const words = (text: string) => text.split(/\s+/).filter((word) => word.length > 0).length;

describe("profilekit validate on the bundled subsets, with the rule factors (no model)", () => {
  it("writes validation.json whose figures match ones computed here, and the same bytes for the same seed", async () => {
    const args = (out: string) => ["validate", "--out", join(work, out), "--bootstrap", "200", "--seed", "5"];
    const run = await runCli(args("rules"));
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /skipping coherence, hallucination, fluency, source-coverage, off-focus: .*--extractor/,
    );
    expect(run.stdout).toMatch(/^summeval \(.*\): 240 items, 20 clusters$/m);
    expect(run.stdout).toMatch(/^qa-feedback \(.*\): 100 items, 100 clusters$/m);
    expect(run.stdout).toMatch(/^length \(proxy\) +irrelevant \+ redundant +Kendall tau_b/m);
    // A note about some mappings names them; one about every computed mapping is printed once.
    expect(run.stdout).toMatch(/^note: novelty: 1 of 20 clusters left out of the mean/m);
    expect(run.stdout).toMatch(/^note: readability, source-overlap: Only 20 clusters/m);
    const validation = ValidationFileSchema.parse(await readJson(join(work, "rules/validation.json")));

    // QA-Feedback, length against irrelevant + redundant spans: tau_b over the 100 answers and the
    // AUC of "has such a span", from word counts and the labels read here.
    const qa = await itemsOf("qa-feedback-validation.jsonl.gz");
    const lengths = qa.map((item) => words(item.response));
    const spans = qa.map((item) => (item.labels.irrelevant as number) + (item.labels.redundant as number));
    const length = resultOf(validation, "qa-feedback", "length");
    expect(length.kendallTauB!.value).toBeCloseTo(tauB(spans, lengths), 12);
    const positives = qa.flatMap((_, i) => (spans[i]! > 0 ? [lengths[i]!] : []));
    const negatives = qa.flatMap((_, i) => (spans[i]! > 0 ? [] : [lengths[i]!]));
    let wins = 0;
    for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(length.auc).toMatchObject({ positives: positives.length, negatives: negatives.length });
    expect(length.auc!.value).toBeCloseTo(wins / (positives.length * negatives.length), 12);
    expect(length.kendallTauB!.ci95![0]).toBeLessThan(length.kendallTauB!.value!);

    // Every SummEval mapping of a rule factor has a figure on all 240 summaries, with an interval
    // from the 6-29 cluster method; the model factors' mappings are listed as skipped.
    for (const factor of ["readability", "source-overlap", "novelty"]) {
      const result = resultOf(validation, "summeval", factor);
      expect(result).toMatchObject({ items: 240, clusters: 20, intervalMethod: "sign-flip-inversion" });
      expect(result.spearman!.ci95).not.toBeNull();
    }
    expect(resultOf(validation, "summeval", "hallucination").skipped).toMatch(/no extractor/);
    expect(resultOf(validation, "summeval", "hallucination").references.map((r) => r.spearman)).toEqual([
      0.51, 0.446,
    ]);

    const again = await runCli(args("rules-again"));
    expect(again.code).toBe(0);
    for (const name of ["validation.json", "measurements.jsonl", "manifest.json"]) {
      expect(await readFile(join(work, "rules-again", name), "utf8")).toBe(
        await readFile(join(work, "rules", name), "utf8"),
      );
    }
    const manifest = ValidationManifestSchema.parse(await readJson(join(work, "rules/manifest.json")));
    expect(manifest.input.datasets.map((d) => [d.name, d.items])).toEqual([
      ["summeval", 240],
      ["qa-feedback", 100],
    ]);
    expect(manifest.versions.profilekit).toBeDefined();
  });

  it("runs a file with a mapping table of one's own, summary-level, as computed here", async () => {
    // Length against SummEval's relevance within each article: the mean per-article Spearman.
    const summaries = await itemsOf("summeval-validation.jsonl.gz");
    const mappings = join(work, "length-relevance.json");
    await writeFile(
      mappings,
      JSON.stringify([
        {
          factor: "length",
          labels: ["relevance"],
          direction: "same",
          role: "proxy",
          statistic: "summary-level",
        },
      ]),
    );
    const out = join(work, "own");
    const run = await runCli([
      "validate",
      "--dataset",
      bundled("summeval-validation.jsonl.gz"),
      "--mappings",
      mappings,
      "--out",
      out,
      "--bootstrap",
      "0",
    ]);
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.code).toBe(0);
    const byArticle = new Map<string, ValidationItem[]>();
    for (const item of summaries) byArticle.set(item.cluster, [...(byArticle.get(item.cluster) ?? []), item]);
    const perArticle = [...byArticle.values()].map(
      (items) =>
        spearman(
          items.map((item) => item.labels.relevance as number),
          items.map((item) => words(item.response)),
        )!,
    );
    const validation = ValidationFileSchema.parse(await readJson(join(out, "validation.json")));
    expect(validation.datasets[0]!.name).toBe("summeval-validation");
    const result = validation.datasets[0]!.results[0]!;
    expect(result.spearman!.value).toBeCloseTo(perArticle.reduce((a, b) => a + b, 0) / perArticle.length, 12);
    expect(result.spearman!.ci95).toBeNull();
    const lines = (await readFile(join(out, "measurements.jsonl"), "utf8")).trim().split("\n");
    expect(lines.map((line) => MeasurementRecordSchema.parse(JSON.parse(line)).value)).toEqual(
      summaries.map((item) => words(item.response)),
    );
  });

  it("refuses a file without --mappings and a factor without a mapping, teaches in --help", async () => {
    const file = await runCli(["validate", "--dataset", bundled("summeval-validation.jsonl.gz")]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/error\[missing_argument\]: --dataset .* needs --mappings/);
    const unmapped = await runCli(["validate", "--dataset", "summeval", "--factors", "length"]);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toMatch(/error\[no_mappings\]: no mapping of summeval names factor "length"/);
    const help = await runCli(["validate", "--help"]);
    expect(help.stdout).toMatch(/hallucination +~ consistency, reversed/);
    expect(help.stdout).toMatch(/How to read the figures .*\n.*docs\/validation\.md/);
  });
});

describe("profilekit validate with model factors (mock OpenAI-compatible server on 127.0.0.1)", () => {
  it("reads each distinct response once, writes validation.json, and gives the same bytes again from the cache", async () => {
    server = await startMockServer({ handler: createFakeModel() });
    const args = (out: string) => [
      "validate",
      "--extractor",
      "openai:fake-extractor",
      "--base-url",
      server!.openaiBaseURL,
      "--cache-path",
      join(work, "model-cache.db"),
      "--out",
      join(work, out),
      "--bootstrap",
      "200",
    ];
    const first = await runCli(args("model"));
    expect(first.stderr).not.toMatch(/^error|skipping/m);
    expect(first.code).toBe(0);
    // One reading per distinct response (every response-level factor of it in one call), and one
    // checklist of key points (source-coverage) per distinct input.
    const items = [
      ...(await itemsOf("summeval-validation.jsonl.gz")),
      ...(await itemsOf("qa-feedback-validation.jsonl.gz")),
    ];
    const responses = new Set(items.map((item) => JSON.stringify([item.source, item.prompt, item.response])));
    const inputs = new Set(items.map((item) => JSON.stringify([item.source, item.prompt])));
    expect(responses.size).toBeLessThan(items.length);
    expect(server.stats.requests).toBe(responses.size + inputs.size);
    const validation = ValidationFileSchema.parse(await readJson(join(work, "model/validation.json")));
    expect(validation.skippedFactors).toEqual([]);
    for (const [dataset, factor] of [
      ["summeval", "coherence"],
      ["summeval", "hallucination"],
      ["summeval", "fluency"],
      ["summeval", "source-coverage"],
      ["qa-feedback", "hallucination"],
      ["qa-feedback", "off-focus"],
      ["qa-feedback", "source-coverage"],
    ] as const) {
      const result = resultOf(validation, dataset, factor);
      expect(result.notMeasured).toBe(0);
      expect(result.kendallTauB!.value).not.toBeNull();
    }
    expect(first.stdout).toMatch(/^hallucination +consistency, reversed +Spearman +-?\d\.\d{3} +\[/m);
    expect(first.stdout).toMatch(/G-Eval \(GPT-4\) 0\.51, UniEval 0\.446/);
    expect(existsSync(join(work, "model/evidence.jsonl"))).toBe(true);
    const manifest = ValidationManifestSchema.parse(await readJson(join(work, "model/manifest.json")));
    expect(manifest.models).toEqual({ extractor: "openai:fake-extractor" });

    const requests = server.stats.requests;
    const again = await runCli(args("model-again"));
    expect(again.code).toBe(0);
    expect(server.stats.requests).toBe(requests);
    for (const name of ["validation.json", "measurements.jsonl", "evidence.jsonl"]) {
      expect(await readFile(join(work, "model-again", name), "utf8")).toBe(
        await readFile(join(work, "model", name), "utf8"),
      );
    }
  });

  it("estimates a dry run without calling the model", async () => {
    server = await startMockServer({ handler: createFakeModel() });
    const run = await runCli([
      "validate",
      "--dataset",
      "qa-feedback",
      "--extractor",
      "openai:fake-extractor",
      "--base-url",
      server.openaiBaseURL,
      "--no-cache",
      "--dry-run",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /dry run: 100 items x 4 model factors:\n {2}extract: 200 calls to openai:fake-extractor/,
    );
    expect(server.stats.requests).toBe(0);
  });
});
