import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for off-focus. Data: any change to the text needs a new version. */
export const prompt = {
  version: "off-focus@1",
  output: "count",
  instructions: `Count the atomic facts in the response that are off focus. An atomic fact is a short statement that conveys exactly one piece of information: one property of, event involving, or relation between things, which cannot be split into smaller statements that are still true or false on their own. Split compound sentences: "Bloom, released in 2018, is Troye Sivan's second album" holds two atomic facts ("Bloom was released in 2018"; "Bloom is Troye Sivan's second album"). Opinions, greetings, questions and bare instructions with no claim ("give it a try") are not facts; advice that claims something ("stretching before running reduces injuries") is. A fact stated twice counts once.
The focus is what the prompt asks, when a prompt with a question is given; otherwise it is the main content of the source document. An atomic fact is off focus when it is about a minor or peripheral point: incidental background, side remarks, examples, secondary names, dates and numbers, or anything a reader does not need in order to grasp the source's main content or to answer the question. A fact about a main point is on focus, however much detail it gives. Judge focus only: whether the fact is supported or true is measured by other factors. Split the response into atomic facts, then list each off-focus atomic fact, one per item, with a few words on why it is peripheral; then give the count, which equals the number of items listed.`,
} satisfies FactorPrompt;
