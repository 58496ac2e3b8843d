import { readFileSync } from "node:fs";
import {
  FactorMetadataSchema,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  isProfilekitError,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import coherenceFactor, { prompt } from "./index.js";

// DESIGN.md section 2: this factor's level and output, the default task sets that list it,
// and the inputs it cannot be measured without.
const design = {
  level: "response",
  output: "rating",
  tasks: ["summarization", "instruction-following", "document-qa"],
  requires: [],
};

const pairs: Pair[] = [
  {
    id: "p1",
    task: "summarization",
    source: "The bridge opened in 1932.",
    prompt: "When did it open?",
    a: "In 1932.",
    b: "1931.",
    label: "a",
  },
  {
    id: "p2",
    task: "summarization",
    source: "The bridge opened in 1932.",
    prompt: "When did it open?",
    a: "It opened.",
    b: "In 1932.",
    label: "b",
  },
];

describe("coherence", () => {
  it("is valid model-extracted factor metadata", () => {
    const metadata = FactorMetadataSchema.parse(coherenceFactor);
    expect(metadata).toMatchObject({ id: "coherence", method: "llm", specificationVersion: 1 });
    expect(metadata.prompt).toEqual(prompt);
  });

  it("has a prompt versioned as coherence@<n>", () => {
    expect(prompt.version).toMatch(/^coherence@[1-9][0-9]*$/);
  });

  it("agrees with DESIGN on level, output, tasks and required inputs", () => {
    expect(coherenceFactor.level).toBe(design.level);
    expect(coherenceFactor.prompt?.output).toBe(design.output);
    expect([...(coherenceFactor.tasks ?? [])].sort()).toEqual([...design.tasks].sort());
    expect([...(coherenceFactor.requires ?? [])].sort()).toEqual([...design.requires].sort());
  });

  it("names the inputs it reads the way the runner presents them", () => {
    expect(prompt.instructions).toContain("the response");
    expect(prompt.instructions).not.toMatch(/response [AB]\b/);
  });

  it("anchors every point of the 1 to 5 scale", () => {
    for (const point of [1, 2, 3, 4, 5]) expect(prompt.instructions).toMatch(new RegExp(`^${point}: `, "m"));
    expect(prompt.instructions).toMatch(/a whole number from 1 to 5/);
  });

  it("throws model_required, with a way to enable a model, when none is configured", async () => {
    const error = await Promise.resolve(coherenceFactor.extract(pairs, { options: {}, seed: 1 })).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isProfilekitError(error) && error.code).toBe("model_required");
    expect(isProfilekitError(error) && error.hint).toMatch(/--extractor openai:gpt-4o-mini/);
  });

  it("hands the pairs to the model extractor and returns its manifestations in order", async () => {
    const seen: { factors: string[]; pairs: readonly Pair[] }[] = [];
    const modelExtractor: ModelFactorExtractor = {
      async extract(factors, given) {
        seen.push({ factors: factors.map((factor) => factor.id), pairs: given });
        const found: Manifestation[] = [
          { pairId: "p2", factor: "coherence", valueA: 0, valueB: 2, sign: -1 },
          { pairId: "p1", factor: "coherence", valueA: 3, valueB: 1, sign: 1 },
        ];
        return new Map([["coherence", found]]);
      },
    };
    const out = await coherenceFactor.extract(pairs, { options: {}, seed: 1, modelExtractor });
    expect(seen).toEqual([{ factors: ["coherence"], pairs }]);
    expect(out.map((m) => [m.pairId, m.sign])).toEqual([
      ["p1", 1],
      ["p2", -1],
    ]);
  });

  it("documents the current prompt word for word in its README and in docs/factors.md", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`## Prompt \`${prompt.version}\``);
    expect(readme).toContain(prompt.instructions);
    const docs = readFileSync(new URL("../../../../docs/factors.md", import.meta.url), "utf8");
    expect(docs).toContain(`Prompt \`${prompt.version}\`:`);
    expect(docs).toContain(prompt.instructions);
  });
});
