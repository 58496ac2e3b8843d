import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for coherence. Data: any change to it needs a new version. */
export const prompt = {
  version: "coherence@2",
  output: "rating",
  inputs: [],
  instructions: `Rate the coherence of the response from 1 to 5. Coherence is about the response as a whole: whether it is well structured and logically organised, each sentence follows from the ones before it, related ideas are grouped and ordered sensibly, references and transitions are clear, and together the sentences build a unified body of information rather than a heap of loosely related statements. It is not about the grammar of single sentences (that is fluency), nor about accuracy or length. Judge how much of the text the problems affect, relative to its length, not how many there are: a short response can be fully coherent, and a long one is not rated lower for having more sentences.
5: clearly organised throughout; every part connects to the rest, and the order of ideas is easy to follow.
4: well organised; a weak transition or a slightly misplaced point here and there, rare for the length of the text.
3: the overall line can be followed, but jumps, repetitions or misplaced points recur and disrupt a noticeable part of the text.
2: poorly organised; in most of the text ideas appear in a confusing order or are not connected.
1: no discernible structure; the sentences read as unrelated fragments.
Give brief reasons that point to the parts that help or hurt the organisation, then the rating, a whole number from 1 to 5.`,
} satisfies FactorPrompt;
