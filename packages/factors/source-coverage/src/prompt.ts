import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for source-coverage. Data: any change to the text needs a new version. */
export const prompt = {
  version: "source-coverage@1",
  output: "percentage",
  instructions: `Measure how much of the source document's key information the response covers. First, from the source document alone and before reading the response, list its key points: the main facts, events, claims or conclusions a reader must know to grasp what the source says (usually 3 to 10; leave out minor details, examples and background). When a prompt with a question is given, the key points are those in the source that answer the question. Then, for each key point, decide whether the response conveys it, in its own words or the source's; a point the response states wrongly or only hints at is not covered. List the key points, each marked covered or not, then give the percentage covered: 100 times the covered key points divided by all key points, rounded to a whole number.`,
} satisfies FactorPrompt;
