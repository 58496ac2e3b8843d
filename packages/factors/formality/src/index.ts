import { defineResponseFactor } from "@profilekit/spec";
import { fScore } from "./f-score.js";
import { countWordClasses } from "./word-classes.js";

/** Heylighen–Dewaele formality (F-score) from word classes of compromise's lexicon. */
export const formalityFactor = defineResponseFactor({
  id: "formality",
  title: "Formality (F-score)",
  definition:
    "More = more formal by Heylighen and Dewaele's F-score: (noun% + adjective% + preposition% + article% " +
    "− pronoun% − verb% − adverb% − interjection% + 100) / 2, with percentages of all words, each word " +
    "classed by compromise's lexicon (0 to 100). Not measured for a response without words.",
  reference:
    "Heylighen, F. & Dewaele, J.-M. (1999/2002). Variation in the contextuality of language: an empirical " +
    "measure. Foundations of Science 7(3), 293–340.",
  measure: (text) => fScore(countWordClasses(text)),
});

export default formalityFactor;
export { LexiconError } from "./lexicon.js";
