import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for off-focus. Data: any change to it needs a new version. */
export const prompt = {
  version: "off-focus@2",
  output: "count",
  inputs: ["source", "prompt"],
  facts: { label: { verdicts: ["on focus", "off focus"], counted: ["off focus"] } },
  instructions: `Label each atomic fact of the response by whether it is about the main focus. The main focus is the core subject that the response should be about: what the prompt asks, when a prompt with a question is given; otherwise the central topic of the source document. "on focus": the fact is about the main focus, at whatever level of detail. "off focus": the fact is about something else: a side topic, background that does not bear on the main focus, or a tangent. Judge relatedness to the main focus only: not whether the fact is true or supported, and not how specific it is (a precise name, date or number about the main focus is on focus). The count is the number of facts labelled "off focus".`,
} satisfies FactorPrompt;
