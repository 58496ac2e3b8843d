import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import sourceCoverageFactor, { prompt } from "./index.js";

describe("source-coverage", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(sourceCoverageFactor, {
        id: "source-coverage",
        level: "response",
        output: "percentage",
        tasks: ["summarization", "document-qa"],
        requires: ["source"],
        inputs: ["source", "prompt"],
        prompt,
      }),
    ).toEqual([]);
  });

  it("draws up the key points once per source and question, then marks each response against them", () => {
    expect(prompt.checklist).toMatch(/^List the key points of the source document/);
    expect(prompt.checklist).toMatch(/no response is shown/);
    expect(prompt.instructions).toMatch(/as listed in the checklist/);
  });
});
