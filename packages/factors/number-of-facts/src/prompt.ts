import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for number-of-facts. Data: any change to it needs a new version. */
export const prompt = {
  version: "number-of-facts@2",
  output: "count",
  inputs: [],
  facts: {},
  instructions: `The number of atomic facts that the response states, as listed once in its fact ledger: every atomic fact listed counts, whether it is true or false, on the main focus or not, and whether or not a source supports it, since accuracy and focus are measured by other factors. Nothing is added for length or detail beyond the facts themselves: a fact stated twice counts once.`,
} satisfies FactorPrompt;
