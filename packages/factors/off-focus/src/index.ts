import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Off-focus facts (PROFILE): More atomic facts about minor or peripheral points of the source or question. */
export const offFocusFactor = defineModelFactor({
  id: "off-focus",
  title: "Off-focus facts",
  definition: "More atomic facts about minor or peripheral points of the source or question.",
  level: "response",
  tasks: ["summarization", "document-qa"],
  requires: ["source"],
  reference:
    "Oh et al. 2025, PROFILE (arXiv 2410.06965); atomic facts as in Min et al. 2023, FActScore (arXiv 2305.14251)",
  prompt,
});

export default offFocusFactor;
export { prompt };
