import { defineResponseFactor } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { factorGuidance } from "./guidance.js";

const factor = (id: string, title: string, definition: string) =>
  defineResponseFactor({ id, title, definition, measure: (text) => text.length });
const factors = [
  factor("length", "Length", "More = more words."),
  factor("coverage", "Coverage", "More = more of the source's key points."),
  factor("hallucination", "Hallucination", "More = more unsupported facts."),
  factor("fluency", "Fluency", "More = easier to read."),
  factor("novelty", "Novelty", "More = more new bigrams."),
];
const scores = (entries: Record<string, number | null>) => ({
  factors: Object.entries(entries).map(([f, tau]) => ({ factor: f, tau })),
});

describe("factorGuidance", () => {
  const human = scores({ length: 0.1, coverage: 0.6, hallucination: -0.5, fluency: 0.3, novelty: null });

  it("names the human profile's strongest factors with their signs, strongest first", () => {
    const guidance = factorGuidance(human, undefined, factors, 3);
    expect(guidance.lines.map((l) => [l.factor, l.reason])).toEqual([
      ["coverage", "strong"],
      ["hallucination", "strong"],
      ["fluency", "strong"],
    ]);
    expect(guidance.lines[0]!.text).toMatch(
      /^More coverage \(coverage: More = more of the source's key points\) makes a response better .*\+0\.60/,
    );
    expect(guidance.lines[1]!.text).toMatch(/^Less hallucination .*−0\.50/);
    expect(guidance.text.split("\n")).toHaveLength(3);
    expect(guidance.text.startsWith("- More coverage")).toBe(true);
  });

  it("tells the model not to chase a factor its own writing weighs the other way", () => {
    // The model writes longer and with more unsupported facts at higher levels; people prefer fewer facts unsupported.
    const generation = scores({ length: 0.9, coverage: 0.4, hallucination: 0.3, fluency: -0.2 });
    const guidance = factorGuidance(human, generation, factors, 2);
    expect(guidance.lines.map((l) => [l.factor, l.reason])).toEqual([
      ["coverage", "strong"],
      ["hallucination", "opposite"],
      ["fluency", "opposite"],
    ]);
    const [, hallucination, fluency] = guidance.lines;
    expect(hallucination!.text).toMatch(
      /^Do not add hallucination .* to reach a higher score: careful readers prefer less of it/,
    );
    expect(hallucination!.generation).toBe(0.3);
    expect(fluency!.text).toMatch(/^Do not cut fluency .* careful readers prefer more of it/);
    // length: same sign in both (people weigh it a little, the model a lot), so no line: only signs decide.
    expect(guidance.lines.some((l) => l.factor === "length")).toBe(false);
  });

  it("leaves out factors without a score, unknown factors, and zero scores", () => {
    const guidance = factorGuidance(
      scores({ novelty: null, unknown: 0.9, length: 0, coverage: 0.2 }),
      scores({ coverage: -0.1, length: 0.5 }),
      factors,
      5,
    );
    expect(guidance.lines.map((l) => l.factor)).toEqual(["coverage"]);
    expect(guidance.lines[0]!.reason).toBe("opposite");
  });

  it("never leaves a placeholder in the text", () => {
    const braces = [factor("length", "Length {{level}}", "More = {{words}}.")];
    expect(factorGuidance(scores({ length: 0.5 }), undefined, braces, 1).text).not.toContain("{{");
  });
});
