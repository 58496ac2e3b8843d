import { describe, expect, it } from "vitest";
import { wordClass } from "./part-of-speech.js";

const tags = (...names: string[]) => new Set(names);

describe("wordClass", () => {
  it.each([
    [["Noun", "Pronoun"], "she", "pronoun"], // compromise tags pronouns as nouns too
    [["Noun", "Possessive", "Pronoun"], "his", "pronoun"],
    [["Determiner"], "the", "article"],
    [["Determiner"], "an", "article"],
    [["Determiner"], "this", "other"], // only a/an/the are articles
    [["Noun", "Singular", "ProperNoun"], "monday", "noun"],
    [["Adjective"], "big", "adjective"],
    [["Preposition"], "of", "preposition"],
    [["Verb", "Copula", "Auxiliary"], "is", "verb"],
    [["Verb", "PhrasalVerb", "Particle"], "up", "verb"],
    [["Adverb"], "quickly", "adverb"],
    [["Negative"], "not", "adverb"],
    [["Expression"], "oh", "interjection"],
    [["QuestionWord"], "who", "pronoun"],
    [["QuestionWord"], "how", "adverb"],
    [["Conjunction"], "and", "other"],
    [["Value", "Cardinal", "NumericValue"], "5", "other"],
    [[], "xyz", "other"],
  ])("%j %j is %s", (names, word, expected) => {
    expect(wordClass(tags(...names), word)).toBe(expected);
  });
});
