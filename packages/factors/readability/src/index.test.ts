import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import readabilityFactor from "./index.js";

const pair = (a: string, b: string): Pair => ({ id: "p", task: "t", a, b, label: "a" });
const measure = async (a: string, b: string) =>
  (await readabilityFactor.extract([pair(a, b)], { options: {}, seed: 0 }))[0]!;

// 3 sentences, 14 words, 15 syllables (the·cat·sat·on·the·mat = 6; it·was·hap-py = 4;
// then·it·went·to·sleep = 5): 206.835 − 1.015 × 14/3 − 84.6 × 15/14
//   = 206.835 − 4.736667 − 90.642857 = 111.455476
const EASY = "The cat sat on the mat. It was happy. Then it went to sleep.";
// 1 sentence, 5 words, 19 syllables (read-a-bil-i-ty 5, for-mu-las 3, es-ti-mate 3,
// com-pre-hen-sion 4, dif-fi-cul-ty 4): 206.835 − 1.015 × 5 − 84.6 × 19/5
//   = 206.835 − 5.075 − 321.48 = −119.72
const HARD = "Readability formulas estimate comprehension difficulty.";

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
    expect(m.valueB).toBeCloseTo(-119.72, 5);
    expect(m.sign).toBe(1);
  });

  it("ignores numbers and counts a text without terminator as one sentence", async () => {
    // "I have 3 cats" -> words I·have·cats (3 words, 3 syllables), 1 sentence:
    // 206.835 − 1.015 × 3 − 84.6 × 1 = 119.19; the easy text scores lower: sign -1
    const m = await measure(EASY, "I have 3 cats");
    expect(m.valueB).toBeCloseTo(119.19, 5);
    expect(m.sign).toBe(-1);
  });

  it("is null for a response without words", async () => {
    for (const empty of ["", "  \n", "2024 — 42 !!!"]) {
      const m = await measure(EASY, empty);
      expect(m).toMatchObject({ valueB: null, sign: null });
      expect(m.error).toMatch(/response b/);
    }
  });
});
