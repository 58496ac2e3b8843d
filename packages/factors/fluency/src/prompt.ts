import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for fluency. Data: any change to the text needs a new version. */
export const prompt = {
  version: "fluency@1",
  output: "rating",
  instructions: `Rate the fluency of the response from 1 to 5. Fluency is the quality of the language sentence by sentence: grammar, spelling, punctuation, word choice, and whether each sentence reads naturally, as a skilled writer of the language would write it. It is not about content, accuracy, length or how the response is organised as a whole.
5: no errors; every sentence reads naturally.
4: one or two minor slips that do not slow the reader down.
3: several errors or awkward phrasings, but the text is understood without effort in most places.
2: frequent errors or unnatural phrasing that make parts of the text hard to read.
1: so ungrammatical or garbled that much of it is hard to understand.
Do not reward or penalise length, formatting such as lists, or what the response says. Give brief reasons that name the errors you found, then the rating, a whole number from 1 to 5.`,
} satisfies FactorPrompt;
