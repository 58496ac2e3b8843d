import nlp from "compromise/two";
import { type WordClass, wordClass } from "./part-of-speech.js";

// compromise expands contractions into implicit terms ("didn't" -> did + not) and
// keeps punctuation-only input as a term; a word has a letter or a digit.
type CompromiseTerm = { text: string; normal: string; implicit?: string; tags?: Set<string> };
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** How many words of each class `text` has, by compromise's part-of-speech tagger. */
export function countWordClasses(text: string): Record<WordClass, number> {
  const counts: Record<WordClass, number> = {
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
  for (const sentence of nlp(text).docs as CompromiseTerm[][]) {
    for (const term of sentence) {
      const word = term.implicit?.toLowerCase() ?? term.normal;
      if (WORD_CHARACTER.test(word)) counts[wordClass(term.tags ?? new Set(), word)]++;
    }
  }
  return counts;
}
