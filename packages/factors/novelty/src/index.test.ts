import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import noveltyFactor from "./index.js";

const context = { options: {}, seed: 0 };
const pair = (a: string, b: string, inputs: Pick<Pair, "source" | "prompt">): Pair => ({
  id: "p",
  task: "t",
  a,
  b,
  label: "a",
  ...inputs,
});
const measure = async (p: Pair) => (await noveltyFactor.extract([p], context))[0]!;

describe("novelty factor", () => {
  it("is a valid rule/response plugin without options", () => {
    expect(FactorMetadataSchema.parse(noveltyFactor)).toMatchObject({ id: "novelty", method: "rule" });
    expect(noveltyFactor.options).toBeUndefined();
  });

  it("gives the share of response bigrams absent from the source", async () => {
    // source bigrams: the·cat cat·sat sat·on on·the the·mat
    // a: the·cat cat·lay lay·on on·the the·mat -> cat·lay and lay·on are new: 2/5
    // b: the same five as the source (case and punctuation ignored): 0/5
    const m = await measure(
      pair("The cat lay on the mat.", "the CAT sat on the mat!", { source: "The cat sat on the mat." }),
    );
    expect(m).toMatchObject({ valueA: 0.4, valueB: 0, sign: 1 });
  });

  it("measures against the prompt when there is no source", async () => {
    // prompt bigrams: what·is is·the the·capital capital·of of·france
    // a: the·capital capital·of of·france france·is is·paris -> 2/5 new
    // b: "Paris is it" -> paris·is is·it, both new: 2/2
    const m = await measure(
      pair("The capital of France is Paris.", "Paris is it", { prompt: "What is the capital of France?" }),
    );
    expect(m).toMatchObject({ valueA: 0.4, valueB: 1, sign: -1 });
  });

  it("uses source and prompt as separate texts, with no bigram across them", async () => {
    // seen: alpha·beta beta·gamma (source), delta·epsilon (prompt); never gamma·delta.
    // a: beta·gamma gamma·delta delta·epsilon -> 1/3; b: alpha·beta -> 0
    const m = await measure(
      pair("beta gamma delta epsilon", "alpha beta", { source: "alpha beta gamma", prompt: "delta epsilon" }),
    );
    expect(m.valueA).toBeCloseTo(1 / 3, 12);
    expect(m).toMatchObject({ valueB: 0, sign: 1 });
  });

  it("counts distinct bigrams (a set), not occurrences", async () => {
    // a: the·cat ×3, cat·the ×2 -> set {the·cat, cat·the}, cat·the is new: 1/2 (occurrences would give 2/5)
    const m = await measure(pair("the cat the cat the cat", "the cat", { source: "the cat" }));
    expect(m).toMatchObject({ valueA: 0.5, valueB: 0, sign: 1 });
  });

  it("is null for a response without a bigram, and for a pair with neither source nor prompt", async () => {
    const oneWord = await measure(pair("Yes.", "No, thanks", { source: "Say yes or no." }));
    expect(oneWord).toMatchObject({ valueA: null, sign: null });
    expect(oneWord.error).toMatch(/response a/);
    for (const inputs of [{}, { source: "  ", prompt: "" }]) {
      const m = await measure(pair("one two", "three four", inputs));
      expect(m.sign).toBeNull();
      expect(m.error).toBe("novelty needs a source or a prompt, and this pair has neither");
    }
  });

  it("is 0 for a response copied from the source and lies in [0, 1]", async () => {
    const text = fc.string({
      unit: fc.constantFrom("a", "b", "c", " ", ".", "B"),
      minLength: 1,
      maxLength: 40,
    });
    await fc.assert(
      fc.asyncProperty(text, text, async (source, other) => {
        fc.pre(source.trim() !== "");
        const m = await measure(pair(source, other, { source }));
        if (m.valueA !== null) expect(m.valueA).toBe(0);
        if (m.valueB !== null) expect(m.valueB! >= 0 && m.valueB! <= 1).toBe(true);
      }),
    );
  });
});
