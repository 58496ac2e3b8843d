import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import sourceOverlapFactor from "./index.js";

const context = { options: {}, seed: 0 };
const pair = (a: string, b: string, source?: string): Pair => ({
  id: "p",
  task: "summarization",
  a,
  b,
  label: "a",
  ...(source === undefined ? {} : { source }),
});
const measure = async (p: Pair) => (await sourceOverlapFactor.extract([p], context))[0]!;
const SOURCE = "The quick brown fox jumps over the lazy dog.";

describe("source-overlap factor", () => {
  it("is a valid rule/response plugin that requires a source", () => {
    expect(FactorMetadataSchema.parse(sourceOverlapFactor)).toMatchObject({
      id: "source-overlap",
      requires: ["source"],
    });
  });

  it("gives the share of the source's content words used by the response", async () => {
    // source content words: quick brown fox jumps lazy dog (6; "the", "over" are stopwords)
    // a "A fox and a dog.": fox, dog -> 2/6
    // b: brown fox lazy dog -> 4/6 ("jumped" is not "jumps": no stemming)
    const m = await measure(pair("A fox and a dog.", "The brown fox jumped over a lazy dog", SOURCE));
    expect(m.valueA).toBeCloseTo(2 / 6, 12);
    expect(m.valueB).toBeCloseTo(4 / 6, 12);
    expect(m.sign).toBe(-1);
  });

  it("counts source word types once and ignores case", async () => {
    // source types {dog, cat}; a has DOG -> 1/2; b has neither -> 0
    const m = await measure(pair("DOG dog dog", "a bird", "dog dog cat"));
    expect(m).toMatchObject({ valueA: 0.5, valueB: 0, sign: 1 });
  });

  it("measures an empty response as 0", async () => {
    expect(await measure(pair("", "fox", SOURCE))).toMatchObject({ valueA: 0, valueB: 1 / 6, sign: -1 });
  });

  it("is null without a source, or with a source of stopwords only", async () => {
    const none = await measure(pair("fox", "dog"));
    expect(none).toMatchObject({
      sign: null,
      error: "source-overlap needs a source, and this pair has none",
    });
    const stopwordsOnly = await measure(pair("fox", "dog", "It is what it is."));
    expect(stopwordsOnly).toMatchObject({
      sign: null,
      error: "source-overlap: the source has no content words",
    });
  });

  it("is 1 for the source itself and never drops when the response grows", async () => {
    const text = fc.string({
      unit: fc.constantFrom("fox", "dog", "the", "Cat", " ", ".", "over"),
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(text, text, text, async (source, response, extra) => {
        fc.pre(/fox|dog|cat/i.test(source));
        const m = await measure(pair(source, `${response} ${extra}`, source));
        const shorter = await measure(pair(response, response, source));
        expect(m.valueA).toBe(1);
        expect(m.valueB!).toBeGreaterThanOrEqual(shorter.valueA!);
      }),
    );
  });
});
