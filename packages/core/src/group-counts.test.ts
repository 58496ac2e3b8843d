import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupHash, ProfileAccumulator } from "./accumulator.js";
import { countTableOf, type GroupCounts, GroupCountsSchema, groupCountsOf } from "./group-counts.js";
import { computeProfile, profileFromGroupCounts } from "./profile.js";

const labelArbitrary = fc.constantFrom<Label>("a", "b", "tie");
const signArbitrary = fc.constantFrom<Sign>(-1, 0, 1, null);
const rowArbitrary = (factors: number, groups: number) =>
  fc.record({
    label: labelArbitrary,
    group: fc.nat({ max: groups - 1 }),
    signs: fc.array(signArbitrary, { minLength: factors, maxLength: factors }),
  });

function accumulate(rows: readonly { label: Label; group: number; signs: Sign[] }[], factors: number) {
  const accumulator = new ProfileAccumulator(Array.from({ length: factors }, (_, f) => `f${f}`));
  for (const row of rows) accumulator.add(row.label, `group-${row.group}`, row.signs);
  return accumulator;
}

describe("group counts", () => {
  it("re-draw the profile they were taken from, byte for byte, after a JSON round trip", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 3 })
          .chain((factors) =>
            fc.tuple(
              fc.constant(factors),
              fc.array(rowArbitrary(factors, 45), { minLength: 1, maxLength: 200 }),
              fc.nat({ max: 1000 }),
            ),
          ),
        ([factors, rows, seed]) => {
          const accumulator = accumulate(rows, factors);
          const options = { bootstrap: 50, permutations: 99, seed, clusterLevel: "group" };
          const written = JSON.stringify(groupCountsOf(accumulator, { clusterLevel: "group" }));
          const read = GroupCountsSchema.parse(JSON.parse(written));
          expect(
            JSON.stringify(profileFromGroupCounts(read, { bootstrap: 50, permutations: 99, seed })),
          ).toBe(JSON.stringify(computeProfile(accumulator, options)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("hold per group the key hash and the five counts, in order of first appearance", () => {
    const accumulator = new ProfileAccumulator(["x", "y"]);
    accumulator.add("a", "second", [1, null]); // x: C; y: missing
    accumulator.add("b", "first", [1, 0]); // x: D; y: Tf
    accumulator.add("tie", "second", [1, 0]); // x: Tp; y: Tb
    expect(groupCountsOf(accumulator)).toEqual({
      schemaVersion: 1,
      pairs: 3,
      preferenceTies: 1,
      factors: ["x", "y"],
      missing: [0, 1],
      keys: [groupHash("second"), groupHash("first")],
      //       x: C D Tf Tp Tb   y: C D Tf Tp Tb
      counts: [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, /* first */ 0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
    });
  });

  it("are checked: arrays that do not fit are refused by the schema and by countTableOf", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    accumulator.add("a", "g", [1]);
    const good = groupCountsOf(accumulator);
    const broken: GroupCounts[] = [
      { ...good, counts: [1, 0, 0, 0] },
      { ...good, missing: [] },
      { ...good, pairs: 2 },
      { ...good, keys: [good.keys[0]!, good.keys[0]!], counts: [...good.counts, ...good.counts], pairs: 2 },
      { ...good, factors: ["x", "x"], missing: [0, 0], counts: [...good.counts, ...good.counts] },
    ];
    for (const data of broken) {
      expect(GroupCountsSchema.safeParse(data).success).toBe(false);
      expect(() => countTableOf(data)).toThrow(/Invalid group counts/);
    }
    expect(GroupCountsSchema.parse(good)).toEqual(good);
  });
});
