import fc from "fast-check";
import { syllable } from "syllable";
import { describe, expect, it } from "vitest";
import { countSyllables } from "./syllables.js";

describe("countSyllables", () => {
  it("counts like syllable() on hand-checked words", () => {
    // the 1, happy 2 (hap-py), beautiful 3 (beau-ti-ful), readability 5 (read-a-bil-i-ty)
    for (const [word, syllables] of [
      ["the", 1],
      ["happy", 2],
      ["beautiful", 3],
      ["readability", 5],
    ] as const) {
      expect(countSyllables(word)).toBe(syllables);
    }
  });

  it("returns syllable()'s count on first and repeated (memoised) calls", () => {
    const word = fc.string({
      unit: fc.constantFrom("a", "e", "i", "o", "y", "b", "l", "s", "t", "'", "."),
      minLength: 1,
    });
    fc.assert(
      fc.property(word, (w) => {
        expect(countSyllables(w)).toBe(syllable(w));
        expect(countSyllables(w)).toBe(syllable(w));
      }),
    );
  });
});
