import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import misinformationFactor, { prompt } from "./index.js";

describe("misinformation", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(misinformationFactor, {
        id: "misinformation",
        level: "response",
        output: "count",
        tasks: ["instruction-following"],
        requires: [],
        inputs: ["prompt"],
        prompt,
      }),
    ).toEqual([]);
  });

  it("labels each fact of the ledger by world knowledge, and counts the false ones", () => {
    expect(prompt.facts?.label).toEqual({ verdicts: ["not false", "false"], counted: ["false"] });
    expect(prompt.instructions).toMatch(/no source is given/);
  });
});
