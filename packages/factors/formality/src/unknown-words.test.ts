import { describe, expect, it } from "vitest";
import { unknownWordClass } from "./unknown-words.js";

describe("unknownWordClass", () => {
  it.each([
    ["blorply", "adverb"],
    ["glorbing", "verb"],
    ["frobbed", "verb"],
    ["blorptastic", "adjective"],
    ["zorbful", "adjective"],
    ["snarkable", "adjective"],
    ["quuxal", "adjective"],
    ["frobnication", "noun"], // anything else with a letter is a noun
    ["собака", "noun"],
    ["3.14", "other"], // no letter: a number
    ["1,000", "other"],
  ])("%j is %s", (word, expected) => {
    expect(unknownWordClass(word)).toBe(expected);
  });
});
