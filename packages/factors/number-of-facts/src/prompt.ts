import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for number-of-facts. Data: any change to the text needs a new version. */
export const prompt = {
  version: "number-of-facts@1",
  output: "count",
  instructions: `Count the atomic facts that the response states. An atomic fact is a short statement that conveys exactly one piece of information: one property of, event involving, or relation between things, which cannot be split into smaller statements that are still true or false on their own. Split compound sentences: "Bloom, released in 2018, is Troye Sivan's second album" holds two atomic facts ("Bloom was released in 2018"; "Bloom is Troye Sivan's second album"). Opinions, greetings, questions and bare instructions with no claim ("give it a try") are not facts; advice that claims something ("stretching before running reduces injuries") is. A fact stated twice counts once.
Count every atomic fact, whether it is true or false and whether or not a source supports it: accuracy is measured by other factors. List every atomic fact of the response, one per item, each written as a short standalone sentence, in the order the response states them; then give the count, which equals the number of items listed.`,
} satisfies FactorPrompt;
