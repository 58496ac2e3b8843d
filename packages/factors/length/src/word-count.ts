/**
 * Whether a UTF-16 code unit is whitespace in the sense of JavaScript's `\s`:
 * U+0009–U+000D, U+0020, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000 and U+FEFF. All of them are single code units, so a
 * surrogate is never whitespace.
 */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

// 1 for the ASCII whitespace characters (\t \n \v \f \r and space), 0 for the rest of ASCII.
const ASCII_WHITESPACE = new Uint8Array(128);
for (const code of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]) ASCII_WHITESPACE[code] = 1;

/**
 * The number of words: maximal runs of non-whitespace, exactly what
 * `text.match(/\S+/g)?.length ?? 0` returns, in one pass without allocating.
 * It counts the starts of runs (a non-whitespace unit after whitespace or at
 * the start) branch-free, with a table lookup for ASCII.
 */
export function countWords(text: string): number {
  let words = 0;
  let previousIsWhitespace = 1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const whitespace = code < 0x80 ? ASCII_WHITESPACE[code]! : isWhitespace(code) ? 1 : 0;
    words += previousIsWhitespace & (whitespace ^ 1);
    previousIsWhitespace = whitespace;
  }
  return words;
}
