import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countCodePoints } from "./code-point-count.js";

describe("countCodePoints", () => {
  it("counts code points, not UTF-16 units or graphemes (hand-counted)", () => {
    expect(countCodePoints("")).toBe(0);
    expect(countCodePoints("abc")).toBe(3);
    // h é l l o, space, 👋 (U+1F44B, two UTF-16 units) = 7 code points; .length is 8.
    expect(countCodePoints("héllo 👋")).toBe(7);
    // e + combining acute accent: one grapheme, two code points.
    expect(countCodePoints("e\u0301")).toBe(2);
    // A lone high surrogate, then a pair, then a lone low surrogate: 3.
    expect(countCodePoints("\ud800\ud83d\udc4b\udc00")).toBe(3);
  });

  it("agrees with [...text].length on arbitrary UTF-16 strings", () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(codeUnit, surrogate), maxLength: 60 }), (text) => {
        expect(countCodePoints(text)).toBe([...text].length);
      }),
      { numRuns: 5000 },
    );
  });
});
