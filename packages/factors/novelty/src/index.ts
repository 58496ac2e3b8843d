import { defineResponseFactor } from "@profilekit/spec";
import { bigramSet } from "./bigrams.js";

/** Share of the response's distinct word bigrams found in neither the source nor the prompt. */
export const noveltyFactor = defineResponseFactor({
  id: "novelty",
  title: "Novel bigrams",
  definition:
    "More = a larger share of the response's distinct lowercased word bigrams that appear in neither " +
    "the source nor the prompt (whichever the pair has). Not measured when the response has fewer than " +
    "two words or the pair has neither a source nor a prompt.",
  reference:
    "Novel n-grams of abstractive summaries: See et al. 2017 (arXiv 1704.04368), Narayan et al. 2018 (arXiv 1808.08745).",
  prepare: (pair) => {
    const inputs = [pair.source, pair.prompt].filter((text): text is string => !!text?.trim());
    if (inputs.length === 0) throw new Error("novelty needs a source or a prompt, and this pair has neither");
    return new Set(inputs.flatMap((text) => [...bigramSet(text)]));
  },
  measure: (text, { prepared: seen }) => {
    const bigrams = bigramSet(text);
    if (bigrams.size === 0) return null;
    let novel = 0;
    for (const bigram of bigrams) if (!seen.has(bigram)) novel++;
    return novel / bigrams.size;
  },
});

export default noveltyFactor;
