import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Order } from "./messages.js";
import { type Outcome, type Reading, reconcile, unswap } from "./reconcile.js";

const values = (a: number, b: number): Reading => ({ kind: "values", a, b });
const choice = (answer: "a" | "b" | "same"): Reading => ({ kind: "comparison", answer });

describe("reconcile", () => {
  it("reads one order in the pair's orientation", () => {
    expect(reconcile("p", "f", [{ order: "given", reading: values(3, 1) }]).manifestation).toEqual({
      pairId: "p",
      factor: "f",
      valueA: 3,
      valueB: 1,
      sign: 1,
      meta: { order: "given" },
    });
    // Swapped: response A shown was the pair's b (1), response B its a (3).
    expect(reconcile("p", "f", [{ order: "swapped", reading: values(1, 3) }]).manifestation).toMatchObject({
      valueA: 3,
      valueB: 1,
      sign: 1,
    });
    expect(reconcile("p", "f", [{ order: "swapped", reading: choice("a") }]).manifestation.sign).toBe(-1);
    expect(reconcile("p", "f", [{ order: "given", reading: values(2, 2) }]).manifestation).toEqual({
      pairId: "p",
      factor: "f",
      valueA: 2,
      valueB: 2,
      sign: 0,
      meta: { order: "given" },
    });
  });

  it("averages two orders' values and says whether their signs agree", () => {
    // Given: a 2, b 4. Swapped, as asked: shown A (pair b) 5, shown B (pair a) 1. Means: a 1.5, b 4.5.
    const agreeing = reconcile("p", "f", [
      { order: "given", reading: values(2, 4) },
      { order: "swapped", reading: values(5, 1) },
    ]);
    expect(agreeing).toEqual({
      manifestation: {
        pairId: "p",
        factor: "f",
        valueA: 1.5,
        valueB: 4.5,
        sign: -1,
        meta: { readings: { a: [2, 1], b: [4, 5] } },
      },
      consistent: true,
    });
    // Given: a 4, b 3 (+1). Swapped: pair a 2, pair b 5 (-1). Means: a 3, b 4.
    const disagreeing = reconcile("p", "f", [
      { order: "given", reading: values(4, 3) },
      { order: "swapped", reading: values(5, 2) },
    ]);
    expect(disagreeing.manifestation.sign).toBe(-1);
    expect(disagreeing.consistent).toBe(false);
  });

  it("keeps a comparison both orders agree on, and gives 0 when they disagree", () => {
    const agree = reconcile("p", "f", [
      { order: "given", reading: choice("a") },
      { order: "swapped", reading: choice("b") },
    ]);
    expect(agree).toEqual({
      manifestation: { pairId: "p", factor: "f", sign: 1, meta: { answers: ["a", "a"] } },
      consistent: true,
    });
    const biased = reconcile("p", "f", [
      { order: "given", reading: choice("a") },
      { order: "swapped", reading: choice("a") },
    ]);
    expect(biased).toEqual({
      manifestation: { pairId: "p", factor: "f", sign: 0, meta: { answers: ["a", "b"] } },
      consistent: false,
    });
    const half = reconcile("p", "f", [
      { order: "given", reading: choice("b") },
      { order: "swapped", reading: choice("same") },
    ]);
    expect(half.manifestation.sign).toBe(0);
    expect(half.consistent).toBe(false);
    expect(
      reconcile("p", "f", [
        { order: "given", reading: choice("same") },
        { order: "swapped", reading: choice("same") },
      ]).consistent,
    ).toBe(true);
  });

  it("gives a null sign with the error when an order failed, even if the other answered", () => {
    const oneFailed = reconcile("p", "f", [
      { order: "given", reading: choice("a") },
      { order: "swapped", error: "no answer" },
    ]);
    expect(oneFailed.manifestation).toEqual({
      pairId: "p",
      factor: "f",
      sign: null,
      error:
        "no answer (the given order was answered, and is not used alone: one order does not control position bias)",
    });
    expect(oneFailed.consistent).toBeUndefined();
    const bothFailed = reconcile("p", "f", [
      { order: "given", error: "first" },
      { order: "swapped", error: "second" },
    ]);
    expect(bothFailed.manifestation).toEqual({ pairId: "p", factor: "f", sign: null, error: "first" });
  });
});

describe("reconcile properties", () => {
  const reading = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).map(([a, b]) => values(a, b)),
    fc.constantFrom("a", "b", "same").map((answer) => choice(answer as "a" | "b" | "same")),
  );
  const mirror = (r: Reading): Reading => unswap(r, "swapped");
  const swapPair = (outcomes: [Outcome, Outcome]): [Outcome, Outcome] => {
    const flip = (order: Order): Order => (order === "given" ? "swapped" : "given");
    return outcomes.map((o) => ({ ...o, order: flip(o.order) })) as [Outcome, Outcome];
  };

  it("a model that follows the texts is consistent, and its sign is that of one order", () => {
    fc.assert(
      fc.property(reading, (given) => {
        const both = reconcile("p", "f", [
          { order: "given", reading: given },
          { order: "swapped", reading: mirror(given) },
        ]);
        const one = reconcile("p", "f", [{ order: "given", reading: given }]);
        expect(both.consistent).toBe(true);
        expect(both.manifestation.sign).toBe(one.manifestation.sign);
      }),
    );
  });

  it("exchanging the pair's responses negates the sign", () => {
    fc.assert(
      fc.property(reading, reading, (first, second) => {
        if (first.kind !== second.kind) return;
        const outcomes: [Outcome, Outcome] = [
          { order: "given", reading: first },
          { order: "swapped", reading: second },
        ];
        // The same two calls, seen from the pair with a and b exchanged.
        const sign = reconcile("p", "f", outcomes).manifestation.sign!;
        const exchanged = reconcile("p", "f", swapPair(outcomes)).manifestation.sign!;
        expect(exchanged).toBe(sign === 0 ? 0 : -sign);
      }),
    );
  });
});
