import { describe, expect, it } from "vitest";
import { isProfilekitError } from "./errors.js";
import type { FactorPlugin, ModelFactorExtractor } from "./factor.js";
import { FactorMetadataSchema } from "./factor.js";
import type { Manifestation } from "./manifestation.js";
import { defineModelFactor } from "./model-factor.js";
import type { Pair } from "./pair.js";

const pair = (id: string): Pair => ({ id, task: "summarization", source: "s", a: "x", b: "y", label: "a" });

const unsupported = defineModelFactor({
  id: "unsupported",
  title: "Unsupported facts",
  definition: "More atomic facts the source does not support.",
  level: "response",
  requires: ["source"],
  prompt: {
    version: "unsupported@1",
    instructions: "List the unsupported facts, then count them.",
    output: "count",
    inputs: ["source"],
  },
});

/** A fake extractor that records its calls and answers from a table. */
function fakeExtractor(answer: (factor: FactorPlugin, pairs: readonly Pair[]) => Manifestation[]) {
  const calls: {
    factors: readonly FactorPlugin[];
    pairs: readonly Pair[];
    signal: AbortSignal | undefined;
  }[] = [];
  const extractor: ModelFactorExtractor = {
    async extract(factors, pairs, options) {
      calls.push({ factors, pairs, signal: options?.signal });
      return new Map(factors.map((factor) => [factor.id, answer(factor, pairs)]));
    },
  };
  return { extractor, calls };
}

const catchError = async (run: () => unknown): Promise<unknown> => {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
};

describe("defineModelFactor", () => {
  it("produces valid llm metadata holding the parsed prompt", () => {
    const metadata = FactorMetadataSchema.parse(unsupported);
    expect(metadata).toMatchObject({ method: "llm", level: "response", specificationVersion: 1 });
    expect(metadata.prompt?.output).toBe("count");
  });

  it("refuses a level that does not fit the output", () => {
    const make = (level: "response" | "pair", output: "count" | "comparison") => () =>
      defineModelFactor({
        id: "x",
        title: "X",
        definition: "d",
        level,
        prompt: { version: "x@1", instructions: "i", output },
      });
    expect(make("pair", "count")).toThrow(/count, which is measured at level "response"/);
    expect(make("response", "comparison")).toThrow(/comparison, which is measured at level "pair"/);
    expect(make("pair", "comparison")).not.toThrow();
  });

  it("refuses a prompt that is not valid data", () => {
    expect(() =>
      defineModelFactor({
        id: "x",
        title: "X",
        definition: "d",
        level: "response",
        prompt: { version: "", instructions: "i", output: "count" },
      }),
    ).toThrow();
  });

  it("throws model_required, with a hint, when no extractor is configured", async () => {
    const error = await catchError(() => unsupported.extract([pair("1")], { options: {}, seed: 0 }));
    expect(isProfilekitError(error)).toBe(true);
    if (!isProfilekitError(error)) return;
    expect(error.code).toBe("model_required");
    expect(error.location).toEqual({ factor: "unsupported" });
    expect(error.hint).toContain("--extractor openai:gpt-4o-mini");
    expect(error.hint).toContain("OPENAI_BASE_URL");
  });

  it("hands itself, the pairs and the signal to the extractor, and returns its manifestations", async () => {
    const { extractor, calls } = fakeExtractor((factor, pairs) =>
      pairs.map((p, i) => ({
        pairId: p.id,
        factor: factor.id,
        valueA: i,
        valueB: 1,
        sign: i === 0 ? -1 : 0,
      })),
    );
    const pairs = [pair("1"), pair("2")];
    const signal = new AbortController().signal;
    const out = await unsupported.extract(pairs, { options: {}, seed: 0, modelExtractor: extractor, signal });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.factors).toEqual([unsupported]);
    expect(calls[0]?.pairs).toBe(pairs);
    expect(calls[0]?.signal).toBe(signal);
    expect(out).toEqual([
      { pairId: "1", factor: "unsupported", valueA: 0, valueB: 1, sign: -1 },
      { pairId: "2", factor: "unsupported", valueA: 1, valueB: 1, sign: 0 },
    ]);
  });

  it("returns the pairs' order, and a null sign with an error for a pair the extractor skipped", async () => {
    const { extractor } = fakeExtractor((factor) => [{ pairId: "3", factor: factor.id, sign: 1 }]);
    const out = await unsupported.extract([pair("1"), pair("3")], {
      options: {},
      seed: 0,
      modelExtractor: extractor,
    });
    expect(out.map((m) => [m.pairId, m.sign])).toEqual([
      ["1", null],
      ["3", 1],
    ]);
    expect(out[0]?.error).toMatch(/no "unsupported" value/);
  });
});

describe("model factor prompts", () => {
  const make = (prompt: Record<string, unknown>, requires?: ("source" | "prompt")[]) => () =>
    defineModelFactor({
      id: "x",
      title: "X",
      definition: "d",
      level: "response",
      ...(requires ? { requires } : {}),
      prompt: { version: "x@1", instructions: "i", output: "count", ...prompt } as never,
    });

  it("refuses a required input the prompt does not declare it reads", () => {
    expect(make({}, ["source"])).toThrow(/requires the source, and its prompt does not declare it/);
    expect(make({ inputs: ["prompt"] }, ["source"])).toThrow(/requires the source/);
    expect(make({ inputs: ["source", "prompt"] }, ["source"])).not.toThrow();
  });

  it("needs a checklist on a percentage prompt and nowhere else", () => {
    expect(make({ output: "percentage" })).toThrow(/how to draw up its checklist/);
    expect(make({ output: "percentage", checklist: "List the key points." })).toThrow(/reads an input/);
    const percentage = { output: "percentage", checklist: "List the key points.", inputs: ["source"] };
    expect(make(percentage)).not.toThrow();
    expect(make({ checklist: "List the key points." })).toThrow(/only a percentage prompt has a checklist/);
  });

  it("reads a count off the fact ledger only when the verdicts make sense", () => {
    expect(make({ facts: {} })).not.toThrow();
    const label = (verdicts: string[], counted: string[]) =>
      make({ facts: { label: { verdicts, counted } } });
    expect(label(["kept", "counted"], ["counted"])).not.toThrow();
    expect(label(["kept", "counted"], ["other"])).toThrow(
      /counted verdict .*other.* is not one of the verdicts/,
    );
    expect(label(["kept", "counted"], ["kept", "counted"])).toThrow(/every verdict counts/);
    expect(label(["same", "same"], ["same"])).toThrow(/listed twice/);
    expect(make({ output: "rating", facts: {} })).toThrow(/only a count prompt/);
    expect(make({ inputs: ["source", "source"] })).toThrow(/an input is listed twice/);
  });
});
