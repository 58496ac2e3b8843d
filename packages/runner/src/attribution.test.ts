import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createRandom,
  ProfileAttributionSchema as AttributionSchema,
  jointRegression,
  lengthControlledScores,
  type ManifestationLike,
  type RegressionPair,
} from "@profilekit/core";
import type { Label, Sign } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeAttribution } from "./attribution.js";
import { analyze } from "./human-stage.js";

let work: string;
let folders = 0;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-attribution-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

interface RunFolder {
  pairs: RegressionPair[];
  manifestations: (ManifestationLike & { error?: string })[];
}

/** Writes labels.jsonl and manifestations.jsonl as analyze does (plus `extra` raw lines), returns the folder. */
async function writeRun(
  run: RunFolder,
  extra: { labels?: string; manifestations?: string } = {},
): Promise<string> {
  const dir = join(work, `run-${folders++}`);
  await mkdir(dir);
  const labels = run.pairs.map((p) =>
    JSON.stringify({ pairId: p.id, label: p.label, group: p.group, source: "human" }),
  );
  const manifestations = run.manifestations.map((m) => JSON.stringify(m));
  await writeFile(join(dir, "labels.jsonl"), `${labels.join("\n")}\n${extra.labels ?? ""}`);
  await writeFile(
    join(dir, "manifestations.jsonl"),
    `${manifestations.join("\n")}\n${extra.manifestations ?? ""}`,
  );
  return dir;
}

const signOf = (a: number, b: number): Sign => (a > b ? 1 : a < b ? -1 : 0);

/**
 * 600 pairs in 200 groups of 3. The label follows length only (P(a) = sigmoid((lenA - lenB) / 20),
 * 10% ties); number-of-facts is length / 25 plus noise, a passenger correlated with length that
 * has no effect of its own.
 */
