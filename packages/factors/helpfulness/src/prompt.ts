import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for helpfulness. Data: any change to it needs a new version. */
export const prompt = {
  version: "helpfulness@2",
  output: "comparison",
  inputs: ["source", "prompt"],
  instructions: `Compare which response helps the user more with the request in the prompt. A helpful response gives the user what they asked for, in a form they can use: it answers the question or carries out the instruction, with enough correct, relevant and specific content to act on, and it addresses the need behind the request. When a source document is given, content that it contradicts does not help. Evasive, generic or padded answers, and refusals of reasonable requests, help less. Judge how far each response moves the user towards their goal; do not judge style or length for their own sake. Give brief reasons, then answer "a" if response A is more helpful, "b" if response B is, or "same" if they help equally.`,
} satisfies FactorPrompt;
