/**
 * Politeness markers, after the request strategies of Danescu-Niculescu-Mizil et al. (2013):
 * please, gratitude, apology, greeting and the indirect (counterfactual) request. Each marker
 * is one or more lowercased words; "thank" also covers "thank you".
 */
export const defaultMarkers: readonly string[] = [
  "please",
  "thank",
  "thanks",
  "appreciate",
  "sorry",
  "apologize",
  "apologise",
  "apologies",
  "excuse me",
  "pardon",
  "kindly",
  "hello",
  "would you",
  "could you",
];

/** Lowercased words: runs of letters, digits and apostrophes ("don't" is one word). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

/**
 * Positions of `tokens` where a marker starts: at each position at most one marker counts,
 * so "would you" is counted once however many markers begin with "would".
 */
export function countMarkers(tokens: readonly string[], markers: readonly (readonly string[])[]): number {
  let count = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (markers.some((marker) => marker.every((word, k) => tokens[i + k] === word))) count++;
  }
  return count;
}
