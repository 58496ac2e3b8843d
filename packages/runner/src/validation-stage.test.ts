import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  definePairFactor,
  defineResponseFactor,
  MeasurementRecordSchema,
  ValidationFileSchema,
  type ValidationItem,
  ValidationManifestSchema,
  type ValidationMappingInput,
} from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBuiltinRegistry } from "./builtins.js";
import { validate } from "./validation-stage.js";

/** Exclamation marks in the response; not measured on an empty response. */
const marks = defineResponseFactor({
  id: "marks",
  title: "Exclamation marks",
  definition: "More = more exclamation marks.",
  measure: (text) => (text === "" ? null : (text.match(/!/g) ?? []).length),
});

const item = (
  id: string,
  cluster: string,
  response: string,
  labels: ValidationItem["labels"],
): ValidationItem => ({
  id,
  task: "summarization",
  response,
  cluster,
  labels,
});

/**
 * Two documents of three rated responses each, and two more that are left out: one lacks the
 * label, one response is empty (marks cannot measure it).
 * Document A: marks 1, 2, 3 against quality 1, 2, 3: Spearman 1, tau_b 1.
 * Document B: marks 1, 2, 3 against quality 3, 1, 2: ranks differ by 2, -1, -1, so Spearman =
 * 1 - 6 * 6 / (3 * (9 - 1)) = -0.5; of its three pairs one is concordant and two discordant,
 * tau_b = (1 - 2) / 3 = -1/3.
 * Summary-level, the means: Spearman (1 - 0.5) / 2 = 0.25, tau_b (1 - 1/3) / 2 = 1/3.
 */
const documents: ValidationItem[] = [
  item("a1", "A", "one!", { quality: 1 }),
  item("a2", "A", "two!!", { quality: 2 }),
  item("a3", "A", "three!!!", { quality: 3 }),
  item("a4", "A", "unrated!!!!", {}),
  item("b1", "B", "one!", { quality: 3 }),
  item("b2", "B", "two!!", { quality: 1 }),
  item("b3", "B", "three!!!", { quality: 2 }),
  item("b4", "B", "", { quality: 5 }),
];

const mapping = (overrides: Partial<ValidationMappingInput>): ValidationMappingInput => ({
  factor: "marks",
  labels: ["quality"],
  direction: "same",
  role: "measure",
  statistic: "summary-level",
  ...overrides,
});

describe("validate: mappings and their orientation on hand-made items", () => {
  it("averages the per-document correlations, negated for a reversed mapping, and counts what it leaves out", async () => {
    const { validation, files } = await validate({
      datasets: [
        { name: "same", items: documents, mappings: [mapping({})] },
        { name: "reversed", items: documents, mappings: [mapping({ direction: "reversed" })] },
      ],
      factors: [marks],
      bootstrap: 200,
      seed: 3,
    });
    expect(files).toEqual([]);
    const [same, reversed] = validation.datasets.map((dataset) => dataset.results[0]!);
    expect(same!.spearman!.value).toBeCloseTo(0.25, 12);
    expect(same!.kendallTauB!.value).toBeCloseTo(1 / 3, 12);
    expect(reversed!.spearman!.value).toBeCloseTo(-0.25, 12);
    expect(reversed!.kendallTauB!.value).toBeCloseTo(-1 / 3, 12);
    expect(same).toMatchObject({ items: 6, clusters: 2, missingLabel: 1, notMeasured: 1, auc: null });
    // Two documents are too few for any 95% interval.
    expect(same!.spearman!.ci95).toBeNull();
    expect(same!.intervalMethod).toBe("none");
    expect(same!.notes.join("\n")).toMatch(/1 of 8 items have no quality label/);
    expect(same!.notes.join("\n")).toMatch(
      /1 items could not be measured by marks: left out\. marks could not be measured/,
    );
    expect(same!.notes.join("\n")).toMatch(/Only 2 clusters/);
    expect(validation.datasets.map((dataset) => dataset.clusters)).toEqual([2, 2]);
  });

  it("sums several labels (true counts 1) and reports item-level tau_b and the AUC of presence", async () => {
    // Labels (spans of two kinds summed) 0, 0, 1, 2 against marks 1, 3, 2, 4. Of the 6 pairs one
    // is tied in the labels, one discordant (0 < 1 while 3 > 2), four concordant: tau_b =
    // (4 - 1) / sqrt(5 * 6). AUC: positives (sum > 0) have 2 and 4, negatives 1 and 3; of the 4
    // positive-negative pairs, 3 put the positive higher: 0.75.
    const spans: ValidationItem[] = [
      item("q1", "q1", "!", { wrong: 0, unsure: false }),
      item("q2", "q2", "!!!", { wrong: 0, unsure: false }),
      item("q3", "q3", "!!", { wrong: 0, unsure: true }),
      item("q4", "q4", "!!!!", { wrong: 1, unsure: true }),
    ];
    const itemLevel = mapping({ labels: ["wrong", "unsure"], statistic: "item-level" });
    const { validation } = await validate({
      datasets: [
        { name: "same", items: spans, mappings: [itemLevel] },
        { name: "reversed", items: spans, mappings: [{ ...itemLevel, direction: "reversed" }] },
      ],
      factors: [marks],
      bootstrap: 0,
    });
    const [same, reversed] = validation.datasets.map((dataset) => dataset.results[0]!);
    expect(same!.kendallTauB!.value).toBeCloseTo(3 / Math.sqrt(30), 12);
    expect(same!.auc).toMatchObject({ value: 0.75, positives: 2, negatives: 2 });
    expect(same!.spearman).toBeNull();
    expect(reversed!.kendallTauB!.value).toBeCloseTo(-3 / Math.sqrt(30), 12);
    expect(reversed!.auc!.value).toBeCloseTo(0.25, 12);
    expect(same!.notes.join("\n")).toMatch(/AUC rests on 2 items with wrong or unsure present and 2 without/);
  });

  it("notes an undefined AUC when no compared item has the label", async () => {
    const none = [1, 2, 3].map((k) => item(`n${k}`, `n${k}`, "!".repeat(k), { wrong: 0 }));
    const { validation } = await validate({
      datasets: [
        { name: "none", items: none, mappings: [mapping({ labels: ["wrong"], statistic: "item-level" })] },
      ],
      factors: [marks],
    });
    const result = validation.datasets[0]!.results[0]!;
    expect(result.auc!.value).toBeNull();
    expect(result.kendallTauB!.value).toBeNull();
    expect(result.notes.join("\n")).toMatch(/AUC is undefined: no compared item has wrong present/);
  });
});

