/**
 * The number of Unicode code points, as `[...text].length` counts them: a
 * surrogate pair is one, a lone surrogate is one. Counts in one pass without
 * allocating.
 */
export function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) count--;
    }
  }
  return count;
}
