import fc from "fast-check";
import { syllable } from "syllable";
import { describe, expect, it } from "vitest";
import { countSyllables, memoKey } from "./syllables.js";

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

  it("memoises one entry per word whatever its ASCII case and surrounding ASCII punctuation", () => {
    expect(memoKey("(Mat,")).toBe("mat");
    expect(memoKey('"MAT."')).toBe("mat");
    expect(memoKey("2nd")).toBe("nd");
    expect(memoKey("don't")).toBe("don't"); // inner characters stay
    expect(memoKey("Über!")).toBe("Über"); // a non-ASCII word keeps its case
    expect(memoKey("“Mat”")).toBe("“Mat”"); // non-ASCII ends stay
  });

  it("returns syllable()'s count on first and repeated (memoised) calls", () => {
    // letters of both cases, digits, ASCII punctuation and apostrophes, and non-ASCII characters:
    // letters syllable() keeps (ß) or transliterates (é, É), non-letters it transliterates to letters
    // (the combining mark U+0363 to a, ✗ to x), one it transliterates before lowercasing where
    // toLowerCase() alone differs (İ), and curly quotes
    const word = fc.string({
      unit: fc.constantFrom(..."aeiouyblstAEIOUYBLST019_'.,!?()\"-", ..."’“”éÉßİ✗\u0363"),
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
