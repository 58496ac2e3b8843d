import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countWords, isWhitespace } from "./word-count.js";

const reference = (text: string) => text.match(/\S+/g)?.length ?? 0;

// Whitespace and non-whitespace that stress the boundaries: Unicode spaces, a BOM,
// zero-width characters (U+200B is NOT whitespace for \s), surrogate pairs.
const pieces = [
  " ",
  "\n",
  "\t",
  "\r",
  "\v",
  "\f",
  "\u00a0",
  "\u1680",
  "\u2003",
  "\u200a",
  "\u2028",
  "\u2029",
  "\u202f",
  "\u205f",
  "\u3000",
  "\ufeff",
  "\u200b",
  "\u0085",
  "a",
  "Z",
  "é",
  "語",
  "👋",
  ".",
  "-",
];

describe("isWhitespace", () => {
  it("agrees with /\\s/ on every UTF-16 code unit", () => {
    const disagreements: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (isWhitespace(code) !== /\s/.test(String.fromCharCode(code))) disagreements.push(code);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("countWords", () => {
  it("counts maximal runs of non-whitespace (hand-counted)", () => {
    expect(countWords("")).toBe(0);
    expect(countWords(" \n\t ")).toBe(0);
    expect(countWords("The cat sat.")).toBe(3);
    // "Hello,", "world!" — U+00A0 separates, leading and trailing space do not add words.
    expect(countWords("  Hello,\u00a0world!\n")).toBe(2);
    // U+200B (zero-width space) is not whitespace: "a\u200bb" is one word; U+3000 separates.
    expect(countWords("a\u200bb\u3000c")).toBe(2);
    // "state-of-the-art" and "—" are one word each.
    expect(countWords("state-of-the-art — yes")).toBe(3);
  });

  it("agrees with /\\S+/g on random strings over Unicode spaces and letters", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...pieces), maxLength: 60 }), (text) => {
        expect(countWords(text)).toBe(reference(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with /\\S+/g on arbitrary UTF-16 strings, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        expect(countWords(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });
});
