import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for formality-alignment. Data: any change to it needs a new version. */
export const prompt = {
  version: "formality-alignment@2",
  output: "comparison",
  inputs: ["source", "prompt"],
  instructions: `Compare which response better matches the register and tone of the input (the prompt, and the source document when one is given). Register is the level of formality, from formal through neutral to casual, shown in vocabulary, sentence structure, contractions, slang and forms of address; tone is the attitude it conveys, such as serious, friendly, playful, technical or emotional. A response aligns when it writes as formally and in the tone that the input sets or asks for: formal for a formal document or request, relaxed for a casual post, unless the prompt asks for a different style. Judge register and tone only, not content, accuracy or length. Give brief reasons, then answer "a" if response A matches the input's register and tone better, "b" if response B does, or "same" if they match equally well or equally badly.`,
} satisfies FactorPrompt;
