import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Misinformation (PROFILE): More claims that are false by well-established world knowledge (no source document is given). */
export const misinformationFactor = defineModelFactor({
  id: "misinformation",
  title: "Misinformation",
  definition: "More claims that are false by well-established world knowledge (no source document is given).",
  level: "response",
  tasks: ["instruction-following"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); atomic facts as in Min et al. 2023, FActScore (arXiv 2305.14251), checked against world knowledge",
  prompt,
});

export default misinformationFactor;
export { prompt };
