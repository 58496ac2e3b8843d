import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for intent-alignment. Data: any change to the text needs a new version. */
export const prompt = {
  version: "intent-alignment@1",
  output: "comparison",
  instructions: `Compare which response better serves the purpose and intent of the input. The intent is what the person behind the input wants to achieve: for a question or instruction in the prompt, what the asker actually needs, including goals they imply but do not state; for a post or document to be summarised, what its author set out to communicate, with its purpose and emphasis. A response aligns with the intent when it does the job the input calls for, in the form and at the depth the input calls for. Judge intent only: language quality, accuracy and length matter only where they help or defeat the purpose. Give brief reasons, then answer "a" if response A aligns better with the intent, "b" if response B does, or "same" if they align equally well or equally badly.`,
} satisfies FactorPrompt;
