import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalHash, canonicalJson } from "./canonical-json.js";

/** The same value with its object keys in another order, at every depth. */
function shuffled(value: unknown, flip: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffled(item, flip));
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value);
  if (flip) entries.reverse();
  return Object.fromEntries(entries.map(([key, inner]) => [key, shuffled(inner, !flip)]));
}

describe("canonicalJson", () => {
  it("gives the same text whatever the key order, and parses back to the same value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(shuffled(value, true))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it("sorts keys, drops undefined members and writes undefined array items as null", () => {
    expect(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: "x" }] })).toBe(
      '{"a":[null,{"c":"x"}],"b":1}',
    );
  });

  it("refuses numbers without a JSON form", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/no JSON form/);
  });

  it("hashes the canonical text with sha256", () => {
    const expected = createHash("sha256").update('{"a":1,"b":[2,3]}').digest("hex");
    expect(canonicalHash({ b: [2, 3], a: 1 })).toBe(expected);
  });

  it("a frozen value gives the same text as an unfrozen copy", () => {
    const value = Object.freeze({ z: Object.freeze([1, 2]), y: "v" });
    expect(canonicalJson(value)).toBe(canonicalJson({ y: "v", z: [1, 2] }));
    expect(canonicalJson(value)).toBe(canonicalJson(value));
  });
});
