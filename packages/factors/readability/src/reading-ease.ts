import { countSentences } from "./sentences.js";
import { countSyllables } from "./syllables.js";
import { letterWords } from "./words.js";

/**
 * The most Flesch reading ease gives text whose every word has a syllable: one-syllable words in
 * one-word sentences, 206.835 - 1.015 - 84.6. A higher score means words without syllables to the
 * English counter: a script it cannot read (Japanese, Korean, Cyrillic...).
 */
export const highestReadingEase = 121.22;
/**
 * The lowest score counted (ours): 100 points below Flesch's scale, where only text that is not
 * prose lands (over 100 words per sentence, or 3.6+ syllables per word on average: lists without
 * punctuation, code, tables, URLs and strings without spaces, single long words).
 */
export const lowestReadingEase = -100;

/** A Flesch reading ease, or why it is not one. */
export type ReadingEase = { value: number } | { value: null; reason: string };

/**
 * Flesch reading ease: 206.835 − 1.015 (words / sentences) − 84.6 (syllables / words), counted
 * missing, with the reason, for a text without words and for a score outside
 * [lowestReadingEase, highestReadingEase].
 */
export function readingEase(text: string): ReadingEase {
  const words = letterWords(text);
  if (words.length === 0) return { value: null, reason: "it has no words" };
  const syllables = words.reduce((sum, word) => sum + countSyllables(word), 0);
  const perSentence = words.length / countSentences(text);
  const perWord = syllables / words.length;
  const value = 206.835 - 1.015 * perSentence - 84.6 * perWord;
  const shape = `${perWord.toFixed(2)} syllables per word, ${perSentence.toFixed(1)} words per sentence`;
  // The bounds allow for rounding: 206.835 - 1.015 - 84.6 is 121.22000000000001 in doubles.
  if (value > highestReadingEase + 1e-9) {
    return {
      value: null,
      reason: `Flesch reading ease ${value.toFixed(1)} is above ${highestReadingEase}, the most English words can score (${shape}: a script the English syllable counter cannot read)`,
    };
  }
  if (value < lowestReadingEase) {
    return {
      value: null,
      reason: `Flesch reading ease ${value.toFixed(1)} is below ${lowestReadingEase} (${shape}: too extreme for prose, e.g. a list without punctuation, code, a table, a URL or a single long word)`,
    };
  }
  return { value };
}
