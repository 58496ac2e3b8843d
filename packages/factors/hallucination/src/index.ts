import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Hallucination (PROFILE): More atomic facts that the source does not support or that it contradicts. */
export const hallucinationFactor = defineModelFactor({
  id: "hallucination",
  title: "Hallucination",
  definition: "More atomic facts that the source does not support or that it contradicts.",
  level: "response",
  tasks: ["summarization", "document-qa"],
  requires: ["source"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); atomic facts as in Min et al. 2023, FActScore (arXiv 2305.14251); intrinsic and extrinsic hallucination as in Maynez et al. 2020 (arXiv 2005.00661)",
  prompt,
});

export default hallucinationFactor;
export { prompt };
