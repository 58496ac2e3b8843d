import { defineResponseFactor } from "@profilekit/spec";
import { z } from "zod";
import { countCodePoints } from "./code-point-count.js";
import { countTokens } from "./token-count.js";
import { countWords } from "./word-count.js";

export const LengthOptionsSchema = z.strictObject({
  unit: z
    .enum(["words", "chars", "tokens"], {
      error: (issue) => `unit must be "words", "chars" or "tokens", not ${JSON.stringify(issue.input)}`,
    })
    .default("words"),
});
export type LengthOptions = z.infer<typeof LengthOptionsSchema>;

const counters = { words: countWords, chars: countCodePoints, tokens: countTokens };

/** Response length: more = longer, in words (default), Unicode code points or o200k_base tokens. */
export const lengthFactor = defineResponseFactor({
  id: "length",
  title: "Length",
  definition:
    "More = longer: the number of words (maximal runs of non-whitespace), or of Unicode code points " +
    '(unit "chars") or o200k_base tokens (unit "tokens").',
  reference: "PROFILE (Oh et al., arXiv 2410.06965), factor 'length'.",
  options: LengthOptionsSchema,
  measure: (text, { options }) => counters[options.unit](text),
});

export default lengthFactor;
export { countCodePoints, countTokens, countWords };
