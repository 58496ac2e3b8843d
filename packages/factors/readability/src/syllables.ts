import { syllable } from "syllable";

// `syllable` costs a few microseconds a word, and texts repeat their words (Zipf), so counts are
// memoised per exact token. The memo only caches a pure function; it is cleared when it grows past
// MAX_ENTRIES, to bound memory over long runs.
const MAX_ENTRIES = 100_000;
const memo = new Map<string, number>();

/** The syllables of one word, by the `syllable` package's English estimate. */
export function countSyllables(word: string): number {
  let count = memo.get(word);
  if (count === undefined) {
    if (memo.size >= MAX_ENTRIES) memo.clear();
    count = syllable(word);
    memo.set(word, count);
  }
  return count;
}
