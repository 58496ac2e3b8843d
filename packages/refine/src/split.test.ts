import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitInputs } from "./split.js";

const ids = (n: number, prefix = "input") => Array.from({ length: n }, (_, i) => `${prefix}:${i}`);

describe("splitInputs", () => {
  it("puts about the share asked for on the held-out side", () => {
    const split = splitInputs(ids(4000), 7, 0.2);
    expect(split.train.length + split.heldOut.length).toBe(4000);
    // Binomial(4000, 0.2): sd about 25; 5 sd either side.
    expect(Math.abs(split.heldOut.length - 800)).toBeLessThan(130);
  });

  it("decides each input by the seed and its id alone: order and other inputs do not move it", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.integer({ min: 20, max: 200 }), fc.nat(), (seed, n, shift) => {
        const all = ids(n);
        const rotated = [...all.slice(shift % n), ...all.slice(0, shift % n)];
        const a = splitInputs(all, seed, 0.5);
        const b = splitInputs([...rotated, ...ids(10, "extra")], seed, 0.5);
        const heldOutB = new Set(b.heldOut);
        for (const id of all) expect(heldOutB.has(id)).toBe(a.heldOut.includes(id));
      }),
      { numRuns: 30 },
    );
  });

  it("gives another split for another seed, and the same for the same one", () => {
    const all = ids(200);
    expect(splitInputs(all, 1, 0.3)).toEqual(splitInputs(all, 1, 0.3));
    expect(splitInputs(all, 1, 0.3).heldOut).not.toEqual(splitInputs(all, 2, 0.3).heldOut);
  });

  it("refuses a split that leaves a side empty", () => {
    expect(() => splitInputs(["input:0"], 1, 0.2)).toThrow(
      expect.objectContaining({ code: "invalid_split" }),
    );
  });
});
