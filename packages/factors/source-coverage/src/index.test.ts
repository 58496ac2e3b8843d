import { readFileSync } from "node:fs";
import { factorPromptDocumentationProblems, modelFactorProblems } from "@profilekit/spec";
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
        prompt,
      }),
    ).toEqual([]);
  });

  it("lists the source's key points before giving the share covered", () => {
    expect(prompt.instructions).toMatch(/from the source document alone and before reading the response/);
    expect(prompt.instructions).toMatch(/each marked covered or not, then give the percentage covered/);
  });

  it("documents the current prompt word for word in its README and in docs/factors.md", () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
    const documents = { readme: read("../README.md"), docs: read("../../../../docs/factors.md") };
    expect(factorPromptDocumentationProblems(prompt, documents)).toEqual([]);
  });
});
