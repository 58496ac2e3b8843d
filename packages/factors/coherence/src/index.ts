import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Coherence (PROFILE): Better structured and more logically organised as a whole (1 to 5). */
export const coherenceFactor = defineModelFactor({
  id: "coherence",
  title: "Coherence",
  definition: "Better structured and more logically organised as a whole (1 to 5).",
  level: "response",
  tasks: ["summarization", "instruction-following", "document-qa"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); the 1-5 coherence scale of Fabbri et al. 2021, SummEval (arXiv 2007.12626)",
  prompt,
});

export default coherenceFactor;
export { prompt };
