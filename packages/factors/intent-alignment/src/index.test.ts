import { readFileSync } from "node:fs";
import {
  FactorMetadataSchema,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  isProfilekitError,
} from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import intentAlignmentFactor, { prompt } from "./index.js";

// DESIGN.md section 2: this factor's level and output, the default task sets that list it,
// and the inputs it cannot be measured without.
const design = {
  level: "pair",
  output: "comparison",
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

describe("intent-alignment", () => {
  it("is valid model-extracted factor metadata", () => {
    const metadata = FactorMetadataSchema.parse(intentAlignmentFactor);
    expect(metadata).toMatchObject({ id: "intent-alignment", method: "llm", specificationVersion: 1 });
    expect(metadata.prompt).toEqual(prompt);
  });

  it("has a prompt versioned as intent-alignment@<n>", () => {
    expect(prompt.version).toMatch(/^intent-alignment@[1-9][0-9]*$/);
  });

  it("agrees with DESIGN on level, output, tasks and required inputs", () => {
    expect(intentAlignmentFactor.level).toBe(design.level);
    expect(intentAlignmentFactor.prompt?.output).toBe(design.output);
    expect([...(intentAlignmentFactor.tasks ?? [])].sort()).toEqual([...design.tasks].sort());
    expect([...(intentAlignmentFactor.requires ?? [])].sort()).toEqual([...design.requires].sort());
  });

  it("names the inputs it reads the way the runner presents them", () => {
    expect(prompt.instructions).not.toMatch(/\bthe response\b/);
  });

  it('compares response A with response B and allows "same"', () => {
    for (const answer of ['"a" if response A', '"b" if response B', 'or "same"']) {
      expect(prompt.instructions).toContain(answer);
    }
  });

  it("throws model_required, with a way to enable a model, when none is configured", async () => {
    const error = await Promise.resolve(intentAlignmentFactor.extract(pairs, { options: {}, seed: 1 })).then(
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
          { pairId: "p2", factor: "intent-alignment", valueA: 0, valueB: 2, sign: -1 },
          { pairId: "p1", factor: "intent-alignment", valueA: 3, valueB: 1, sign: 1 },
        ];
        return new Map([["intent-alignment", found]]);
      },
    };
    const out = await intentAlignmentFactor.extract(pairs, { options: {}, seed: 1, modelExtractor });
    expect(seen).toEqual([{ factors: ["intent-alignment"], pairs }]);
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
