import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import helpfulnessFactor, { prompt } from "./index.js";

describe("helpfulness", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(helpfulnessFactor, {
        id: "helpfulness",
        level: "pair",
        output: "comparison",
        tasks: ["instruction-following", "document-qa"],
        requires: ["prompt"],
        inputs: ["source", "prompt"],
        prompt,
      }),
    ).toEqual([]);
  });

  it('compares response A with response B and allows "same"', () => {
    for (const answer of ['"a" if response A', '"b" if response B', 'or "same"']) {
      expect(prompt.instructions).toContain(answer);
    }
  });
});
