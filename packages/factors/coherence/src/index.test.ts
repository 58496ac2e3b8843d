import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import coherenceFactor, { prompt } from "./index.js";

describe("coherence", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(coherenceFactor, {
        id: "coherence",
        level: "response",
        output: "rating",
        tasks: ["summarization", "instruction-following", "document-qa"],
        requires: [],
        inputs: [],
        prompt,
      }),
    ).toEqual([]);
  });

  it("anchors every point of the 1 to 5 scale on how much of the text is affected, not a number of flaws", () => {
    for (const point of [1, 2, 3, 4, 5]) expect(prompt.instructions).toMatch(new RegExp(`^${point}: `, "m"));
    expect(prompt.instructions).toMatch(/a whole number from 1 to 5/);
    expect(prompt.instructions).toMatch(/relative to its length, not how many there are/);
    expect(prompt.instructions).not.toMatch(/one or two/);
  });
});
