import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import readabilityFactor, { highestReadingEase, lowestReadingEase, readingEase } from "./index.js";

const pair = (a: string, b: string): Pair => ({ id: "p", task: "t", a, b, label: "a" });
const measure = async (a: string, b: string) =>
  (await readabilityFactor.extract([pair(a, b)], { options: {}, seed: 0 }))[0]!;

// 3 sentences, 14 words, 15 syllables (the·cat·sat·on·the·mat = 6; it·was·hap-py = 4;
// then·it·went·to·sleep = 5): 206.835 − 1.015 × 14/3 − 84.6 × 15/14
//   = 206.835 − 4.736667 − 90.642857 = 111.455476
const EASY = "The cat sat on the mat. It was happy. Then it went to sleep.";
// 1 sentence, 8 words, 22 syllables (read-a-bil-i-ty 5, for-mu-las 3, es-ti-mate 3,
// com-pre-hen-sion 4, dif-fi-cul-ty 4, in, all, schools): 206.835 − 1.015 × 8 − 84.6 × 22/8
//   = 206.835 − 8.12 − 232.65 = −33.935
const HARD = "Readability formulas estimate comprehension difficulty in all schools.";

describe("readability factor", () => {
  it("is a valid rule/response plugin", () => {
    expect(FactorMetadataSchema.parse(readabilityFactor)).toMatchObject({
      id: "readability",
      method: "rule",
    });
  });

  it("computes Flesch reading ease on hand-counted texts", async () => {
    const m = await measure(EASY, HARD);
    expect(m.valueA).toBeCloseTo(111.455476, 5);
    expect(m.valueB).toBeCloseTo(-33.935, 5);
    expect(m.sign).toBe(1);
  });

  it("ignores numbers and counts a text without terminator as one sentence", async () => {
    // "I have 3 cats" -> words I·have·cats (3 words, 3 syllables), 1 sentence:
    // 206.835 − 1.015 × 3 − 84.6 × 1 = 119.19; the easy text scores lower: sign -1
    const m = await measure(EASY, "I have 3 cats");
    expect(m.valueB).toBeCloseTo(119.19, 5);
    expect(m.sign).toBe(-1);
  });

  it("counts a score outside −100..121.22 as missing, saying which response and why", async () => {
    // 206.835 − 1.015 × 5 − 84.6 × 19/5 = −119.72: 3.8 syllables per word is beyond prose.
    const polysyllabic = await measure(EASY, "Readability formulas estimate comprehension difficulty.");
    expect(polysyllabic).toMatchObject({ valueB: null, sign: null });
    expect(polysyllabic.valueA).toBeCloseTo(111.455476, 5);
    expect(polysyllabic.error).toBe(
      "readability could not be measured on response b: Flesch reading ease -119.7 is below -100 (3.80 syllables per word, 5.0 words per sentence: too extreme for prose, e.g. a list without punctuation, code, a table, a URL or a single long word)",
    );
    // A URL is one word of many syllables; Japanese has no syllables the English counter can read,
    // so it scores 206.835 − 1.015 × 1 = 205.82, above the formula's most for English words.
    const both = await measure(
      "https://example.wordpress.com/2014/06/24/pranking-in-the-end",
      "日本の観光地である",
    );
    expect(both).toMatchObject({ valueA: null, valueB: null, sign: null });
    expect(both.error).toMatch(
      /^readability could not be measured on response a: .* below -100 .*; response b: Flesch reading ease 205\.8 is above 121\.22/,
    );
    // The bounds themselves are in: "Yes." scores the formula's most, 206.835 − 1.015 − 84.6.
    const yes = await measure("Yes.", EASY);
    expect(yes.valueA).toBeCloseTo(121.22, 10);
    expect(yes.sign).toBe(1);
  });

  it("is null for a response without words", async () => {
    for (const empty of ["", "  \n", "2024 — 42 !!!"]) {
      const m = await measure(EASY, empty);
      expect(m).toMatchObject({ valueB: null, sign: null });
      expect(m.error).toMatch(/response b/);
    }
  });

  it("gives any text a score within the bounds, or none with a reason", () => {
    const word = fc.constantFrom(
      "the",
      "cat",
      "readability",
      "日本",
      "https://x.org/a/b",
      "I",
      "42",
      "—",
      "extraordinarily",
    );
    const text = fc.array(fc.tuple(word, fc.constantFrom(" ", ". ", ", ", "\n\n")), { maxLength: 30 });
    fc.assert(
      fc.property(text, (parts) => {
        const result = readingEase(parts.map(([w, gap]) => w + gap).join(""));
        if (result.value === null) expect("reason" in result && result.reason.length > 0).toBe(true);
        else {
          expect(result.value).toBeGreaterThanOrEqual(lowestReadingEase);
          expect(result.value).toBeLessThanOrEqual(highestReadingEase + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});
