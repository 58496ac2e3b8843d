import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for source-coverage. Data: any change to it needs a new version. */
export const prompt = {
  version: "source-coverage@2",
  output: "percentage",
  inputs: ["source", "prompt"],
  checklist: `List the key points of the source document: the main facts, events, claims or conclusions a reader must know to grasp what the source document says, usually 3 to 10, each as one short standalone sentence; leave out minor details, examples and background. When a prompt with a question is given, list the key points of the source document that answer the question. Draw them from the source document and the prompt alone: no response is shown.`,
  instructions: `Mark each key point of the source document, as listed in the checklist, by whether the response conveys it, in its own words or the source's: covered when it does; a point the response states wrongly or only hints at is not covered. Judge each point on its own, whatever else the response says and however long it is. The percentage is 100 times the covered key points divided by all key points in the checklist.`,
} satisfies FactorPrompt;
