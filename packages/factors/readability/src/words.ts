const LETTER = /\p{L}/u;

/**
 * The words of `text` for readability: whitespace-separated tokens that contain
 * a letter. Numbers and symbols alone ("2024", "—", "...") are not words (the
 * syllable counter gives them no syllables). Punctuation stays attached
 * ("mat."), which the syllable counter ignores.
 */
export function letterWords(text: string): string[] {
  return (text.match(/\S+/g) ?? []).filter(hasLetter);
}

/** Whether a token has a letter; most tokens start with an ASCII letter, checked first. */
function hasLetter(token: string): boolean {
  const lower = token.charCodeAt(0) | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || LETTER.test(token);
}
