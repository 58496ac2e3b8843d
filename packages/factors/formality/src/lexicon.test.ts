import { isProfilekitError } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { getLexicon, LexiconError, lexiconFromModel } from "./lexicon.js";

const model = (lexicon: Record<string, unknown>, switches: Record<string, unknown> = {}) => ({
  one: {
    lexicon,
    tagSet: {
      Noun: { parents: [] },
      Singular: { parents: ["Noun"] },
      Verb: { parents: [] },
      PastTense: { parents: ["Verb"] },
      Pronoun: { parents: ["Noun"] },
    },
  },
  two: { switches },
});

describe("lexiconFromModel", () => {
  it("classes each single word by its tags and their ancestors, and reads the noun-or-verb words", () => {
    const { classes, nounOrVerb } = lexiconFromModel(
      model(
        { help: "Singular", walked: "PastTense", she: "Pronoun", "of course": "Adverb", so: ["Adverb"] },
        { help: "Noun|Verb", walks: "Plural|Verb", fast: "Adj|Noun" },
      ),
    );
    // Singular's parent Noun -> noun; PastTense's parent Verb -> verb; Pronoun is checked before Noun
    expect(Object.fromEntries(classes)).toEqual({
      help: "noun",
      walked: "verb",
      she: "pronoun",
      so: "adverb",
    });
    expect([...nounOrVerb].sort()).toEqual(["help", "walks"]);
  });

  it("throws a LexiconError when compromise's model has another shape", () => {
    for (const bad of [undefined, { one: {} }, model({ help: 3 })]) {
      let caught: unknown;
      try {
        lexiconFromModel(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(LexiconError);
      expect(isProfilekitError(caught) && caught.code).toBe("FORMALITY_LEXICON");
    }
  });
});

describe("getLexicon", () => {
  it("reads compromise's own lexicon", () => {
    const { classes, nounOrVerb } = getLexicon();
    expect(classes.size).toBeGreaterThan(20_000);
    expect(classes.get("the")).toBe("article");
    expect(classes.get("of")).toBe("preposition");
    expect(nounOrVerb.has("help")).toBe(true);
    expect(getLexicon()).toBe(getLexicon()); // built once
  });
});
