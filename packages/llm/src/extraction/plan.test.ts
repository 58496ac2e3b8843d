import { defineModelFactor, type Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import type { ModelClient } from "../client.js";
import { planExtraction } from "./plan.js";

const rating = defineModelFactor({
  id: "clarity",
  title: "Clarity",
  definition: "Clearer.",
  level: "response",
  prompt: { version: "clarity@1", instructions: "Rate how clear the response is.", output: "rating" },
});
const comparison = defineModelFactor({
  id: "usefulness",
  title: "Usefulness",
  definition: "More useful.",
  level: "pair",
  prompt: { version: "usefulness@1", instructions: "Which response is more useful?", output: "comparison" },
});
const pairs: Pair[] = [1, 2, 3].map((n) => ({
  id: `p${n}`,
  task: "t",
  prompt: "q",
  a: `a${n}`,
  b: `b${n}`,
  label: "a",
}));

/** A client that fails the test if anything reaches it. */
const untouchable = {
  generateObject: () => {
    throw new Error("a planned extraction must not call the model");
  },
} as unknown as ModelClient;

describe("planExtraction", () => {
  it("lists one joint call per pair and order, and calls nothing", async () => {
    const both = await planExtraction({ client: untouchable }, [rating, comparison], pairs);
    expect(both).toHaveLength(pairs.length * 2);
    const one = await planExtraction({ client: untouchable, bothOrders: false }, [rating, comparison], pairs);
    expect(one).toHaveLength(pairs.length);
    expect(both.every((request) => request.stage === "extract")).toBe(true);
  });

  it("lists factors x 2 calls per pair in per-factor mode", async () => {
    const calls = await planExtraction(
      { client: untouchable, mode: "per-factor" },
      [rating, comparison],
      pairs,
    );
    expect(calls).toHaveLength(pairs.length * 2 * 2);
  });
});
