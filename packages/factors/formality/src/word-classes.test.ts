import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nlp from "compromise/two";
import { describe, expect, it } from "vitest";
import { fScore } from "./f-score.js";
import { type WordClass, wordClass } from "./part-of-speech.js";
import { countWordClasses } from "./word-classes.js";

const none: Record<WordClass, number> = {
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

describe("countWordClasses", () => {
  it("counts a contraction as its expanded words", () => {
    // didn't -> did (compromise: PastTense, a Verb) + not (Negative -> adverb); the period is not a word
    expect(countWordClasses("I didn't know.")).toEqual(countWordClasses("I did not know."));
    expect(countWordClasses("I didn't know.")).toEqual({ ...none, pronoun: 1, verb: 2, adverb: 1 });
    // let's -> let (Infinitive) + us (Pronoun); it's -> it (Pronoun) + is (Copula); John's -> john
    // (MaleName, a Noun); car (Singular); and (Conjunction -> other); they're -> they + are (Copula);
    // here (compromise lists it as Uncountable, a Noun)
    expect(countWordClasses("Let's say it's John's car and they're here.")).toEqual({
      ...none,
      verb: 4, // let, say, is, are
      pronoun: 3, // us, it, they
      noun: 3, // john, car, here
      other: 1, // and
    });
  });

  it("makes a noun-or-verb word a noun after a determiner and a verb after 'to'", () => {
    // compromise lists help as Singular (a Noun) and marks it Noun|Verb: "your help" -> noun,
    // "to help" -> verb. we, your, them: Pronoun; need: Infinitive; to: Conjunction -> other.
    expect(countWordClasses("We need your help to help them.")).toEqual({
      ...none,
      pronoun: 3,
      verb: 2, // need, help
      noun: 1, // help
      other: 1, // to
    });
  });

  it("classes unlisted words by their last part or their ending", () => {
    // a: article; well-known: unlisted, last part known is listed as Adjective; blorptastic (-ic):
    // adjective; frobnication: noun; quickly (unlisted, -ly): adverb; glorbing (-ing): verb
    expect(countWordClasses("A well-known blorptastic frobnication, quickly glorbing.")).toEqual({
      ...none,
      article: 1,
      adjective: 2,
      noun: 1,
      adverb: 1,
      verb: 1,
    });
  });
});

// The F-scores should follow those of compromise's full tagger (lexicon, context rules and
// post-tagger) on real responses. Pairs 900–959 of Auto-J were not looked at while the rules were
// written (Pearson 0.895 there at the time of writing). shared/ sits beside the repo.
const AUTOJ = fileURLToPath(
  new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
);

describe.skipIf(!existsSync(AUTOJ))("agreement with compromise's full tagger on Auto-J", () => {
  it("correlates strongly on responses of 50 words or more", { timeout: 60_000 }, () => {
    const responses = readFileSync(AUTOJ, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .slice(900, 960)
      .flatMap((line) => {
        const row = JSON.parse(line);
        return [row["response 1"] as string, row["response 2"] as string];
      });
    const ours: number[] = [];
    const theirs: number[] = [];
    for (const text of responses) {
      const full = { ...none };
      for (const sentence of nlp(text).docs) {
        for (const term of sentence as { normal: string; implicit?: string; tags?: Set<string> }[]) {
          const word = term.implicit?.toLowerCase() ?? term.normal;
          if (/[\p{L}\p{N}]/u.test(word)) full[wordClass(term.tags ?? new Set(), word)]++;
        }
      }
      const total = Object.values(full).reduce((sum, n) => sum + n, 0);
      if (total < 50) continue;
      ours.push(fScore(countWordClasses(text))!);
      theirs.push(fScore(full)!);
    }
    expect(ours.length).toBeGreaterThan(60);
    expect(pearson(ours, theirs)).toBeGreaterThan(0.85);
  });
});

function pearson(x: readonly number[], y: readonly number[]): number {
  const mean = (v: readonly number[]) => v.reduce((sum, value) => sum + value, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i]! - my);
    sxx += (xi - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
