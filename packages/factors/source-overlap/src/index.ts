import { defineResponseFactor } from "@profilekit/spec";
import { contentWordTypes } from "./content-words.js";
import { lowercaseWords } from "./words.js";

/** Unigram recall of the source's content words: how many of them the response uses. */
export const sourceOverlapFactor = defineResponseFactor({
  id: "source-overlap",
  title: "Source content-word recall",
  definition:
    "More = the response uses a larger share of the source's distinct content words (lowercased words " +
    "not on the English stopword list): |content words of source ∩ words of response| / " +
    "|content words of source|. Not measured without a source.",
  reference: "The recall idea of ROUGE-1 (Lin 2004, ROUGE), restricted to the source's content-word types.",
  requires: ["source"],
  prepare: (pair) => {
    if (pair.source === undefined) throw new Error("source-overlap needs a source, and this pair has none");
    const sourceWords = contentWordTypes(pair.source);
    if (sourceWords.size === 0) throw new Error("source-overlap: the source has no content words");
    return sourceWords;
  },
  measure: (text, { prepared: sourceWords }) => {
    const responseWords = new Set(lowercaseWords(text));
    let recalled = 0;
    for (const word of sourceWords) if (responseWords.has(word)) recalled++;
    return recalled / sourceWords.size;
  },
});

export default sourceOverlapFactor;
