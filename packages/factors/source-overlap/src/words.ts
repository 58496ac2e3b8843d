// A word is a run of letters, marks and digits, with inner apostrophes kept (don't, l’homme).
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}\p{N}]+)*/gu;

/** The words of `text`, lowercased, in order; punctuation and symbols are dropped. */
export function lowercaseWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
