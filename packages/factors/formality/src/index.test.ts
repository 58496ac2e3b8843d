import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import formalityFactor from "./index.js";

const measure = async (a: string, b: string) => {
  const pair: Pair = { id: "p", task: "t", a, b, label: "a" };
  return (await formalityFactor.extract([pair], { options: {}, seed: 0 }))[0]!;
};

// compromise's lexicon: The/a/the Determiner (articles); budget Singular, Monday WeekDay (Nouns;
// budget is Noun|Verb but follows a verb, so keeps its listed class); approved PastTense (a Verb);
// of, on Preposition. Not listed: committee, university (nouns by default), revised (-ed: verb).
// 11 words: 4 nouns + 2 prepositions + 3 articles − 2 verbs = 7 -> 50 + 50 × 7/11 = 81.818
const FORMAL = "The committee approved a revised budget of the university on Monday.";
// Oh Expression (interjection); well, really, so Adverb; I Pronoun; think Infinitive (a Verb).
// 6 words, all deictic -> 0
const INFORMAL = "Oh well, I really think so.";

describe("formality factor", () => {
  it("is a valid rule/response plugin", () => {
    expect(FactorMetadataSchema.parse(formalityFactor)).toMatchObject({ id: "formality", method: "rule" });
  });

  it("scores hand-tagged sentences and gives sign(a - b)", async () => {
    const m = await measure(FORMAL, INFORMAL);
    expect(m.valueA).toBeCloseTo(50 + (50 * 7) / 11, 10);
    expect(m.valueB).toBe(0);
    expect(m.sign).toBe(1);
    expect((await measure(INFORMAL, FORMAL)).sign).toBe(-1);
  });

  it("is null for a response without words", async () => {
    for (const empty of ["", "   ", "... !!! ,"]) {
      const m = await measure(FORMAL, empty);
      expect(m).toMatchObject({ valueB: null, sign: null });
    }
  });
});