function lengthDrivenRun(): RunFolder {
  const random = createRandom(11, "attribution-test");
  const uniform = () => (random.nextUint32() + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const run: RunFolder = { pairs: [], manifestations: [] };
  for (let i = 0; i < 600; i++) {
    const id = `p${i}`;
    const lengthA = Math.round(100 + 40 * normal());
    const lengthB = Math.round(100 + 40 * normal());
    const factsA = Math.max(0, Math.round(lengthA / 25 + normal()));
    const factsB = Math.max(0, Math.round(lengthB / 25 + normal()));
    const label: Label =
      uniform() < 0.1 ? "tie" : uniform() < 1 / (1 + Math.exp(-(lengthA - lengthB) / 20)) ? "a" : "b";
    run.pairs.push({ id, label, group: `g${Math.floor(i / 3)}` });
    run.manifestations.push(
      { pairId: id, factor: "length", valueA: lengthA, valueB: lengthB, sign: signOf(lengthA, lengthB) },
      { pairId: id, factor: "number-of-facts", valueA: factsA, valueB: factsB, sign: signOf(factsA, factsB) },
    );
  }
  return run;
}

describe("computeAttribution on a run where length drives the label", () => {
  const run = lengthDrivenRun();
  let dir: string;
  beforeAll(async () => {
    dir = await writeRun(run);
  });

  it("gives length a clearly positive coefficient and the passenger about 0, as core does on the same arrays", async () => {
    const attribution = await computeAttribution(dir, { seed: 3, bootstrap: 200 });
    expect(attribution.notes).toEqual([]);
    expect(attribution.jointRegression).toEqual(
      jointRegression(run.pairs, run.manifestations, { seed: 3, bootstrap: 200 }),
    );

    const [length, facts] = attribution.jointRegression!.factors;
    expect(length!.factor).toBe("length");
    expect(length!.encoding).toBe("difference");
    // The label's log-odds are (lenA - lenB) / 20 and sd(lenA - lenB) is about 40 * sqrt(2) = 57,
    // so the standardised coefficient is about 2.8 (less under the N(0, 1) prior and the
    // passenger's share of the fit).
    expect(length!.coefficient!).toBeGreaterThan(1.5);
    expect(length!.ci95![0]).toBeGreaterThan(1);
    expect(facts!.factor).toBe("number-of-facts");
    expect(Math.abs(facts!.coefficient!)).toBeLessThan(0.3);
    expect(facts!.ci95![0]).toBeLessThan(0);
    expect(facts!.ci95![1]).toBeGreaterThan(0);
  });

  it("shrinks the passenger's tau once length is held fixed, as core does on the same arrays", async () => {
    const attribution = await computeAttribution(dir, { seed: 3, bootstrap: 0 });
    expect(attribution.lengthControlled).toEqual(lengthControlledScores(run.pairs, run.manifestations));
    const [facts] = attribution.lengthControlled!;
    expect(facts!.factor).toBe("number-of-facts");
    expect(facts!.pairs).toBe(600);
    expect(facts!.tauB!).toBeGreaterThan(0.2); // the passenger looks important on its own ...
    expect(Math.abs(facts!.partialTauB!)).toBeLessThan(Math.abs(facts!.tauB!) / 2); // ... and is not
    expect(attribution.jointRegression!.factors.every((f) => f.ci95 === null)).toBe(true);
  });

  it("gives the same bytes for the same seed, and other intervals for another", async () => {
    const text = async (seed: number) =>
      JSON.stringify(await computeAttribution(dir, { seed, bootstrap: 100 }));
    const first = await text(5);
    expect(await text(5)).toBe(first);
    expect(await text(6)).not.toBe(first);
    expect(AttributionSchema.parse(JSON.parse(first))).toEqual(JSON.parse(first));
  });

  it("passes lambda to the regression", async () => {
    const strong = await computeAttribution(dir, { seed: 3, bootstrap: 0, lambda: 100 });
    expect(strong.jointRegression!.lambda).toBe(100);
    expect(strong.jointRegression).toEqual(
      jointRegression(run.pairs, run.manifestations, { seed: 3, bootstrap: 0, lambda: 100 }),
    );
  });

  it("skips both figures above maxPairs, saying how many pairs and how to force them", async () => {
    const skipped = await computeAttribution(dir, { seed: 3, bootstrap: 0, maxPairs: 599 });
    expect(skipped.jointRegression).toBeNull();
    expect(skipped.lengthControlled).toBeNull();
    expect(skipped.notes).toHaveLength(1);
    expect(skipped.notes[0]).toContain("600 pairs, more than maxPairs = 599");
    expect(skipped.notes[0]).toContain("set maxPairs to 600 or more");
    const atLimit = await computeAttribution(dir, { seed: 3, bootstrap: 0, maxPairs: 600 });
    expect(atLimit.jointRegression).not.toBeNull();
  });
});

describe("computeAttribution on hand-computed runs", () => {
  it("fits one sign factor: the coefficient is log(C / D) when the penalty is negligible", async () => {
    // 30 pairs where the preferred response is more fluent, 10 where it is less, 5 factor ties
    // (x = 0, no information) and 5 label ties (left out). With lambda -> 0 the fit solves
    // C sigmoid(-beta) = D sigmoid(beta), so beta = log(C / D) = log 3.
    const pairs: RegressionPair[] = [];
    const manifestations: ManifestationLike[] = [];
    const add = (label: Label, sign: Sign, n: number) => {
      for (let k = 0; k < n; k++) {
        const id = `q${pairs.length}`;
        pairs.push({ id, label, group: id });
        manifestations.push({ pairId: id, factor: "fluency", sign });
      }
    };
    add("a", 1, 15);
    add("b", -1, 15);
    add("a", -1, 5);
    add("b", 1, 5);
    add("a", 0, 5);
    add("tie", 1, 5);
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations }), {
      seed: 1,
      bootstrap: 50,
      lambda: 1e-9,
    });
    const fit = attribution.jointRegression!;
    expect(fit).toMatchObject({ pairs: 50, ties: 5, dropped: 0, used: 45, groups: 45 });
    expect(fit.factors[0]).toMatchObject({ factor: "fluency", encoding: "sign", scale: 1, missing: 0 });
    expect(fit.factors[0]!.coefficient!).toBeCloseTo(Math.log(3), 6);
    expect(attribution.lengthControlled).toBeNull();
    expect(attribution.notes).toEqual([
      'Length-controlled scores skipped: the run has no "length" factor; add it to the run\'s factors to hold length fixed.',
    ]);
  });

  it("computes Kendall's partial tau from tau_b over pairs", async () => {
    // p = preference, L = length sign, f = factor sign on six pairs:
    //   p  1  1  1 -1 -1  0      tau_pf = (1 + 0 + 1 + 1 - 1 + 0) / sqrt(5 * 5) = 2/5
    //   L  1  1 -1 -1 -1  1      tau_pL = (1 + 1 - 1 + 1 + 1 + 0) / sqrt(5 * 6) = 3 / sqrt(30)
    //   f  1  0  1 -1  1  1      tau_fL = (1 + 0 - 1 + 1 - 1 + 1) / sqrt(5 * 6) = 1 / sqrt(30)
    // partial = (2/5 - 3/30) / sqrt((1 - 9/30)(1 - 1/30)) = 0.3 / sqrt(0.7 * 29/30)
    const labels: Label[] = ["a", "a", "a", "b", "b", "tie"];
    const length: Sign[] = [1, 1, -1, -1, -1, 1];
    const factor: Sign[] = [1, 0, 1, -1, 1, 1];
    const pairs = labels.map((label, i) => ({ id: `r${i}`, label, group: "one" }));
    const manifestations = pairs.flatMap(({ id }, i) => [
      { pairId: id, factor: "length", sign: length[i]! },
      { pairId: id, factor: "coherence", sign: factor[i]! },
    ]);
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations }), {
      seed: 1,
      bootstrap: 0,
    });
    const [score] = attribution.lengthControlled!;
    expect(score!.factor).toBe("coherence");
    expect(score!.tauB!).toBeCloseTo(0.4, 12);
    expect(score!.lengthTauB!).toBeCloseTo(3 / Math.sqrt(30), 12);
    expect(score!.factorLengthTauB!).toBeCloseTo(1 / Math.sqrt(30), 12);
    expect(score!.partialTauB!).toBeCloseTo(0.3 / Math.sqrt(0.7 * (29 / 30)), 12);
  });
});

