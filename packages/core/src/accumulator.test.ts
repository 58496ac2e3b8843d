import { type Label, ProfilekitError, type Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupHash, NULL_SIGN, ProfileAccumulator } from "./accumulator.js";

const codeOf = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProfilekitError);
    return (error as ProfilekitError).code;
  }
  return "no error";
};

/** Everything an accumulator holds, as plain arrays. */
const contents = (accumulator: ProfileAccumulator) => ({
  size: accumulator.size,
  groupCount: accumulator.groupCount,
  preferences: [...accumulator.preferences()],
  groups: [...accumulator.groupIndices()],
  signs: accumulator.factorIds.map((_, f) => [...accumulator.signs(f)]),
});

describe("ProfileAccumulator", () => {
  it("stores labels, group indices and signs, growing past its first capacity", () => {
    const accumulator = new ProfileAccumulator(["x", "y"]);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      accumulator.add(i % 3 === 0 ? "a" : i % 3 === 1 ? "b" : "tie", `group-${i % 7}`, [
        i % 2 === 0 ? 1 : -1,
        i % 5 === 0 ? null : 0,
      ]);
    }
    expect(accumulator.size).toBe(n);
    expect(accumulator.groupCount).toBe(7);
    const preferences = accumulator.preferences();
    const groups = accumulator.groupIndices();
    const x = accumulator.signs(0);
    const y = accumulator.signs(1);
    expect(preferences.length).toBe(n);
    for (const i of [0, 1, 2, 1023, 1024, 4097, n - 1]) {
      expect(preferences[i]).toBe(i % 3 === 0 ? 1 : i % 3 === 1 ? -1 : 0);
      expect(groups[i]).toBe(i % 7); // indices in order of first appearance
      expect(x[i]).toBe(i % 2 === 0 ? 1 : -1);
      expect(y[i]).toBe(i % 5 === 0 ? NULL_SIGN : 0);
    }
  });

  it("refuses a bad label, a wrong number of signs, a bad sign and a repeated factor", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    const code = codeOf;
    expect(code(() => accumulator.add("A" as never, "g", [1]))).toBe("invalid_label");
    expect(code(() => accumulator.add("a", "g", [1, 0]))).toBe("invalid_signs");
    expect(code(() => accumulator.add("a", "g", [2 as never]))).toBe("invalid_sign");
    expect(code(() => accumulator.add("a", "g", [0.5 as never]))).toBe("invalid_sign");
    expect(code(() => new ProfileAccumulator(["x", "y", "x"]))).toBe("duplicate_factor");
    expect(accumulator.size).toBe(0);
  });

  it("holds the same pairs whether they come one by one or in column batches of any size", () => {
    const pair = fc.record({
      label: fc.constantFrom<Label>("a", "b", "tie"),
      group: fc.integer({ min: 0, max: 40 }).map((g) => `g${g}`),
      signs: fc.tuple(fc.constantFrom<Sign>(-1, 0, 1, null), fc.constantFrom<Sign>(-1, 0, 1, null)),
    });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 3000 }), fc.integer({ min: 1, max: 2000 }), (pairs, batch) => {
        const oneByOne = new ProfileAccumulator(["x", "y"]);
        for (const p of pairs) oneByOne.add(p.label, p.group, p.signs);
        const inColumns = new ProfileAccumulator(["x", "y"]);
        for (let start = 0; start < pairs.length; start += batch) {
          const slice = pairs.slice(start, start + batch);
          inColumns.addColumns({
            preferences: Int8Array.from(slice, (p) => (p.label === "a" ? 1 : p.label === "b" ? -1 : 0)),
            groupHashes: Float64Array.from(slice, (p) => groupHash(p.group)),
            signs: [0, 1].map((f) => Int8Array.from(slice, (p) => p.signs[f] ?? NULL_SIGN)),
          });
        }
        expect(contents(inColumns)).toEqual(contents(oneByOne));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses column batches of unequal length and out-of-range codes, adding nothing", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    const batch = (preferences: number[], hashes: number[], signs: number[][]) => () =>
      accumulator.addColumns({
        preferences: Int8Array.from(preferences),
        groupHashes: Float64Array.from(hashes),
        signs: signs.map((column) => Int8Array.from(column)),
      });
    expect(codeOf(batch([1, 0], [1], [[1, 1]]))).toBe("invalid_columns");
    expect(codeOf(batch([1, 0], [1, 2], [[1]]))).toBe("invalid_columns");
    expect(codeOf(batch([1], [1], [[1], [1]]))).toBe("invalid_signs");
    expect(codeOf(batch([2], [1], [[1]]))).toBe("invalid_label");
    expect(codeOf(batch([1], [1], [[3]]))).toBe("invalid_sign");
    expect(codeOf(batch([1], [1], [[-2]]))).toBe("invalid_sign");
    expect(accumulator.size).toBe(0);
    expect(codeOf(batch([1, -1], [5, 5], [[NULL_SIGN, 0]]))).toBe("no error");
    expect(contents(accumulator)).toMatchObject({ size: 2, groupCount: 1, signs: [[NULL_SIGN, 0]] });
  });
});
