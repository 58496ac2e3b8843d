import { getLexicon } from "./lexicon.js";
import type { WordClass } from "./part-of-speech.js";
import { unknownWordClass } from "./unknown-words.js";
import { words } from "./words.js";

// Before a noun-or-verb word: a determiner (this, some, my, ...; articles, adjectives and
// prepositions go by their class) makes it a noun ("your help", "the model"); "to", a subject
// pronoun, a modal, "not" or do/does/did makes it a verb ("to help", "we model").
const BEFORE_NOUN_CLASSES = new Set<WordClass>(["article", "adjective", "preposition"]);
const BEFORE_NOUN_WORDS = new Set([
  ...["this", "that", "these", "those", "some", "any", "each", "every", "no", "another", "which", "what"],
  ...["whose", "my", "your", "his", "her", "its", "our", "their"],
]);
const BEFORE_VERB_WORDS = new Set([
  ...["to", "i", "we", "you", "they", "not", "do", "does", "did", "please", "let"],
  ...["will", "would", "can", "could", "shall", "should", "may", "might", "must"],
]);

// Classes of words the lexicon does not list, memoised: texts repeat their words. The memo only
// caches a pure function and is cleared past MAX_MEMO entries, to bound memory over long runs.
const MAX_MEMO = 100_000;
const unlisted = new Map<string, WordClass>();

/** The class of a word the lexicon does not list: a compound (well-known, and/or) by its last part. */
function unlistedWordClass(word: string, classes: ReadonlyMap<string, WordClass>): WordClass {
  let found = unlisted.get(word);
  if (found === undefined) {
    const last = word.slice(
      Math.max(word.lastIndexOf("-"), word.lastIndexOf("‐"), word.lastIndexOf("/")) + 1,
    );
    found = classes.get(last) ?? unknownWordClass(last);
    if (unlisted.size >= MAX_MEMO) unlisted.clear();
    unlisted.set(word, found);
  }
  return found;
}

/**
 * How many words (see `words`) of each class `text` has. Each word takes its
 * class from compromise's lexicon (by the tag mapping of `wordClass`); a
 * compound not listed (well-known, and/or) takes the class of its last part; a
 * word not listed goes by `unknownWordClass`. A word compromise marks as
 * noun-or-verb is a noun after a determiner, article, adjective or preposition,
 * a verb after "to", a subject pronoun, a modal, "not", do/does/did, "please"
 * or "let", and keeps its listed class otherwise.
 */
export function countWordClasses(text: string): Record<WordClass, number> {
  const { classes, nounOrVerb } = getLexicon();
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
  let previousWord = "";
  let previousClass: WordClass = "other";
  for (const word of words(text)) {
    let found = classes.get(word);
    if (found === undefined) {
      found = unlistedWordClass(word, classes);
    } else if (nounOrVerb.has(word)) {
      if (BEFORE_NOUN_CLASSES.has(previousClass) || BEFORE_NOUN_WORDS.has(previousWord)) found = "noun";
      else if (BEFORE_VERB_WORDS.has(previousWord)) found = "verb";
    }
    counts[found]++;
    previousWord = word;
    previousClass = found;
  }
  return counts;
}
