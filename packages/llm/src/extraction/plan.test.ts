import { defineModelFactor, type Pair } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import type { EstimateRequest, ModelClient } from "../client.js";
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
const named = (requests: readonly EstimateRequest[], name: string) =>
  requests.filter((request) => "schemaName" in request && request.schemaName === name);

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

const coverage = defineModelFactor({
  id: "coverage",
  title: "Coverage",
  definition: "Covers more.",
  level: "response",
  prompt: {
    version: "coverage@1",
    instructions: "Mark the points the response covers.",
    output: "percentage",
    inputs: ["prompt"],
    checklist: "List the points the prompt asks for.",
  },
});

describe("planExtraction", () => {
  it("lists one reading per distinct response and one call per pair and order, and calls nothing", async () => {
    // Pair p2 shares its a with p1: read once.
    const shared = [...pairs, { ...pairs[0]!, id: "p4", b: "b4" }];
    const both = await planExtraction({ client: untouchable }, [rating, comparison], shared);
    const readings = named(both, "response_reading");
    expect(readings).toHaveLength(7);
    expect(named(both, "pair_reading")).toHaveLength(shared.length * 2);
    const one = await planExtraction(
      { client: untouchable, bothOrders: false },
      [rating, comparison],
      shared,
    );
    expect(one).toHaveLength(7 + shared.length);
    expect(both.every((request) => request.stage === "extract")).toBe(true);
  });

  it("plans the calls that depend on an answer: a response read against its input's checklist", async () => {
    const calls = await planExtraction({ client: untouchable }, [coverage], pairs);
    expect(named(calls, "checklist")).toHaveLength(1);
    const readings = named(calls, "response_reading");
    expect(readings).toHaveLength(6);
    expect(readings[0]!.messages.map((message) => message.content).join("\n")).toContain("item_3: …");
  });

  it("lists a call per factor and distinct response in per-factor mode, and per pair and order in pair-joint", async () => {
    const perFactor = await planExtraction(
      { client: untouchable, mode: "per-factor" },
      [rating, comparison],
      pairs,
    );
    expect(perFactor).toHaveLength(6 + pairs.length * 2);
    const pairJoint = await planExtraction(
      { client: untouchable, mode: "pair-joint" },
      [rating, comparison],
      pairs,
    );
    expect(pairJoint).toHaveLength(pairs.length * 2);
  });
});
