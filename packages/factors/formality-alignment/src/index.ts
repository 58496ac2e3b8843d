import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Formality alignment (PROFILE): The register and tone match the input's more closely. */
export const formalityAlignmentFactor = defineModelFactor({
  id: "formality-alignment",
  title: "Formality alignment",
  definition: "The register and tone match the input's more closely.",
  level: "pair",
  tasks: ["summarization", "instruction-following"],
  reference: "Oh et al. 2025, PROFILE (arXiv 2410.06965)",
  prompt,
});

export default formalityAlignmentFactor;
export { prompt };
