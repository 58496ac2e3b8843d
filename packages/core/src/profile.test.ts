import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Pair, ProfilekitError, type Sign, signOfDifference } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { groupKeyOf } from "./group-key.js";
import { computeProfile } from "./profile.js";
import { ProfileSchema } from "./profile-schema.js";

const shared = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared");
const newsPath = resolve(shared, "data/summ_news_pairwise_zhang2023/pairwise_evaluation_results.json");
const lengthPath = resolve(shared, "reference/length_profiles.json");
const realData = existsSync(newsPath) && existsSync(lengthPath);

/** An accumulator of the factors `ids`, each pair its own group, with the signs given per pair. */
function accumulate(
  ids: readonly string[],
  rows: readonly [Pair["label"], readonly Sign[]][],
): ProfileAccumulator {
  const accumulator = new ProfileAccumulator(ids);
  for (const [i, [label, signs]] of rows.entries()) accumulator.add(label, `pair:${i}`, signs);
  return accumulator;
}

describe("computeProfile counts", () => {
  it("counts per factor, in the accumulator's order, with null signs as missing", () => {
    // Factors y then x; pairs 1..5 with labels a, b, tie, a, tie.
    const profile = computeProfile(
      accumulate(
        ["y", "x"],
        [
          ["a", [0, 1]],
          ["b", [-1, 1]],
          ["tie", [-1, 0]],
          ["a", [null, null]],
          ["tie", [null, 1]],
        ],
      ),
      { bootstrap: 0, permutations: 0 },
    );
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
  const accumulator = new ProfileAccumulator(["length_words", "length_chars"]);
  for (const p of pairs) {
    const signs = [signOfDifference(words(p.a), words(p.b)), signOfDifference(chars(p.a), chars(p.b))];
    accumulator.add(p.label, groupKeyOf(p), signs);
  }
  const profile = realData ? computeProfile(accumulator, { seed: 1 }) : undefined;

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
