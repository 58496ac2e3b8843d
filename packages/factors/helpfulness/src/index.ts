import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Helpfulness (PROFILE): Helps the user with their request more. */
export const helpfulnessFactor = defineModelFactor({
  id: "helpfulness",
  title: "Helpfulness",
  definition: "Helps the user with their request more.",
  level: "pair",
  tasks: ["instruction-following", "document-qa"],
  requires: ["prompt"],
  reference: "Oh et al. 2025, PROFILE (arXiv 2410.06965)",
  prompt,
});

export default helpfulnessFactor;
export { prompt };