describe("computeAttribution's skip paths", () => {
  const factorsOn = (id: string, lengthSign: Sign, factsSign: Sign) => [
    { pairId: id, factor: "length", valueA: 10, valueB: 10 - (lengthSign ?? 0), sign: lengthSign },
    { pairId: id, factor: "number-of-facts", sign: factsSign },
  ];

  it("leaves the regression out when every pair is a tie", async () => {
    const pairs = ["t1", "t2", "t3"].map((id) => ({ id, label: "tie" as const, group: id }));
    const manifestations = pairs.flatMap(({ id }) => factorsOn(id, 1, -1));
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations }), {
      seed: 1,
      bootstrap: 10,
    });
    expect(attribution.jointRegression).toBeNull();
    expect(attribution.notes).toEqual([
      "Joint regression skipped: every pair is labelled tie, and the regression is fitted on the others.",
    ]);
    expect(attribution.lengthControlled).toMatchObject([
      {
        factor: "number-of-facts",
        pairs: 3,
        tauB: null,
        partialTauB: null,
        lengthTauB: null,
        factorLengthTauB: -1,
        // On the profile's draws, with 3 clusters: no interval, and the note says why.
        ci95: null,
        pValue: null,
      },
    ]);
    expect(attribution.lengthControlled![0]!.note).toMatch(/Only 3 clusters/);
  });

  it("imputes a missing value as no difference, with a missing-side column, rather than dropping the pair", async () => {
    const pairs = [
      { id: "u1", label: "a" as const, group: "g" },
      { id: "u2", label: "b" as const, group: "g" },
    ];
    const none = [
      ...factorsOn("u1", 1, null).map((m) =>
        m.sign === null ? { ...m, error: "the model gave no answer" } : m,
      ),
      ...factorsOn("u2", null, 1),
    ];
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations: none }), {
      seed: 1,
      bootstrap: 10,
    });
    // Each pair misses one factor: complete cases would drop both; imputation keeps both.
    expect(attribution.jointRegression).toMatchObject({ missing: "impute", used: 2, dropped: 0 });
    const byFactor = new Map(attribution.jointRegression!.factors.map((f) => [f.factor, f]));
    expect(byFactor.get("length")).toMatchObject({ missing: 1, imputed: 1 });
    expect(byFactor.get("number-of-facts")).toMatchObject({ missing: 1, imputed: 1 });
    expect((attribution.jointRegression?.notes ?? []).join(" ")).toMatch(
      /missing values of the pairs used were counted as 0/,
    );

    const some = [...factorsOn("u1", 1, null), ...factorsOn("u2", -1, -1)];
    const partial = await computeAttribution(await writeRun({ pairs, manifestations: some }), {
      seed: 1,
      bootstrap: 0,
    });
    expect(partial.jointRegression).toMatchObject({ used: 2, dropped: 0 });
    expect(partial.notes).toEqual([]);
  });

  it("leaves the length-controlled scores out when length was measured on no pair", async () => {
    const pairs = [
      { id: "v1", label: "a" as const, group: "g" },
      { id: "v2", label: "b" as const, group: "h" },
    ];
    const manifestations = [...factorsOn("v1", null, 1), ...factorsOn("v2", null, -1)];
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations }), {
      seed: 1,
      bootstrap: 0,
    });
    expect(attribution.lengthControlled).toBeNull();
    expect(attribution.notes).toContain(
      'Length-controlled scores skipped: "length" was not measured on any pair.',
    );
  });

  it("leaves both out when the run has no manifestation", async () => {
    const pairs = [{ id: "w1", label: "a" as const, group: "g" }];
    const attribution = await computeAttribution(await writeRun({ pairs, manifestations: [] }), {
      seed: 1,
      bootstrap: 0,
    });
    expect(attribution).toEqual({
      jointRegression: null,
      lengthControlled: null,
      notes: ["Joint regression and length-controlled scores skipped: manifestations.jsonl has no factor."],
    });
  });
});

