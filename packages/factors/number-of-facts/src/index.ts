import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Number of facts (PROFILE): More atomic facts stated, true or not. */
export const numberOfFactsFactor = defineModelFactor({
  id: "number-of-facts",
  title: "Number of facts",
  definition: "More atomic facts stated, true or not.",
  level: "response",
  tasks: ["summarization", "instruction-following", "document-qa"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); atomic facts as in Min et al. 2023, FActScore (arXiv 2305.14251)",
  prompt,
});

export default numberOfFactsFactor;
export { prompt };
