import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FactorMetadataSchema, definePairFactor, defineResponseFactor } from "./factor.js";
import type { Pair } from "./pair.js";
import { PairSchema } from "./pair.js";

const pair = (id: string, a: string, b: string): Pair => ({ id, task: "t", a, b, label: "a" });

describe("defineResponseFactor", () => {
  const words = defineResponseFactor({
    id: "word-count",
    title: "Words",
    definition: "More words.",
    measure: (text) => text.split(/\s+/).filter(Boolean).length,
  });

  it("produces a valid rule/response plugin", () => {
    expect(FactorMetadataSchema.parse(words).method).toBe("rule");
    expect(words.level).toBe("response");
  });

  it("gives sign(f(a) - f(b)) with both values", async () => {
    const out = await words.extract([pair("1", "x y z", "x"), pair("2", "x", "x y"), pair("3", "a", "b")], {
      options: {},
      seed: 1,
    });
    expect(out.map((m) => m.sign)).toEqual([1, -1, 0]);
    expect(out[0]).toMatchObject({ pairId: "1", factor: "word-count", valueA: 3, valueB: 1 });
  });

  it("turns a null measure or a throw into a null sign with an error", async () => {
    const picky = defineResponseFactor({
      id: "picky",
      title: "Picky",
      definition: "d",
      options: z.object({ limit: z.number() }),
      measure: (text, { options }) => {
        if (text === "boom") throw new Error("cannot read boom");
        return text.length > options.limit ? null : text.length;
      },
    });
    const out = await picky.extract([pair("1", "toolong", "x"), pair("2", "boom", "x")], {
      options: { limit: 3 },
      seed: 1,
    });
    expect(out[0]?.sign).toBeNull();
    expect(out[0]?.error).toMatch(/response a/);
    expect(out[1]).toMatchObject({ sign: null, error: "cannot read boom" });
  });

  it("runs prepare once per pair", async () => {
    let calls = 0;
    const f = defineResponseFactor({
      id: "prep",
      title: "P",
      definition: "d",
      prepare: () => ++calls,
      measure: (_text, { prepared }) => prepared,
    });
    await f.extract([pair("1", "a", "b"), pair("2", "a", "b")], { options: {}, seed: 0 });
    expect(calls).toBe(2);
  });
});

describe("definePairFactor", () => {
  it("passes the comparison through", async () => {
    const f = definePairFactor({
      id: "first-longer",
      title: "First longer",
      definition: "d",
      compare: (p) => ({ sign: p.a.length > p.b.length ? 1 : -1 }),
    });
    expect(f.level).toBe("pair");
    const out = await f.extract([pair("1", "aaa", "b")], { options: {}, seed: 0 });
    expect(out[0]).toEqual({ pairId: "1", factor: "first-longer", sign: 1 });
  });
});

describe("schemas", () => {
  it("rejects a pair with an unknown label and names the field", () => {
    const result = PairSchema.safeParse({ id: "x", task: "t", a: "", b: "", label: "maybe" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["label"]);
  });
  it("rejects a factor id that is not kebab-case", () => {
    expect(() =>
      FactorMetadataSchema.parse({
        specificationVersion: 1,
        id: "Bad_Id",
        title: "t",
        definition: "d",
        method: "rule",
        level: "response",
      }),
    ).toThrow(/kebab-case/);
  });
});
