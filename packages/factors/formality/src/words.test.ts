import { describe, expect, it } from "vitest";
import { words } from "./words.js";

describe("words", () => {
  it("drops surrounding punctuation and keeps inner punctuation", () => {
    expect(words("Panic: (GDP) grew 3.14% — see example.com, well-known and/or “quoted”!")).toEqual([
      "panic",
      "gdp",
      "grew",
      "3.14",
      "see",
      "example.com",
      "well-known",
      "and/or",
      "quoted",
    ]);
    expect(words("")).toEqual([]);
    expect(words("... !!! , — *")).toEqual([]);
  });

  it.each([
    ["I didn't know", ["i", "did", "not", "know"]],
    [
      "can't won't shan't ain't cannot",
      ["can", "not", "will", "not", "shall", "not", "is", "not", "can", "not"],
    ],
    [
      "I'm you're we've they'll she'd",
      ["i", "am", "you", "are", "we", "have", "they", "will", "she", "would"],
    ],
    ["it’s that's let's", ["it", "is", "that", "is", "let", "us"]], // curly and straight apostrophes
    ["John's students' o'clock", ["john", "students", "o'clock"]], // possessives stay one word
  ])("expands the contractions of %j", (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});