describe("computeAttribution's errors name the file and line", () => {
  const pairs = [
    { id: "e1", label: "a" as const, group: "g" },
    { id: "e2", label: "b" as const, group: "g" },
  ];
  const manifestations = [
    { pairId: "e1", factor: "length", sign: 1 as const },
    { pairId: "e2", factor: "length", sign: -1 as const },
  ];

  it.each([
    [
      "a line that is not JSON",
      { manifestations: "{not json\n" },
      "malformed_json",
      "manifestations.jsonl",
      3,
    ],
    ["an unknown label", { labels: '{"pairId":"e3","label":"c"}\n' }, "invalid_run_file", "labels.jsonl", 3],
    [
      "a label given twice",
      { labels: '\n{"pairId":"e1","label":"b"}\n' },
      "duplicate_pair_id",
      "labels.jsonl",
      4,
    ],
    [
      "an unlisted pair",
      { manifestations: '{"pairId":"e9","factor":"length","sign":1}\n' },
      "unknown_pair",
      "manifestations.jsonl",
      3,
    ],
    [
      "a second manifestation of one pair and factor",
      { manifestations: '{"pairId":"e1","factor":"length","sign":0}\n' },
      "duplicate_manifestation",
      "manifestations.jsonl",
      3,
    ],
  ])("%s", async (_, extra, code, file, line) => {
    const dir = await writeRun({ pairs, manifestations }, extra);
    await expect(computeAttribution(dir, { seed: 1, bootstrap: 0 })).rejects.toMatchObject({
      code,
      location: { file: join(dir, file), line },
    });
  });

  it("a missing file", async () => {
    await expect(computeAttribution(join(work, "nowhere"), { seed: 1, bootstrap: 0 })).rejects.toMatchObject({
      code: "file_not_found",
      location: { file: join(work, "nowhere", "labels.jsonl") },
    });
  });

  it("invalid options", async () => {
    const dir = await writeRun({ pairs, manifestations });
    await expect(computeAttribution(dir, { seed: 1, bootstrap: -1 })).rejects.toMatchObject({
      code: "invalid_option",
    });
    await expect(computeAttribution(dir, { seed: 1, bootstrap: 0, maxPairs: 0 })).rejects.toMatchObject({
      code: "invalid_option",
    });
  });
});

const shared = join(fileURLToPath(new URL("../../../", import.meta.url)), "..", "shared");
describe.skipIf(!existsSync(join(shared, "data")))(
  "computeAttribution on a folder written by analyze",
  () => {
    it("reads summ_news's run files: length and novelty over the article groups", async () => {
      const out = join(work, "summ-news");
      await analyze({
        pairs: join(shared, "data/summ_news_pairwise_zhang2023"),
        read: { preset: "summ-news" },
        factors: ["length", "novelty"],
        bootstrap: 0,
        permutations: 0,
        out,
      });
      const attribution = await computeAttribution(out, { seed: 1, bootstrap: 20 });
      const labels = (await readFile(join(out, "labels.jsonl"), "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { label: Label; group: string });
      const decided = labels.filter((l) => l.label !== "tie");
      // Every response has a length and a novelty, so no pair is dropped; the regression resamples
      // the articles that have a non-tie pair.
      expect(attribution.jointRegression).toMatchObject({
        pairs: 599,
        ties: 117,
        dropped: 0,
        used: 482,
        groups: new Set(decided.map((l) => l.group)).size,
      });
      expect(attribution.jointRegression!.factors.map((f) => [f.factor, f.encoding])).toEqual([
        ["length", "difference"],
        ["novelty", "difference"],
      ]);
      expect(attribution.lengthControlled!.map((s) => s.factor)).toEqual(["novelty"]);
    });
  },
);
