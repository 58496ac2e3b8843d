import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs } from "@profilekit/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));
const shared = join(repo, "..", "shared");
const hasShared = existsSync(join(shared, "reference", "length_profiles.json"));

// dataset key in length_profiles.json -> how to read it
const datasets = {
  summ_news: { preset: "summ-news", path: "data/summ_news_pairwise_zhang2023" },
  autoj: { preset: "autoj", path: "data/autoj_pairwise_test" },
  qa_feedback: { preset: "qa-feedback", path: "data/qa_feedback_dev" },
  hh_rlhf_harmless: { preset: "hh-rlhf", path: "data/hh_rlhf_harmless_base_test" },
  summeval_pairs: { preset: "summeval", path: "data/summeval" },
} as const;

type Reference = Record<string, number | null>;
const countFields = ["concordant", "discordant", "factorTies", "preferenceTies"] as const;
const variantFields = ["tau14", "tau10", "tau13", "taub", "tau23", "acc23"] as const;

let work: string;
let reference: { datasets: Record<string, Record<string, Reference>> };
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-analyze-"));
  if (hasShared)
    reference = JSON.parse(await readFile(join(shared, "reference", "length_profiles.json"), "utf8"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function profileOf(dir: string) {
  return JSON.parse(await readFile(join(dir, "profile.json"), "utf8"));
}

function expectMatchesReference(
  factor: Record<string, unknown> & { variants: Reference },
  expected: Reference,
) {
  for (const field of countFields) expect(factor[field], field).toBe(expected[field]);
  for (const variant of variantFields) {
    const value = factor.variants[variant];
    if (expected[variant] === null) expect(value, variant).toBeNull();
    else expect(value, variant).toBeCloseTo(expected[variant] as number, 12);
  }
  expect(factor.tau).toBeCloseTo(expected.tau14 as number, 12);
}

describe.skipIf(!hasShared)("analyze reproduces length_profiles.json (../shared present)", () => {
  for (const [key, dataset] of Object.entries(datasets)) {
    for (const unit of ["words", "chars"] as const) {
      it(`${key}: length in ${unit} through --preset ${dataset.preset}`, async () => {
        const out = join(work, `${key}-${unit}`);
        const run = await runCli([
          "analyze",
          join(shared, dataset.path),
          "--preset",
          dataset.preset,
          "--factors",
          "length",
          "--option",
          `length.unit=${unit}`,
          "--bootstrap",
          "200",
          "--permutations",
          "199",
          "--out",
          out,
        ]);
        expect(run.stderr).not.toMatch(/error/);
        expect(run.code).toBe(0);
        const profile = await profileOf(out);
        const expected = reference.datasets[key]!;
        expect(profile.pairs).toBe(expected.pairs);
        expectMatchesReference(profile.factors[0], expected[`length_${unit}`]!);
      });
    }
  }

  it("gives the same figures on canonical JSONL it has never seen (shuffled, sides swapped)", async () => {
    for (const [key, dataset] of Object.entries(datasets)) {
      const pairs = [];
      for await (const pair of readPairs(join(shared, dataset.path), { preset: dataset.preset, seed: 7 }))
        pairs.push(pair);
      // A new file: pairs in another order, every other pair with its sides and label swapped, new ids.
      const rewritten = pairs
        .map((pair, index) => {
          const swap = index % 2 === 1;
          const label = swap ? ({ a: "b", b: "a", tie: "tie" } as const)[pair.label] : pair.label;
          return {
            ...pair,
            id: `unseen-${index}`,
            a: swap ? pair.b : pair.a,
            b: swap ? pair.a : pair.b,
            label,
          };
        })
        .reverse();
      const file = join(work, `${key}-unseen.jsonl`);
      await writeFile(file, rewritten.map((pair) => JSON.stringify(pair)).join("\n"));
      const out = join(work, `${key}-unseen`);
      const run = await runCli([
        "analyze",
        file,
        "--factors",
        "length",
        "--bootstrap",
        "0",
        "--permutations",
        "0",
        "--out",
        out,
      ]);
      expect(run.code).toBe(0);
      const profile = await profileOf(out);
      expect(profile.pairs).toBe(reference.datasets[key]!.pairs);
      expectMatchesReference(profile.factors[0], reference.datasets[key]!.length_words!);
    }
  });
});

describe("analyze on the bundled data", () => {
  it("writes every output with the documented field names and prints a table sorted by |tau|", async () => {
    const out = join(work, "bundled");
    const run = await runCli([
      "analyze",
      join(repo, "data/summeval-subset.jsonl.gz"),
      "--out",
      out,
      "--seed",
      "3",
    ]);
    expect(run.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      "groups.json",
      "labels.jsonl",
      "manifest.json",
      "manifestations.jsonl",
      "profile.csv",
      "profile.json",
    ]);
    const profile = await profileOf(out);
    expect(profile).toMatchObject({ schemaVersion: 1, variant: "tau14", pairs: 1320 });
    for (const factor of profile.factors) {
      expect(Object.keys(factor)).toEqual(
        expect.arrayContaining([
          "factor",
          "tau",
          "ci95",
          "concordant",
          "discordant",
          "factorTies",
          "preferenceTies",
          "missing",
          "pValue",
        ]),
      );
      expect(factor.ci95[0]).toBeLessThanOrEqual(factor.tau);
      expect(factor.ci95[1]).toBeGreaterThanOrEqual(factor.tau);
    }
    const printed = run.stdout
      .split("\n")
      .slice(1, 1 + profile.factors.length)
      .map((line) => Math.abs(Number(line.trim().split(/\s+/)[1])));
    expect(printed).toEqual([...printed].sort((x, y) => y - x));
    expect(run.stdout).toMatch(/pairs: 1320\s+preference ties: \d+/);
    const manifestations = (await readFile(join(out, "manifestations.jsonl"), "utf8")).trim().split("\n");
    expect(manifestations).toHaveLength(1320 * profile.factors.length);
    const csv = (await readFile(join(out, "profile.csv"), "utf8")).trim().split("\n");
    expect(csv[0]).toBe(
      "factor,tau,ci95_low,ci95_high,concordant,discordant,factorTies,preferenceTies,missing,pValue," +
        "joint_coef,joint_ci95_low,joint_ci95_high,length_controlled",
    );
    expect(csv).toHaveLength(1 + profile.factors.length);
    // The attribution columns say what the table prints beside tau, as profile.json holds it.
    const row = csv[1]!.split(",");
    const joint = profile.attribution.jointRegression.factors.find(
      (f: { factor: string }) => f.factor === row[0],
    );
    expect(Number(row[10])).toBe(joint.coefficient);
    expect([Number(row[11]), Number(row[12])]).toEqual(joint.ci95);
  });

  it("gives byte-identical outputs for the same seed, and other intervals for another seed", async () => {
    const input = join(repo, "data/qa-feedback-dev-subset.jsonl.gz");
    const runs = [];
    for (const [name, seed] of [
      ["s1", "5"],
      ["s2", "5"],
      ["s3", "6"],
    ] as const) {
      const out = join(work, name);
      expect(
        (await runCli(["analyze", input, "--factors", "length,novelty", "--seed", seed, "--out", out])).code,
      ).toBe(0);
      runs.push(await readFile(join(out, "profile.json"), "utf8"));
    }
    expect(runs[1]).toBe(runs[0]);
    expect(runs[2]).not.toBe(runs[0]);
  });
});

describe("analyze --run re-scores a run folder without reading the input again", () => {
  it("reproduces profile.json byte for byte, and rescores with other flags", async () => {
    const out = join(work, "rescore-source");
    const input = join(repo, "data/qa-feedback-dev-subset.jsonl.gz");
    expect(
      (await runCli(["analyze", input, "--factors", "length,novelty", "--seed", "4", "--out", out])).code,
    ).toBe(0);
    const original = await readFile(join(out, "profile.json"), "utf8");
    const again = join(work, "rescore-again");
    const run = await runCli(["analyze", "--run", out, "--seed", "4", "--out", again]);
    expect(run.code).toBe(0);
    expect(await readFile(join(again, "profile.json"), "utf8")).toBe(original);
    const taub = join(work, "rescore-taub");
    expect(
      (await runCli(["analyze", "--run", out, "--variant", "taub", "--bootstrap", "0", "--out", taub])).code,
    ).toBe(0);
    const rescored = await profileOf(taub);
    expect(rescored.variant).toBe("taub");
    expect(rescored.factors[0].tau).toBe(JSON.parse(original).factors[0].variants.taub);
    expect(rescored.factors[0].ci95).toBeNull();
  });

  it("refuses a file and --run together, and a folder that is not a run", async () => {
    expect((await runCli(["analyze", "x.jsonl", "--run", work])).code).toBe(2);
    const run = await runCli(["analyze", "--run", join(work, "no-such-run")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/labels\.jsonl/);
  });
});

describe("analyze refuses bad input with a clear error, exit 2, no stack and no output", () => {
  const good = JSON.stringify({ id: "p1", task: "t", prompt: "q", a: "one two", b: "one", label: "a" });
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ["a truncated JSON line", `${good}\n{"id":"p2","task":"t","a":"x","b":`, /:2\b/],
    [
      "a missing field",
      `${good}\n${JSON.stringify({ id: "p2", task: "t", a: "x", label: "b" })}`,
      /:2\b.*\bb\b|field "b"/s,
    ],
    [
      'label "maybe"',
      `${good}\n${JSON.stringify({ id: "p2", task: "t", a: "x", b: "y", label: "maybe" })}`,
      /maybe/,
    ],
    ["an empty file", "", /empty|no pairs/i],
    [
      "random bytes",
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      /:1\b|line 1|binary|not text|unreadable/i,
    ],
  ];
  for (const [name, content, expected] of cases) {
    it(name, async () => {
      const file = join(work, `bad-${name.replace(/\W+/g, "-")}.jsonl`);
      await writeFile(file, content);
      const out = join(work, `bad-out-${name.replace(/\W+/g, "-")}`);
      const run = await runCli(["analyze", file, "--factors", "length", "--out", out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^error\[/);
      expect(run.stderr).toMatch(expected);
      expect(run.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("keeps an earlier run's outputs intact when a new run into the same folder fails", async () => {
    const out = join(work, "kept");
    const file = join(work, "good.jsonl");
    await writeFile(file, `${good}\n`);
    expect((await runCli(["analyze", file, "--factors", "length", "--out", out])).code).toBe(0);
    const before = await readFile(join(out, "profile.json"), "utf8");
    const broken = join(work, "broken.jsonl");
    await writeFile(broken, `${good}\n{"id":`);
    expect((await runCli(["analyze", broken, "--factors", "length", "--out", out])).code).toBe(2);
    expect(await readFile(join(out, "profile.json"), "utf8")).toBe(before);
    expect((await readdir(out)).filter((name) => name.includes(".tmp"))).toEqual([]);
  });

  it("skips bad records with --on-invalid skip and says how many and why", async () => {
    const file = join(work, "mixed.jsonl");
    const lines = [
      good,
      '{"id":"p2"',
      JSON.stringify({ id: "p3", task: "t", a: "x", b: "y", label: "maybe" }),
      JSON.stringify({ id: "p4", task: "t", prompt: "q", a: "a b c", b: "a", label: "b" }),
    ];
    await writeFile(file, lines.join("\n"));
    const out = join(work, "mixed-out");
    const run = await runCli(["analyze", file, "--factors", "length", "--on-invalid", "skip", "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/2 records skipped/);
    expect((await profileOf(out)).pairs).toBe(2);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.counts.skipped).toBe(2);
  });
});

describe("usage errors", () => {
  it("names the registered factors for an unknown one", async () => {
    const run = await runCli(["analyze", join(repo, "data/summeval-subset.jsonl.gz"), "--factors", "lenght"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lenght/);
    expect(run.stderr).toMatch(/length/);
  });

  it("rejects an invalid factor option with the factor's own message", async () => {
    const run = await runCli([
      "analyze",
      join(repo, "data/summeval-subset.jsonl.gz"),
      "--factors",
      "length",
      "--option",
      "length.unit=lines",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/length\.unit/);
  });

  it("rejects a non-numeric --bootstrap", async () => {
    const run = await runCli(["analyze", "x.jsonl", "--bootstrap", "many"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bootstrap/);
  });

  it("explains itself in --help", async () => {
    const run = await runCli(["analyze", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:/);
    expect(run.stdout).toMatch(/--preset/);
    expect(run.stdout).toMatch(/tau14/);
  });
});
