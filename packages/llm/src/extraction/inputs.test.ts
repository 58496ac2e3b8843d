import { defineModelFactor } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { fluency, hallucination, helpfulness, pair } from "../__fixtures__/model-factors.js";
import { callInputs, cutSource, inputsOf, missingInput } from "./inputs.js";

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

describe("inputs", () => {
  it("reads exactly what a factor's prompt declares, whatever its wording says", () => {
    expect(inputsOf(fluency)).toEqual([]);
    expect(inputsOf(hallucination)).toEqual(["source"]);
    expect(inputsOf(helpfulness)).toEqual(["prompt"]);
    const worded = defineModelFactor({
      id: "worded",
      title: "Worded",
      definition: "d",
      level: "response",
      prompt: {
        version: "worded@1",
        output: "rating",
        instructions: "Unlike the prompt and the source document.",
      },
    });
    expect(inputsOf(worded)).toEqual([]);
  });

  it("shows the union of a call's factors' inputs, the source cut to the budget", () => {
    const p = pair("p", "a", "b", { source: "0123456789" });
    expect(callInputs([fluency], p, 100)).toEqual({ source: undefined, prompt: undefined, removed: 0 });
    expect(callInputs([fluency, hallucination, helpfulness], p, 4)).toMatchObject({
      source: expect.stringMatching(/^0123\n\[… the source document is cut here/),
      prompt: "What does it say?",
      removed: 6,
    });
  });

  it("names the first required input a pair lacks", () => {
    expect(missingInput(hallucination, pair("p", "a", "b"))).toBeUndefined();
    expect(missingInput(hallucination, pair("p", "a", "b", { source: "" }))).toBe("source");
    expect(missingInput(helpfulness, pair("p", "a", "b", { prompt: undefined }))).toBe("prompt");
  });
});
