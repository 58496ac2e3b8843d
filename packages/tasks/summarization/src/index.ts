import { TaskAdapterSchema } from "@profilekit/spec";
import { generation, guidance, judge } from "./prompts.js";

/** Summarization: PROFILE's factor set, its dataset presets and the prompts of the three settings. */
const summarization = TaskAdapterSchema.parse({
  specificationVersion: 1,
  id: "summarization",
  title: "Summarization",
  description:
    "Summarising a source document (news articles, Reddit posts). Pairs carry the document as `source`.",
  factors: [
    "length",
    "fluency",
    "coherence",
    "number-of-facts",
    "source-coverage",
    "off-focus",
    "hallucination",
    "intent-alignment",
    "formality-alignment",
  ],
  classicalFactors: ["novelty", "source-overlap", "readability", "formality"],
  presets: ["summeval", "summ-news"],
  prompts: { judge, generation, guidance },
});

export default summarization;
export { generation, guidance, judge };
