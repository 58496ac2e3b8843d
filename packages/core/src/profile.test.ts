import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Manifestation, type Pair, ProfilekitError, signOfDifference } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { computeProfile, profileFromManifestations } from "./profile.js";
import { ProfileSchema } from "./profile-schema.js";

const shared = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared");
const newsPath = resolve(shared, "data/summ_news_pairwise_zhang2023/pairwise_evaluation_results.json");
const lengthPath = resolve(shared, "reference/length_profiles.json");
const realData = existsSync(newsPath) && existsSync(lengthPath);

const pair = (id: string, label: Pair["label"], extra: Partial<Pair> = {}): Pair => ({
  id,
  task: "t",
  a: "x",
  b: "y",
  label,
  ...extra,
});
const sign = (pairId: string, factor: string, value: Manifestation["sign"]): Manifestation => ({
  pairId,
  factor,
  sign: value,
});

describe("profileFromManifestations", () => {
  it("counts per factor, in the given order, with nulls and absent manifestations as missing", () => {
    const pairs = [pair("1", "a"), pair("2", "b"), pair("3", "tie"), pair("4", "a"), pair("5", "tie")];
    const manifestations = [
      sign("1", "x", 1),
      sign("2", "x", 1),
      sign("3", "x", 0),
      sign("4", "x", null),
      sign("5", "x", 1),
      sign("1", "y", 0),
      sign("2", "y", -1),
      sign("3", "y", -1),
      sign("9", "ignored", 1),
    ];
    const profile = profileFromManifestations(pairs, manifestations, {
      factors: ["y", "x"],
      bootstrap: 0,
      permutations: 0,
    });
    expect(profile).toMatchObject({
      schemaVersion: 1,
      variant: "tau14",
      pairs: 5,
      preferenceTies: 2,
      groups: 5,
    });
    const [y, x] = profile.factors;
    expect(x).toMatchObject({
      factor: "x",
      concordant: 1,
      discordant: 1,
      factorTies: 0,
      preferenceTies: 2,
      preferenceOnlyTies: 1,
      bothTies: 1,
      missing: 1,
      tau: 0,
    });
    expect(y).toMatchObject({
      factor: "y",
      concordant: 1,
      discordant: 0,
      factorTies: 1,
      preferenceTies: 1,
      preferenceOnlyTies: 1,
      bothTies: 0,
      missing: 2,
      tau: 0.5,
    });
    expect(ProfileSchema.parse(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
  });

  it("orders factors by first appearance when none are given", () => {
    const profile = profileFromManifestations([pair("1", "a")], [sign("1", "b", 1), sign("1", "a", 1)], {
      bootstrap: 0,
      permutations: 0,
    });
    expect(profile.factors.map((f) => f.factor)).toEqual(["b", "a"]);
  });

  it("refuses a manifestation of an unknown pair, a repeated manifestation and a repeated pair id", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ProfilekitError);
        return [(error as ProfilekitError).code, (error as ProfilekitError).location];
      }
      return "no error";
    };
    expect(code(() => profileFromManifestations([pair("1", "a")], [sign("2", "x", 1)]))).toEqual([
      "unknown_pair",
      { pairId: "2", factor: "x" },
    ]);
    expect(
      code(() => profileFromManifestations([pair("1", "a")], [sign("1", "x", 1), sign("1", "x", 0)])),
    ).toEqual(["duplicate_manifestation", { pairId: "1", factor: "x" }]);
    expect(code(() => profileFromManifestations([pair("1", "a"), pair("1", "b")], []))).toEqual([
      "duplicate_pair_id",
      { pairId: "1" },
    ]);
  });

  it("groups pairs by their group, else by source and prompt", () => {
    const pairs = [
      pair("1", "a", { source: "s1" }),
      pair("2", "a", { source: "s1" }),
      pair("3", "a", { source: "s2" }),
      pair("4", "a", { group: "g" }),
      pair("5", "a", { group: "g", source: "s1" }),
      pair("6", "a"),
    ];
    const profile = profileFromManifestations(pairs, [], { factors: ["x"], bootstrap: 0, permutations: 0 });
    expect(profile.groups).toBe(4);
    expect(profile.factors[0]!.missing).toBe(6);
  });
});

describe("computeProfile", () => {
  it("refuses invalid options", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    expect(() => computeProfile(accumulator, { variant: "tau99" as never })).toThrow(
      /Invalid profile options/,
    );
    expect(() => computeProfile(accumulator, { bootstrap: -1 })).toThrow(ProfilekitError);
  });

  it("reports its settings: defaults B = 1000, R = 9999, seed 0", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    accumulator.add("a", "g", [1]);
    expect(computeProfile(accumulator)).toMatchObject({
      bootstrap: 1000,
      permutations: 9999,
      seed: 0,
      groups: 1,
    });
  });
});

describe.skipIf(!realData)(`real data: summ_news length (skipped when ${shared} is absent)`, () => {
  interface NewsRow {
    article_id: string;
    article_text: string;
    writer_summary: string;
    "text-davinci-002_summary": string;
    overall_writer_better: boolean | "Equally Good"; // JSON booleans, though SOURCE.md quotes them
  }
  const rows: NewsRow[] = realData ? JSON.parse(readFileSync(newsPath, "utf8")) : [];
  const expected = realData ? JSON.parse(readFileSync(lengthPath, "utf8")).datasets.summ_news : {};
  // The mapping of the dataset's SOURCE.md: a = writer, b = text-davinci-002, source = article.
  const pairs: Pair[] = rows.map((row, i) => ({
    id: String(i),
    task: "summarization",
    source: row.article_text,
    a: row.writer_summary,
    b: row["text-davinci-002_summary"],
    label: row.overall_writer_better === true ? "a" : row.overall_writer_better === false ? "b" : "tie",
  }));
  const words = (text: string) => (text.match(/\S+/g) ?? []).length;
  const chars = (text: string) => [...text].length;
  const manifestations = pairs.flatMap((p) => [
    sign(p.id, "length_words", signOfDifference(words(p.a), words(p.b))),
    sign(p.id, "length_chars", signOfDifference(chars(p.a), chars(p.b))),
  ]);
  const profile = realData ? profileFromManifestations(pairs, manifestations, { seed: 1 }) : undefined;

  it("matches the reference counts and every variant", () => {
    expect(profile!.pairs).toBe(expected.pairs);
    for (const score of profile!.factors) {
      const reference = expected[score.factor];
      expect(score).toMatchObject({
        concordant: reference.concordant,
        discordant: reference.discordant,
        factorTies: reference.factorTies,
        preferenceTies: reference.preferenceTies,
        missing: 0,
      });
      for (const [variant, value] of Object.entries(score.variants)) {
        expect(value, `${score.factor} ${variant}`).toBeCloseTo(reference[variant], 12);
      }
    }
  });

  it("clusters by article, and finds length's effect significant", () => {
    expect(profile!.groups).toBe(new Set(rows.map((r) => r.article_id)).size);
    for (const score of profile!.factors) {
      const [lo, hi] = score.ci95!;
      expect(lo).toBeGreaterThan(0.1);
      expect(hi).toBeLessThan(0.5);
      expect(score.pValue).toBe(1 / 10_000);
    }
    expect(ProfileSchema.parse(profile)).toEqual(profile);
  });
});
