import {
  defineResponseFactor,
  type FactorPlugin,
  type Manifestation,
  signOfDifference,
} from "@profilekit/spec";
import { readingEase } from "./reading-ease.js";

export { highestReadingEase, lowestReadingEase, type ReadingEase, readingEase } from "./reading-ease.js";

const described = defineResponseFactor({
  id: "readability",
  title: "Flesch reading ease",
  definition:
    "More = easier to read by the Flesch reading-ease formula, 206.835 − 1.015 × words per sentence − " +
    "84.6 × syllables per word (higher means shorter sentences and shorter words). Not measured for a " +
    "response without words, nor outside −100..121.22 (non-English script, lists, code, URLs).",
  reference: "Flesch, R. (1948). A new readability yardstick. Journal of Applied Psychology 32(3), 221–233.",
  measure: (text) => readingEase(text).value,
});

/**
 * Flesch reading ease per response. A response whose score cannot be trusted (no words, or
 * outside [lowestReadingEase, highestReadingEase]) gets a null value and the pair a null sign,
 * with an `error` that says which response and why.
 */
export const readabilityFactor: FactorPlugin = {
  ...described,
  extract(pairs) {
    return pairs.map((pair): Manifestation => {
      const a = readingEase(pair.a);
      const b = readingEase(pair.b);
      if (a.value !== null && b.value !== null) {
        return {
          pairId: pair.id,
          factor: "readability",
          valueA: a.value,
          valueB: b.value,
          sign: signOfDifference(a.value, b.value),
        };
      }
      const reasons = [
        ...("reason" in a ? [`response a: ${a.reason}`] : []),
        ...("reason" in b ? [`response b: ${b.reason}`] : []),
      ];
      return {
        pairId: pair.id,
        factor: "readability",
        valueA: a.value,
        valueB: b.value,
        sign: null,
        error: `readability could not be measured on ${reasons.join("; ")}`,
      };
    });
  },
};

export default readabilityFactor;
