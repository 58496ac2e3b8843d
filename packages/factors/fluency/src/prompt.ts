import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for fluency. Data: any change to it needs a new version. */
export const prompt = {
  version: "fluency@2",
  output: "rating",
  inputs: [],
  instructions: `Rate the fluency of the response from 1 to 5. Fluency is the quality of the language sentence by sentence: grammar, spelling, punctuation, word choice, and whether each sentence reads naturally, as a skilled writer of the language would write it. It is not about content, accuracy, length or how the response is organised as a whole. Judge the share of sentences that have a problem, not the number of problems: a long and a short response with the same share of flawed sentences get the same rating.
5: no sentence has an error or reads unnaturally.
4: a few sentences (up to about one in ten) have a minor slip that does not slow the reader down.
3: a noticeable share of sentences (up to about one in three) have errors or awkward phrasing, but the text is understood without effort in most places.
2: most sentences have errors or unnatural phrasing, and parts of the text are hard to read.
1: nearly every sentence is ungrammatical or garbled, so that much of the text is hard to understand.
Do not reward or penalise length, formatting such as lists, or what the response says. Give brief reasons that name the errors you found and how many of the sentences they affect, then the rating, a whole number from 1 to 5.`,
} satisfies FactorPrompt;
