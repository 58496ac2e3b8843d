import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import hallucinationFactor, { prompt } from "./index.js";

describe("hallucination", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(hallucinationFactor, {
        id: "hallucination",
        level: "response",
        output: "count",
        tasks: ["summarization", "document-qa"],
        requires: ["source"],
        inputs: ["source"],
        prompt,
      }),
    ).toEqual([]);
  });

  it("labels each fact of the ledger against the source document, and counts the unsupported ones", () => {
    expect(prompt.facts?.label).toEqual({
      verdicts: ["supported", "not in the source", "contradicted"],
      counted: ["not in the source", "contradicted"],
    });
    for (const verdict of prompt.facts!.label!.verdicts)
      expect(prompt.instructions).toContain(`"${verdict}"`);
    expect(prompt.instructions).toMatch(/source document alone, not your own knowledge/);
  });
});
