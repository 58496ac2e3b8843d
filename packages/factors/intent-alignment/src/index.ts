import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Intent alignment (PROFILE): Serves the purpose and intent of the post or question better. */
export const intentAlignmentFactor = defineModelFactor({
  id: "intent-alignment",
  title: "Intent alignment",
  definition: "Serves the purpose and intent of the post or question better.",
  level: "pair",
  tasks: ["summarization", "instruction-following", "document-qa"],
  reference: "Oh et al. 2025, PROFILE (arXiv 2410.06965)",
  prompt,
});

export default intentAlignmentFactor;
export { prompt };
