import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for hallucination. Data: any change to the text needs a new version. */
export const prompt = {
  version: "hallucination@1",
  output: "count",
  instructions: `Count the atomic facts in the response that the source document does not support. An atomic fact is a short statement that conveys exactly one piece of information: one property of, event involving, or relation between things, which cannot be split into smaller statements that are still true or false on their own. Split compound sentences: "Bloom, released in 2018, is Troye Sivan's second album" holds two atomic facts ("Bloom was released in 2018"; "Bloom is Troye Sivan's second album"). Opinions, greetings, questions and bare instructions with no claim ("give it a try") are not facts; advice that claims something ("stretching before running reduces injuries") is. A fact stated twice counts once.
Check each atomic fact of the response against the source document. It is supported when the source states it, or it follows plainly from what the source states; a faithful paraphrase is supported. It is unsupported when the source contradicts it, or when the source neither states nor plainly implies it, even if it is true in the world. Use the source alone, not your own knowledge. List each unsupported atomic fact, one per item, followed by "(contradicted)" or "(not in the source)"; then give the count, which equals the number of items listed.`,
} satisfies FactorPrompt;
