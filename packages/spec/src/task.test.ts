import { describe, expect, it } from "vitest";
import { TaskAdapterSchema, judgeChoices, judgeVerdicts } from "./task.js";

describe("TaskAdapterSchema", () => {
  const adapter = {
    specificationVersion: 1,
    id: "t",
    title: "T",
    description: "d",
    factors: ["length"],
    prompts: {},
  };

  it("defaults classicalFactors and presets to empty lists", () => {
    expect(TaskAdapterSchema.parse(adapter)).toMatchObject({ classicalFactors: [], presets: [] });
  });

  it("keeps the classical factors it is given", () => {
    expect(TaskAdapterSchema.parse({ ...adapter, classicalFactors: ["novelty"] }).classicalFactors).toEqual([
      "novelty",
    ]);
    expect(TaskAdapterSchema.safeParse({ ...adapter, classicalFactors: [""] }).success).toBe(false);
  });
});

describe("judge choices", () => {
  it("offer tie only when ties are allowed, and name exactly the verdicts", () => {
    expect(judgeVerdicts(false)).toEqual(["a", "b"]);
    expect(judgeVerdicts(true)).toEqual(["a", "b", "tie"]);
    for (const allowTies of [false, true]) {
      const quoted = Array.from(judgeChoices(allowTies).matchAll(/"([a-z]+)"/g), (m) => m[1]);
      expect([...new Set(quoted)]).toEqual(judgeVerdicts(allowTies));
    }
  });
});
