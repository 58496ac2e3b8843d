import { defineResponseFactor } from "@profilekit/spec";
import { countSentences } from "./sentences.js";
import { countSyllables } from "./syllables.js";
import { letterWords } from "./words.js";

/** Flesch reading ease: 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words). */
export const readabilityFactor = defineResponseFactor({
  id: "readability",
  title: "Flesch reading ease",
  definition:
    "More = easier to read by the Flesch reading-ease formula, 206.835 − 1.015 × words per sentence − " +
    "84.6 × syllables per word (higher means shorter sentences and shorter words). Not measured for a " +
    "response without words.",
  reference: "Flesch, R. (1948). A new readability yardstick. Journal of Applied Psychology 32(3), 221–233.",
  measure: (text) => {
    const words = letterWords(text);
    if (words.length === 0) return null;
    const syllables = words.reduce((sum, word) => sum + countSyllables(word), 0);
    return 206.835 - 1.015 * (words.length / countSentences(text)) - 84.6 * (syllables / words.length);
  },
});

export default readabilityFactor;
