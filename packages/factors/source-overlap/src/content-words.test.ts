import { describe, expect, it } from "vitest";
import { contentWordTypes } from "./content-words.js";

describe("contentWordTypes", () => {
  it("keeps distinct lowercased words not on the English stopword list", () => {
    // "the" and "over" are stopwords; "The"/"the" and "dog"/"Dog" collapse to one type each.
    expect([...contentWordTypes("The quick brown fox jumps over the lazy dog. Dog!")]).toEqual([
      "quick",
      "brown",
      "fox",
      "jumps",
      "lazy",
      "dog",
    ]);
    expect(contentWordTypes("It is what it is.").size).toBe(0);
  });
});
