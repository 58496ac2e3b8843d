import { describe, expect, it } from "vitest";
import { fScore } from "./f-score.js";

const none = {
  noun: 0,
  adjective: 0,
  preposition: 0,
  article: 0,
  pronoun: 0,
  verb: 0,
  adverb: 0,
  interjection: 0,
  other: 0,
};

describe("fScore", () => {
  it("follows (formal% − deictic% + 100) / 2", () => {
    // 11 words: 4 nouns (36.36%), 2 prepositions (18.18%), 3 articles (27.27%), 2 verbs (18.18%)
    // (36.36 + 18.18 + 27.27 − 18.18 + 100) / 2 = (63.64 + 100) / 2 = 81.82 (= 50 + 50 × 7/11)
    expect(fScore({ ...none, noun: 4, preposition: 2, article: 3, verb: 2 })).toBeCloseTo(81.8182, 4);
    // conjunctions and numbers count in the total only: 2 nouns, 2 other -> (50 + 100) / 2 = 75
    expect(fScore({ ...none, noun: 2, other: 2 })).toBe(75);
  });

  it("spans 0 (all deictic) to 100 (all formal), and is null without words", () => {
    expect(fScore({ ...none, pronoun: 1, verb: 1, adverb: 1, interjection: 1 })).toBe(0);
    expect(fScore({ ...none, noun: 1, adjective: 1, preposition: 1, article: 1 })).toBe(100);
    expect(fScore(none)).toBeNull();
  });
});
