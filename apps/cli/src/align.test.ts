import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AlignmentSchema } from "@profilekit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli.js";
import { readJson } from "./testing/run-output.js";

type FactorSpec = [factor: string, tau: number | null, ci95?: [number, number]];

/** A valid profile.json whose factors carry the given tau and interval (the counts do not matter to align). */
function profile(factors: readonly FactorSpec[], extra: Record<string, unknown> = {}, variant = "tau14") {
  return {
    schemaVersion: 1,
    variant,
    pairs: 100,
    preferenceTies: 0,
    groups: 100,
    seed: 1,
    bootstrap: 1000,
    permutations: 0,
    factors: factors.map(([factor, tau, ci95]) => ({
      factor,
      tau,
      ci95: ci95 ?? null,
      concordant: 0,
      discordant: 0,
      factorTies: 0,
      preferenceTies: 0,
      preferenceOnlyTies: 0,
      bothTies: 0,
      missing: 0,
      pValue: null,
      bootstrapValid: 1000,
      variants: { tau14: tau, taub: tau, tau10: tau, tau13: tau, tau23: tau, acc23: null },
    })),
    ...extra,
  };
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "profilekit-align-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function write(name: string, content: unknown): Promise<string> {
  const path = join(work, name);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

// The hand-worked example. Human taus (f1..f4) 0.30, 0.10, -0.20, 0.05; model 0.50, -0.10, -0.30, 0.20.
// Pairs of factors: (1,2) C, (1,3) C, (1,4) C, (2,3) C, (2,4) D (human 0.10 > 0.05, model -0.10 < 0.20), (3,4) C:
//   tau_b = (5 - 1) / 6 = 2/3 (no ties).
// Ranks (1 = lowest): human f1 4, f2 3, f3 1, f4 2; model f1 4, f2 2, f3 1, f4 3; sum d^2 = 0+1+0+1 = 2:
//   rho = 1 - 6 * 2 / (4 * (16 - 1)) = 0.8.
// Gaps (model - human): f1 +0.20, f2 -0.20, f3 -0.10, f4 +0.15.
// Top 3 by |tau|: human {f1 .30, f3 .20, f2 .10}, model {f1 .50, f3 .30, f4 .20}: 2 shared.
// Signs agree on f1 (+,+), f3 (-,-), f4 (+,+), not f2 (+,-): 3/4.
// Each interval is tau +- 0.2 (f1) or +- 0.1 (others): the gap's half-width is sqrt(hA^2 + hB^2),
//   f1 sqrt(0.04 + 0.04) = 0.282843, f2 sqrt(0.01 + 0.01) = 0.141421.
const human: FactorSpec[] = [
  ["f1", 0.3, [0.1, 0.5]],
  ["f2", 0.1, [0.0, 0.2]],
  ["f3", -0.2, [-0.3, -0.1]],
  ["f4", 0.05, [-0.05, 0.15]],
];
const model: FactorSpec[] = [
  ["f1", 0.5, [0.3, 0.7]],
  ["f2", -0.1, [-0.2, 0.0]],
  ["f3", -0.3, [-0.4, -0.2]],
  ["f4", 0.2, [0.1, 0.3]],
];

describe("profilekit align", () => {
  it("reproduces the hand-worked alignment of two profiles", async () => {
    const a = await write("hand/human/profile.json", profile(human));
    const b = await write("hand/judge/profile.json", profile(model));
    const out = join(work, "hand/alignment");
    const run = await runCli(["align", a, b, "--out", out, "--replicates", "500"]);
    expect(run.stderr).toContain("wrote alignment.json");
    expect(run.code).toBe(0);
    const alignment = await readJson(join(out, "alignment.json"));
    // The top level is exactly core's AlignmentSchema for the two-profile case.
    expect(AlignmentSchema.safeParse(alignment).success).toBe(true);
    expect(alignment.kendallTauB.value).toBeCloseTo(2 / 3, 12);
    expect(alignment.spearman.value).toBeCloseTo(0.8, 12);
    expect(alignment.top3Overlap).toBe(2);
    expect(alignment.signAgreement).toBe(0.75);
    const gaps = Object.fromEntries(
      alignment.factors.map((f: { factor: string; gap: number }) => [f.factor, f.gap]),
    );
    expect(gaps.f1).toBeCloseTo(0.2, 12);
    expect(gaps.f2).toBeCloseTo(-0.2, 12);
    expect(gaps.f3).toBeCloseTo(-0.1, 12);
    expect(gaps.f4).toBeCloseTo(0.15, 12);
    const f1 = alignment.factors[0];
    expect(f1.ci95[0]).toBeCloseTo(0.2 - Math.sqrt(0.08), 10);
    expect(f1.ci95[1]).toBeCloseTo(0.2 + Math.sqrt(0.08), 10);
    expect(alignment.factors[1].ci95[1]).toBeCloseTo(-0.2 + Math.sqrt(0.02), 10);
    expect(alignment.weighsMore.map((s: { factor: string }) => s.factor)).toEqual(["f1", "f4"]);
    expect(alignment.weighsLess.map((s: { factor: string }) => s.factor)).toEqual(["f2", "f3"]);
    // f4: gap 0.15, half-width sqrt(0.01 + 0.01) = 0.1414 -> [0.0086, 0.2914] excludes 0; f1's includes 0.
    expect(alignment.weighsMore[1].ciExcludesZero).toBe(true);
    expect(alignment.weighsMore[0].ciExcludesZero).toBe(false);
    // The interval of tau_b contains the estimate's neighbourhood and lies in [-1, 1].
    const [lo, hi] = alignment.kendallTauB.ci95;
    expect(lo).toBeGreaterThanOrEqual(-1);
    expect(hi).toBeLessThanOrEqual(1);
    expect(lo).toBeLessThan(hi);
    expect(alignment.comparisons).toHaveLength(1);
    expect(alignment.comparisons[0].reference.label).toBe("human");
    expect(alignment.comparisons[0].compared.label).toBe("judge");

    expect(run.stdout).toMatch(/f1\s+0\.3000\s+0\.5000\s+\+0\.2000/);
    expect(run.stdout).toContain("judge weighs f4 more than human (+0.150, 95% CI [+0.009, +0.291])");
    expect(run.stdout).toContain(
      "judge weighs f1 more than human (+0.200, 95% CI [-0.083, +0.483], which includes 0)",
    );
    expect(run.stdout).toContain("judge weighs f2 less than human (-0.200");
    expect(run.stdout).toMatch(/Kendall tau_b\s+0\.6667/);
    expect(run.stdout).toMatch(/Spearman\s+0\.8000/);
    expect(run.stdout).toContain("top-3 overlap   2 of 3");
    expect(run.stdout).toContain("sign agreement  3 of 4 factors");
  });

  const reference = fileURLToPath(
    new URL("../../../../shared/reference/alignment_cases.json", import.meta.url),
  );
  it.skipIf(!existsSync(reference))(
    "matches scipy's tau_b and Spearman on shared/reference/alignment_cases.json",
    async () => {
      const cases: { x: number[]; y: number[]; kendallTauB: number; spearman: number }[] = (
        await readJson(reference)
      ).profilePairs;
      expect(cases.length).toBeGreaterThan(5);
      for (const [i, c] of cases.entries()) {
        const a = await write(`scipy/${i}/a.json`, profile(c.x.map((tau, f): FactorSpec => [`f${f}`, tau])));
        const b = await write(`scipy/${i}/b.json`, profile(c.y.map((tau, f): FactorSpec => [`f${f}`, tau])));
        const out = join(work, `scipy/${i}/out`);
        const run = await runCli(["align", a, b, "--out", out, "--quiet"]);
        expect(run.code, run.stderr).toBe(0);
        const alignment = await readJson(join(out, "alignment.json"));
        expect(alignment.kendallTauB.value, `case ${i}`).toBeCloseTo(c.kendallTauB, 12);
        expect(alignment.spearman.value, `case ${i}`).toBeCloseTo(c.spearman, 12);
        // No factor has an interval, so nothing can be resampled.
        expect(alignment.kendallTauB.ci95).toBeNull();
      }
    },
  );

  it("reports the generation-evaluation gap, reading the roles from judge's and generate's fields", async () => {
    // Generation taus 0.1? no: -0.10, 0.20, 0.30, 0.40 against human 0.30, 0.10, -0.20, 0.05:
    // every pair of factors is discordant except (f3, f4) (human -0.20 < 0.05, generation 0.30 < 0.40):
    // tau_b = (1 - 5) / 6 = -2/3. The evaluation profile is the model above, tau_b = 2/3.
    // Difference: 2/3 - (-2/3) = 4/3.
    const generation: FactorSpec[] = [
      ["f1", -0.1, [-0.2, 0.0]],
      ["f2", 0.2, [0.1, 0.3]],
      ["f3", 0.3, [0.2, 0.4]],
      ["f4", 0.4, [0.3, 0.5]],
    ];
    const h = await write("gap/h.json", profile(human));
    const e = await write("gap/e.json", profile(model, { agreement: { pairs: 100, accuracy: 0.7 } }));
    const g = await write("gap/g.json", profile(generation, { generation: { levels: 5 } }));
    const out = join(work, "gap/out");
    const run = await runCli(["align", h, e, g, "--out", out, "--labels", "human,judge,writer"]);
    expect(run.code, run.stderr).toBe(0);
    const alignment = await readJson(join(out, "alignment.json"));
    expect(alignment.comparisons).toHaveLength(2);
    expect(alignment.comparisons[1].kendallTauB.value).toBeCloseTo(-2 / 3, 12);
    expect(alignment.kendallTauB.value).toBeCloseTo(2 / 3, 12); // the top level is the first comparison
    expect(alignment.generationEvaluationGaps).toHaveLength(1);
    const gap = alignment.generationEvaluationGaps[0];
    expect(gap).toMatchObject({ evaluation: "judge", generation: "writer" });
    expect(gap.tauBDifference.value).toBeCloseTo(4 / 3, 12);
    expect(gap.tauBDifference.ci95).not.toBeNull();
    expect(run.stdout).toContain("difference +1.333");
    expect(run.stdout).toContain("judges more like the reference than it writes");

    // Without those fields, --roles says which is which; without either, there is no gap.
    const plainE = await write("gap/plain-e.json", profile(model));
    const plainG = await write("gap/plain-g.json", profile(generation));
    const withRoles = await runCli([
      "align",
      h,
      plainE,
      plainG,
      "--roles",
      "human,evaluation,generation",
      "--out",
      join(work, "gap/roles"),
    ]);
    expect(withRoles.code, withRoles.stderr).toBe(0);
    const byRoles = await readJson(join(work, "gap/roles/alignment.json"));
    expect(byRoles.generationEvaluationGaps[0].tauBDifference.value).toBeCloseTo(4 / 3, 12);
    const noRoles = await runCli(["align", h, plainE, plainG, "--out", join(work, "gap/none")]);
    expect((await readJson(join(work, "gap/none/alignment.json"))).generationEvaluationGaps).toEqual([]);
    expect(noRoles.code).toBe(0);
  });

  it("reads the role from the command in a run folder's manifest.json", async () => {
    await write("folders/human/profile.json", profile(human));
    await write("folders/human/manifest.json", { command: "analyze" });
    await write("folders/judge/profile.json", profile(model));
    await write("folders/judge/manifest.json", { command: "judge", models: { judge: "openai:gpt-4o-mini" } });
    const run = await runCli([
      "align",
      join(work, "folders/human"),
      join(work, "folders/judge"),
      "--out",
      join(work, "folders/out"),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const compared = (await readJson(join(work, "folders/out/alignment.json"))).compared;
    expect(compared).toMatchObject({ label: "evaluation", role: "evaluation", model: "openai:gpt-4o-mini" });
  });

  it("writes the same bytes for the same seed, and other intervals for another", async () => {
    // 12 factors with wide intervals, so the resampled correlations take many values.
    const many = (shift: number) =>
      Array.from({ length: 12 }, (_, f): FactorSpec => {
        const tau = Math.sin(f + shift) / 2;
        return [`f${f}`, tau, [tau - 0.3, tau + 0.3]];
      });
    const a = await write("seed/a.json", profile(many(0)));
    const b = await write("seed/b.json", profile(many(0.7)));
    const once = async (dir: string, seed: string) => {
      const run = await runCli([
        "align",
        a,
        b,
        "--out",
        join(work, dir),
        "--seed",
        seed,
        "--replicates",
        "300",
      ]);
      expect(run.code, run.stderr).toBe(0);
      return { text: await readFile(join(work, dir, "alignment.json"), "utf8"), stdout: run.stdout };
    };
    const first = await once("seed/1", "7");
    const second = await once("seed/2", "7");
    const other = await once("seed/3", "8");
    expect(second.text).toBe(first.text);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(other.text).kendallTauB.ci95).not.toEqual(JSON.parse(first.text).kendallTauB.ci95);
  });

  describe("errors: exit 2, what and where, no stack trace", () => {
    const expectUserError = (run: { code: number; stderr: string }, ...fragments: string[]) => {
      expect(run.code).toBe(2);
      for (const fragment of fragments) expect(run.stderr).toContain(fragment);
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(run.stderr).not.toContain("internal error");
    };

    it("a missing file", async () => {
      const a = await write("err/a.json", profile(human));
      const missing = join(work, "err/nope.json");
      expectUserError(await runCli(["align", a, missing]), "error[file_not_found]", missing);
    });

    it("a file that is not JSON", async () => {
      const a = await write("err/a.json", profile(human));
      const bad = await write("err/bad.json", '{"schemaVersion": 1,');
      expectUserError(await runCli(["align", a, bad]), "error[malformed_json]", bad);
    });

    it("a profile with an invalid field, named", async () => {
      const a = await write("err/a.json", profile(human));
      const broken = profile(model);
      (broken.factors[1] as { tau: unknown }).tau = "high";
      const bad = await write("err/invalid.json", broken);
      expectUserError(await runCli(["align", a, bad]), "error[invalid_profile]", bad, "factors[1].tau");
    });

    it("profiles of different Kendall variants", async () => {
      const a = await write("err/a.json", profile(human));
      const b = await write("err/taub.json", profile(model, {}, "taub"));
      expectUserError(
        await runCli(["align", a, b]),
        "error[variant_mismatch]",
        b,
        "taub",
        "tau14",
        'field "variant"',
      );
    });

    it("a single profile, or labels that do not match the profiles", async () => {
      const a = await write("err/a.json", profile(human));
      const b = await write("err/b.json", profile(model));
      expectUserError(await runCli(["align", a]), "at least two profiles");
      expectUserError(await runCli(["align", a, b, "--labels", "only-one"]), "labels names 1 profiles");
      expectUserError(
        await runCli(["align", a, b, "--roles", "human,judge"]),
        'roles[1]: Invalid option: expected one of "human"|"evaluation"|"generation"|"auto"',
      );
    });
  });
});
