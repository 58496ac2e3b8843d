import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Source coverage (PROFILE): A larger share (0 to 100%) of the source's key points is covered. */
export const sourceCoverageFactor = defineModelFactor({
  id: "source-coverage",
  title: "Source coverage",
  definition: "A larger share (0 to 100%) of the source's key points is covered.",
  level: "response",
  tasks: ["summarization", "document-qa"],
  requires: ["source"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); key points in the spirit of the Pyramid method, Nenkova and Passonneau 2004",
  prompt,
});

export default sourceCoverageFactor;
export { prompt };
