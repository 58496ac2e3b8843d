import { defineModelFactor } from "@profilekit/spec";
import { prompt } from "./prompt.js";

/** Receptiveness (PROFILE): Engages more with the asker's specific situation and perspective. */
export const receptivenessFactor = defineModelFactor({
  id: "receptiveness",
  title: "Receptiveness",
  definition: "Engages more with the asker's specific situation and perspective.",
  level: "pair",
  tasks: ["instruction-following"],
  requires: ["prompt"],
  reference: "Oh et al. 2025, PROFILE (arXiv 2410.06965)",
  prompt,
});

export default receptivenessFactor;
export { prompt };
