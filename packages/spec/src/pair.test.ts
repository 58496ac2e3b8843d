import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ClusterLevelSchema, PairSchema, parseCommonPair } from "./pair.js";

/** A field value of any JSON type, strings most often (as real records have them). */
const jsonValue = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom("a", "b", "tie", "A", "") },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)) },
  {
    weight: 1,
    arbitrary: fc.oneof(fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string())),
  },
);
const key = fc.constantFrom(
  "id",
  "task",
  "source",
  "prompt",
  "a",
  "b",
  "label",
  "group",
  "meta",
  "extra",
  "__proto__",
);
/** Records built from shuffled key subsets, so key order, absent keys and extra keys all vary. */
const record = fc.array(fc.tuple(key, jsonValue), { maxLength: 11 }).map((entries) => {
  const value: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(value, k, { value: v, enumerable: true, configurable: true, writable: true });
  return value;
});
/** Records that are valid pairs, with fields in random order. */
const validRecord = fc
  .record(
    {
      id: fc.string({ minLength: 1, maxLength: 4 }),
      task: fc.string({ minLength: 1, maxLength: 4 }),
      source: fc.string({ maxLength: 4 }),
      prompt: fc.string({ maxLength: 4 }),
      a: fc.string({ maxLength: 4 }),
      b: fc.string({ maxLength: 4 }),
      label: fc.constantFrom("a", "b", "tie"),
      group: fc.string({ minLength: 1, maxLength: 4 }),
      extra: jsonValue,
    },
    { requiredKeys: ["id", "task", "a", "b", "label"] },
  )
  .chain((value) => fc.shuffledSubarray(Object.entries(value), { minLength: Object.keys(value).length }))
  .map((entries) => Object.fromEntries(entries));

describe("parseCommonPair", () => {
  it("gives exactly what PairSchema gives, key order included, or leaves the record to PairSchema", () => {
    const agrees = (value: unknown) => {
      const quick = parseCommonPair(value);
      if (quick === undefined) return false;
      const parsed = PairSchema.safeParse(value);
      expect(parsed.success).toBe(true);
      expect(JSON.stringify(quick)).toBe(JSON.stringify(parsed.data));
      expect(quick).toStrictEqual(parsed.data);
      return true;
    };
    fc.assert(
      fc.property(record, (value) => {
        agrees(value);
      }),
      { numRuns: 3000 },
    );
    // Every valid record without meta takes the fast path, whatever its key order and extra keys.
    fc.assert(
      fc.property(validRecord, (value) => {
        expect(agrees(value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for common records, and leaves meta, empty ids and wrong types to the schema", () => {
    const common = { label: "b", b: "y", a: "x", task: "t", id: "1", prompt: "p", other: 1 };
    expect(parseCommonPair(common)).toStrictEqual({
      id: "1",
      task: "t",
      prompt: "p",
      a: "x",
      b: "y",
      label: "b",
    });
    expect(Object.keys(parseCommonPair(common)!)).toEqual(["id", "task", "prompt", "a", "b", "label"]);
    for (const uncommon of [
      { ...common, meta: {} },
      { ...common, id: "" },
      { ...common, group: "" },
      { ...common, source: 3 },
      { ...common, prompt: undefined },
      { ...common, label: "maybe" },
      [common],
      null,
      "text",
    ]) {
      expect(parseCommonPair(uncommon)).toBeUndefined();
    }
  });
});

describe("ClusterLevelSchema", () => {
  it("accepts the named levels and meta.<key>, nothing else", () => {
    for (const level of ["auto", "source", "prompt", "source+prompt", "pair", "group", "meta.scenario"]) {
      expect(ClusterLevelSchema.parse(level)).toBe(level);
    }
    for (const level of ["meta.", "Source", "document", "", "source + prompt"]) {
      expect(ClusterLevelSchema.safeParse(level).success).toBe(false);
    }
  });
});
