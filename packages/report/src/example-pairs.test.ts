import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LabelRecord, Manifestation } from "@profilekit/spec";
import { selectExamples } from "./example-pairs.js";

/** Records as the runner's reader yields them: each with its line number. */
async function* each<T>(items: readonly T[]): AsyncGenerator<{ line: number; record: T }> {
  for (const [i, record] of items.entries()) yield { line: i + 1, record };
}
const recordsOf = (labels: LabelRecord[], manifestations: Manifestation[]) => ({
  labels: () => each(labels),
  manifestations: () => each(manifestations),
});
const rank = (factor: string, id: string) => createHash("sha256").update(`${factor}\0${id}`).digest("hex");

const labelArb = fc.constantFrom<"a" | "b" | "tie">("a", "b", "tie");
const signArb = fc.constantFrom<-1 | 0 | 1 | null>(-1, 0, 1, null);
const runArb = fc
  .array(fc.record({ label: labelArb, length: signArb, novelty: signArb }), { minLength: 0, maxLength: 40 })
  .map((rows) => ({
    labels: rows.map((row, i): LabelRecord => ({ pairId: `p${i}`, label: row.label })),
    manifestations: rows.flatMap((row, i): Manifestation[] => [
      { pairId: `p${i}`, factor: "length", sign: row.length, valueA: i, valueB: i + 1 },
      { pairId: `p${i}`, factor: "novelty", sign: row.novelty },
    ]),
  }));

describe("selectExamples", () => {
  it("keeps the lowest-hash concordant and discordant pairs of each factor (property, against a sort)", async () => {
    await fc.assert(
      fc.asyncProperty(runArb, fc.integer({ min: 1, max: 4 }), async (run, perKind) => {
        const chosen = await selectExamples(recordsOf(run.labels, run.manifestations), perKind);
        const label = new Map(run.labels.map((l) => [l.pairId, l.label]));
        for (const factor of ["length", "novelty"]) {
          for (const kind of ["concordant", "discordant"] as const) {
            const expected = run.manifestations
              .filter((m) => m.factor === factor && m.sign !== null && m.sign !== 0)
              .filter((m) => label.get(m.pairId) !== "tie")
              .filter((m) => (label.get(m.pairId) === "a" ? 1 : -1) * m.sign! > 0 === (kind === "concordant"))
              .map((m) => m.pairId)
              .sort((x, y) => (rank(factor, x) < rank(factor, y) ? -1 : 1))
              .slice(0, perKind);
            expect(chosen.get(factor)?.[kind].map((e) => e.pairId) ?? [], `${factor} ${kind}`).toEqual(
              expected,
            );
          }
        }
      }),
    );
  });

  it("does not depend on the order of the lines (property)", async () => {
    await fc.assert(
      fc.asyncProperty(runArb, fc.integer(), async (run, seed) => {
        const shuffled = [...run.manifestations].sort((x, y) =>
          rank(String(seed), `${x.pairId}/${x.factor}`).localeCompare(
            rank(String(seed), `${y.pairId}/${y.factor}`),
          ),
        );
        const a = await selectExamples(recordsOf(run.labels, run.manifestations), 2);
        const b = await selectExamples(recordsOf([...run.labels].reverse(), shuffled), 2);
        const ids = (m: typeof a) =>
          [...m]
            .sort(([x], [y]) => (x < y ? -1 : 1))
            .map(([f, e]) => [f, e.concordant.map((x) => x.pairId), e.discordant.map((x) => x.pairId)]);
        expect(ids(b)).toEqual(ids(a));
      }),
    );
  });

  it("keeps the factor's values and the label with each example", async () => {
    const chosen = await selectExamples(
      recordsOf(
        [{ pairId: "x", label: "b" }],
        [{ pairId: "x", factor: "length", sign: -1, valueA: 3, valueB: 9 }],
      ),
      2,
    );
    expect(chosen.get("length")).toEqual({
      concordant: [
        {
          pairId: "x",
          kind: "concordant",
          label: "b",
          manifestation: { pairId: "x", factor: "length", sign: -1, valueA: 3, valueB: 9 },
        },
      ],
      discordant: [],
    });
  });
});
