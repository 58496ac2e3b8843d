import { lowercaseWords } from "./words.js";

/** The set of word bigrams of `text` (lowercased words, adjacent across punctuation), as "w1 w2". */
export function bigramSet(text: string): Set<string> {
  const words = lowercaseWords(text);
  const bigrams = new Set<string>();
  for (let i = 1; i < words.length; i++) bigrams.add(`${words[i - 1]} ${words[i]}`);
  return bigrams;
}
