import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import fluencyFactor, { prompt } from "./index.js";

describe("fluency", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(fluencyFactor, {
        id: "fluency",
        level: "response",
        output: "rating",
        tasks: ["summarization", "instruction-following", "document-qa"],
        requires: [],
        inputs: [],
        prompt,
      }),
    ).toEqual([]);
  });

  it("anchors every point of the 1 to 5 scale on a share of sentences, not a number of errors", () => {
    for (const point of [1, 2, 3, 4, 5]) expect(prompt.instructions).toMatch(new RegExp(`^${point}: `, "m"));
    expect(prompt.instructions).toMatch(/a whole number from 1 to 5/);
    expect(prompt.instructions).toMatch(/share of sentences that have a problem, not the number of problems/);
    expect(prompt.instructions).not.toMatch(/one or two/);
  });
});
