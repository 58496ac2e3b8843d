import type { WordClass } from "./part-of-speech.js";

const ADVERB_ENDING = /ly$/;
const VERB_ENDING = /(?:ing|ed)$/;
const ADJECTIVE_ENDING = /(?:ous|ful|ive|able|ible|ic|al|less)$/;
const LETTER = /\p{L}/u;

/**
 * The class of a lowercase word the lexicon does not list, from its ending:
 * -ly → adverb; -ing, -ed → verb; -ous, -ful, -ive, -able, -ible, -ic, -al,
 * -less → adjective; a word without letters (a number) → other; anything else
 * → noun (unlisted words are mostly nouns and names, as compromise assumes too).
 */
export function unknownWordClass(word: string): WordClass {
  if (ADVERB_ENDING.test(word)) return "adverb";
  if (VERB_ENDING.test(word)) return "verb";
  if (ADJECTIVE_ENDING.test(word)) return "adjective";
  return LETTER.test(word) ? "noun" : "other";
}
