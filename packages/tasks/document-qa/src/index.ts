import { TaskAdapterSchema } from "@profilekit/spec";
import { generation, guidance, judge } from "./prompts.js";

/** Document-based QA: PROFILE's factor set, its dataset presets and the prompts of the three settings. */
const documentQa = TaskAdapterSchema.parse({
  specificationVersion: 1,
  id: "document-qa",
  title: "Document-based QA",
  description:
    "Answering a question from a source document, in long form. Pairs carry the document as `source` and the question as `prompt`.",
  factors: [
    "length",
    "fluency",
    "coherence",
    "number-of-facts",
    "source-coverage",
    "off-focus",
    "hallucination",
    "intent-alignment",
    "helpfulness",
  ],
  classicalFactors: ["novelty", "source-overlap", "readability", "formality"],
  presets: ["qa-feedback"],
  prompts: { judge, generation, guidance },
});

export default documentQa;
export { generation, guidance, judge };
