import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for receptiveness. Data: any change to it needs a new version. */
export const prompt = {
  version: "receptiveness@2",
  output: "comparison",
  inputs: ["prompt"],
  instructions: `Compare which response is more receptive to the person who wrote the prompt. A receptive response takes up the specifics they gave (their circumstances, constraints, feelings, what they have already tried, how they see the problem), acknowledges their point of view, and tailors what it says to them, rather than giving a generic answer that would fit anyone who asked something similar. Judge receptiveness only, not correctness, language quality or length. Give brief reasons, then answer "a" if response A engages more with the asker's situation and perspective, "b" if response B does, or "same" if they do so equally.`,
} satisfies FactorPrompt;
