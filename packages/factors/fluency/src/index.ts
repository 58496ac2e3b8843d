import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Fluency (PROFILE): More grammatical, natural and easy to read, judged on the language of each sentence (1 to 5). */
export const fluencyFactor = defineModelFactor({
  id: "fluency",
  title: "Fluency",
  definition: "More grammatical, natural and easy to read, judged on the language of each sentence (1 to 5).",
  level: "response",
  tasks: ["summarization", "instruction-following", "document-qa"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); the 1-5 fluency scale of Fabbri et al. 2021, SummEval (arXiv 2007.12626)",
  prompt,
});

export default fluencyFactor;
export { prompt };
