import { readFileSync } from "node:fs";
import { factorPromptDocumentationProblems, modelFactorProblems } from "@profilekit/spec";
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
        prompt,
      }),
    ).toEqual([]);
  });

  it("asks for the atomic facts it counts, then their number", () => {
    expect(prompt.instructions).toMatch(/atomic fact is a short statement/);
    expect(prompt.instructions).toMatch(/\blist (every|each) [^.]*atomic fact/i);
    expect(prompt.instructions).toMatch(/then give the count, which equals the number of items listed/);
  });

  it("documents the current prompt word for word in its README and in docs/factors.md", () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
    const documents = { readme: read("../README.md"), docs: read("../../../../docs/factors.md") };
    expect(factorPromptDocumentationProblems(prompt, documents)).toEqual([]);
  });
});
