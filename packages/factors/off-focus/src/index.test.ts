import { modelFactorProblems } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import offFocusFactor, { prompt } from "./index.js";

describe("off-focus", () => {
  it("conforms as a model-extracted factor with DESIGN's level, output, tasks and required inputs", async () => {
    // DESIGN.md section 2: this factor's level and output, the default task sets that list it,
    // and the inputs it cannot be measured without.
    expect(
      await modelFactorProblems(offFocusFactor, {
        id: "off-focus",
        level: "response",
        output: "count",
        tasks: ["summarization", "document-qa"],
        requires: ["source"],
        inputs: ["source", "prompt"],
        prompt,
      }),
    ).toEqual([]);
  });

  it("labels each fact of the ledger by the main focus, not by how specific it is", () => {
    expect(prompt.facts?.label).toEqual({ verdicts: ["on focus", "off focus"], counted: ["off focus"] });
    expect(prompt.instructions).toMatch(/main focus is the core subject/);
    expect(prompt.instructions).toMatch(/not how specific it is/);
    expect(prompt.instructions).not.toMatch(/secondary names, dates and numbers/);
  });
});
