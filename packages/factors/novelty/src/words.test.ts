import { describe, expect, it } from "vitest";
import { bigramSet } from "./bigrams.js";
import { lowercaseWords } from "./words.js";

describe("lowercaseWords", () => {
  it("keeps letters, digits and inner apostrophes, drops punctuation", () => {
    expect(lowercaseWords("Hello, World! It's 2024—l’été.")).toEqual([
      "hello",
      "world",
      "it's",
      "2024",
      "l’été",
    ]);
    expect(lowercaseWords(" -- ... ")).toEqual([]);
  });
});

describe("bigramSet", () => {
  it("holds each distinct pair of adjacent words once", () => {
    // the·cat, cat·the, the·cat (again), cat·sat
    expect([...bigramSet("The cat, the cat sat.")]).toEqual(["the cat", "cat the", "cat sat"]);
    expect(bigramSet("alone").size).toBe(0);
  });
});
