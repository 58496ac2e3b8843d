import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PairIdSet } from "./pair-id-set.js";

describe("PairIdSet", () => {
  it("reports exactly the repeats that a Set of strings reports", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), (ids) => {
        const set = new PairIdSet();
        const reference = new Set<string>();
        for (const id of ids) {
          expect(set.add(id)).toBe(!reference.has(id));
          reference.add(id);
        }
        expect(set.size).toBe(reference.size);
      }),
    );
  });

  it("keeps every id through many resizes", () => {
    const set = new PairIdSet();
    for (let i = 0; i < 50_000; i++) expect(set.add(`pair-${i}`)).toBe(true);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(`pair-${i}`)).toBe(false);
    expect(set.size).toBe(50_000);
  });
});
