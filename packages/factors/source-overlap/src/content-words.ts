import { eng } from "stopword";
import { lowercaseWords } from "./words.js";

const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(eng);

/** The distinct lowercased words of `text` that are not on stopword's English list (108 words). */
export function contentWordTypes(text: string): Set<string> {
  const types = new Set(lowercaseWords(text));
  for (const word of types) if (ENGLISH_STOPWORDS.has(word)) types.delete(word);
  return types;
}
