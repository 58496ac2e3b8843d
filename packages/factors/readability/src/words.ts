const LETTER = /\p{L}/u;

/**
 * The words of `text` for readability: whitespace-separated tokens that contain
 * a letter. Numbers and symbols alone ("2024", "—", "...") are not words (the
 * syllable counter gives them no syllables). Punctuation stays attached
 * ("mat."), which the syllable counter ignores.
 */
export function letterWords(text: string): string[] {
  return (text.match(/\S+/g) ?? []).filter((token) => LETTER.test(token));
}
