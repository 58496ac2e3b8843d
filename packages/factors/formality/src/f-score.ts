import type { WordClass } from "./part-of-speech.js";

/**
 * Heylighen & Dewaele's F-score from word-class counts, with each class as a
 * percentage of all words: (noun + adjective + preposition + article − pronoun
 * − verb − adverb − interjection + 100) / 2. Null when there is no word.
 */
export function fScore(counts: Readonly<Record<WordClass, number>>): number | null {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const formal = counts.noun + counts.adjective + counts.preposition + counts.article;
  const deictic = counts.pronoun + counts.verb + counts.adverb + counts.interjection;
  return ((100 * (formal - deictic)) / total + 100) / 2;
}
