import { defineModelFactor } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { fluency, hallucination, helpfulness, pair } from "../__fixtures__/model-factors.js";
import { cutSource, inputsRead, missingInput } from "./inputs.js";

describe("cutSource", () => {
  it("keeps a source within the budget as it is", () => {
    expect(cutSource("abc", 3)).toEqual({ text: "abc", removed: 0 });
  });

  it("keeps the head and says how much was left out", () => {
    expect(cutSource("abcdefghij", 4)).toEqual({
      text: "abcd\n[… the source document is cut here: its first 4 of 10 characters are shown, 6 are left out]",
      removed: 6,
    });
  });

  it("never splits a surrogate pair", () => {
    // "a😀b": the emoji is two UTF-16 units; a cut after 2 units would keep half of it.
    const cut = cutSource("a😀b", 2);
    expect(cut.removed).toBe(3);
    expect(cut.text.startsWith("a\n[…")).toBe(true);
  });
});

describe("inputsRead", () => {
  it("reads what a factor requires or names, and everything for a comparison", () => {
    expect([...inputsRead(fluency)]).toEqual([]);
    expect([...inputsRead(hallucination)]).toEqual(["source"]);
    expect([...inputsRead(helpfulness)].sort()).toEqual(["prompt", "source"]);
    const offFocus = defineModelFactor({
      id: "off-focus",
      title: "Off focus",
      definition: "More peripheral facts.",
      level: "response",
      prompt: {
        version: "off-focus@1",
        output: "count",
        instructions: "The focus is what the prompt asks, or else the main content of the source document.",
      },
    });
    expect([...inputsRead(offFocus)].sort()).toEqual(["prompt", "source"]);
  });

  it("names the first required input a pair lacks", () => {
    expect(missingInput(hallucination, pair("p", "a", "b"))).toBeUndefined();
    expect(missingInput(hallucination, pair("p", "a", "b", { source: "" }))).toBe("source");
    expect(missingInput(helpfulness, pair("p", "a", "b", { prompt: undefined }))).toBe("prompt");
  });
});
