import type { FactorPrompt } from "@profilekit/spec";

/** What the model is asked for hallucination. Data: any change to it needs a new version. */
export const prompt = {
  version: "hallucination@2",
  output: "count",
  inputs: ["source"],
  facts: {
    label: {
      verdicts: ["supported", "not in the source", "contradicted"],
      counted: ["not in the source", "contradicted"],
    },
  },
  instructions: `Label each atomic fact of the response by whether the source document supports it. "supported": the source document states it, or it follows plainly from what the source document states; a faithful paraphrase is supported. "contradicted": the source document states otherwise. "not in the source": the source document neither states nor plainly implies it, even if it is true in the world. Use the source document alone, not your own knowledge, and judge support only, not importance or focus. The count is the number of facts labelled "not in the source" or "contradicted".`,
} satisfies FactorPrompt;