describe("validate: factors, mappings and refusals", () => {
  const dataset = { name: "hand", items: documents, mappings: [mapping({})] };

  it("refuses a factor no mapping names, a pair-level factor, a mapping given twice and a dataset listed twice", async () => {
    const extra = defineResponseFactor({
      id: "extra",
      title: "Extra",
      definition: "More.",
      measure: () => 1,
    });
    await expect(validate({ datasets: [dataset], factors: [marks, extra] })).rejects.toMatchObject({
      code: "no_mappings",
    });
    const paired = definePairFactor({
      id: "paired",
      title: "Paired",
      definition: "A is more.",
      compare: () => ({ sign: 1 }),
    });
    await expect(
      validate({
        datasets: [{ ...dataset, mappings: [mapping({ factor: "paired" })] }],
        factors: [paired],
      }),
    ).rejects.toMatchObject({ code: "invalid_validation_mapping" });
    await expect(
      validate({
        datasets: [{ ...dataset, mappings: [mapping({}), mapping({ direction: "reversed" })] }],
        factors: [marks],
      }),
    ).rejects.toMatchObject({ code: "invalid_validation_mapping" });
    await expect(validate({ datasets: [dataset, dataset], factors: [marks] })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(
      validate({
        datasets: [
          {
            ...dataset,
            items: [{ id: "x", task: "t", response: "r", labels: {} } as unknown as ValidationItem],
          },
        ],
        factors: [marks],
      }),
    ).rejects.toMatchObject({ code: "invalid_record" });
  });

  it("skips the mappings of model factors without an extractor, and refuses them when named", async () => {
    const withModel = {
      ...dataset,
      mappings: [mapping({}), mapping({ factor: "fluency", statistic: "summary-level" })],
    };
    // By default every mapped factor runs: marks from a registry that knows it, fluency skipped.
    const registry = createBuiltinRegistry().registerFactor(marks);
    const { validation, skippedFactors } = await validate({ datasets: [withModel], registry });
    expect(skippedFactors).toEqual(["fluency"]);
    expect(validation.skippedFactors).toEqual(["fluency"]);
    const fluency = validation.datasets[0]!.results.find((result) => result.factor === "fluency")!;
    expect(fluency.skipped).toMatch(/measured by a language model, and no extractor was given/);
    expect(fluency.spearman).toBeNull();
    await expect(validate({ datasets: [withModel], factors: ["fluency"] })).rejects.toMatchObject({
      code: "model_required",
    });
  });
});

describe("validate: the run folder", () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "profilekit-validate-"));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("writes validation.json, measurements.jsonl and manifest.json, the same bytes for the same seed", async () => {
    const run = (out: string) =>
      validate({
        datasets: [{ name: "hand", items: documents, mappings: [mapping({})] }],
        factors: [marks],
        out,
        seed: 7,
      });
    const first = await run(join(work, "one"));
    await run(join(work, "two"));
    expect(first.files).toEqual(["measurements.jsonl", "validation.json", "manifest.json"]);
    for (const name of first.files) {
      expect(await readFile(join(work, "two", name), "utf8")).toBe(
        await readFile(join(work, "one", name), "utf8"),
      );
    }
    const written = JSON.parse(await readFile(join(work, "one", "validation.json"), "utf8"));
    expect(ValidationFileSchema.parse(written)).toEqual(first.validation);
    const manifest = ValidationManifestSchema.parse(
      JSON.parse(await readFile(join(work, "one", "manifest.json"), "utf8")),
    );
    expect(manifest.input.datasets).toEqual([
      { name: "hand", path: "(items given in code)", items: 8, mappings: 1 },
    ]);
    const lines = (await readFile(join(work, "one", "measurements.jsonl"), "utf8"))
      .trim()
      .split("\n")
      .map((line) => MeasurementRecordSchema.parse(JSON.parse(line)));
    expect(lines.map((line) => line.value)).toEqual([1, 2, 3, 4, 1, 2, 3, null]);
  });
});
