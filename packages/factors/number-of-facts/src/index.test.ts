import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import numberOfFactsFactor, { prompt } from "./index.js";

describe("number-of-facts", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(numberOfFactsFactor, {
        id: "number-of-facts",
        level: "response",
        output: "count",
        tasks: ["summarization", "instruction-following", "document-qa"],
        requires: [],
        inputs: [],
        prompt,
      }),
    ).toEqual([]);
  });

  it("counts every fact of the response's fact ledger", () => {
    expect(prompt.facts).toEqual({});
    expect(prompt.instructions).toMatch(/every atomic fact listed counts/);
  });
});
