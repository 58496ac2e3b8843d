import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for intent-alignment. Data: any change to it needs a new version. */
export const prompt = {
  version: "intent-alignment@2",
  output: "comparison",
  inputs: ["source", "prompt"],
  instructions: `Compare which response better serves the purpose and intent of the input. First identify the intent. For a question or instruction in the prompt, it is what the asker needs, including goals they imply but do not state. For a post or document to be summarised (the source document), it is the purpose its author wrote it for; name it as one of: asking for advice or help, asking a question, sharing an experience or a story, expressing feelings or an opinion, informing or reporting, arguing or persuading, or another purpose that you name. A summary aligns with the intent when its reader would recognise that purpose and what the author wants from it (for a request for advice: the situation and the question asked). A response to a prompt aligns when it does what the asker wants, in the form they ask for. Judge intent only: language quality, accuracy and length matter only where they help or defeat the purpose. Give brief reasons that name the intent, then answer "a" if response A aligns better with the intent, "b" if response B does, or "same" if they align equally well or equally badly.`,
} satisfies FactorPrompt;
