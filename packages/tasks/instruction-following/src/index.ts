import { TaskAdapterSchema } from "@profilekit/spec";
import { generation, guidance, judge } from "./prompts.js";

/** Instruction following: PROFILE's factor set, its dataset presets and the prompts of the three settings. */
const instructionFollowing = TaskAdapterSchema.parse({
  specificationVersion: 1,
  id: "instruction-following",
  title: "Instruction following",
  description:
    "Replying to a user's request or conversation as an AI assistant. Pairs carry the request or dialogue as `prompt`.",
  factors: [
    "length",
    "fluency",
    "coherence",
    "number-of-facts",
    "misinformation",
    "intent-alignment",
    "formality-alignment",
    "helpfulness",
    "receptiveness",
  ],
  classicalFactors: ["novelty", "readability", "formality"],
  presets: ["autoj", "hh-rlhf"],
  prompts: { judge, generation, guidance },
});

export default instructionFollowing;
export { generation, guidance, judge };
