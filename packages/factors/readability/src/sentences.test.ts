import { describe, expect, it } from "vitest";
import { countSentences } from "./sentences.js";
import { letterWords } from "./words.js";

describe("countSentences", () => {
  it.each([
    ["Hello world", 1], // no terminator: one sentence
    ["Wait... what?! Really.", 3], // runs of terminators end one sentence each
    ["Pi is 3.14 exactly. See example.com for more", 2], // "." inside a token does not end one
    ['"Stop!" he said. (Then he left.) Done', 4], // closing quote or bracket after the terminator
    ["Title\n\nFirst line\nsecond line", 2], // a blank line ends one; a single line break does not
    ["Ask Dr. Smith.", 2], // abbreviations split: the documented limit
    ["...!!! ?", 0], // no letter, no sentence
    ["", 0],
  ])("%j has %i sentences", (text, sentences) => {
    expect(countSentences(text)).toBe(sentences);
  });
});

describe("letterWords", () => {
  it("keeps whitespace-separated tokens that contain a letter", () => {
    expect(letterWords("Pi is 3.14 — exactly, l’été!")).toEqual(["Pi", "is", "exactly,", "l’été!"]);
  });
});
