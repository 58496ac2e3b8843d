import { type Manifestation, type Sign, signOfDifference } from "@profilekit/spec";
import type { Order } from "./messages.js";

/**
 * What one pair call says for a factor, in the orientation it was asked in: a value per
 * response (pair-joint mode), or which response shows more.
 */
export type Reading =
  | { readonly kind: "values"; readonly a: number; readonly b: number }
  | { readonly kind: "comparison"; readonly answer: "a" | "b" | "same" };

/**
 * What one order of a pair gave for a factor: a reading as asked (not yet
 * unswapped), or why none.
 */
export type Outcome =
  | { readonly order: Order; readonly reading: Reading }
  | { readonly order: Order; readonly error: string };

/** A reading turned back to the pair's orientation (response A is the pair's `a`). */
export function unswap(reading: Reading, order: Order): Reading {
  if (order !== "swapped") return reading;
  if (reading.kind === "values") return { ...reading, a: reading.b, b: reading.a };
  const flipped = { a: "b", b: "a", same: "same" } as const;
  return { kind: "comparison", answer: flipped[reading.answer] };
}

function comparisonSign(answer: "a" | "b" | "same"): Sign {
  return answer === "a" ? 1 : answer === "b" ? -1 : 0;
}

function readingSign(reading: Reading): Sign {
  return reading.kind === "values" ? signOfDifference(reading.a, reading.b) : comparisonSign(reading.answer);
}

export interface Reconciled {
  readonly manifestation: Manifestation;
  /** With both orders answered: whether they agree once unswapped. Otherwise undefined. */
  readonly consistent: boolean | undefined;
}

/**
 * One manifestation from the outcomes of one or two orders.
 * - A failed order makes the sign null, even when the other order answered:
 *   one order alone does not control position bias, and a value is never guessed.
 * - Values (count, rating, percentage) of two orders are averaged per response,
 *   and the sign is that of the averaged difference.
 * - Comparisons of two orders give their answer when they agree, and sign 0
 *   when they disagree (the model's choice followed the position, not the texts).
 */
export function reconcile(
  pairId: string,
  factor: string,
  outcomes: readonly [Outcome] | readonly [Outcome, Outcome],
): Reconciled {
  const readings: Reading[] = [];
  for (const outcome of outcomes) {
    if ("error" in outcome) {
      const other =
        outcomes.length === 2 && outcomes.some((each) => "reading" in each)
          ? ` (the ${outcome.order === "given" ? "swapped" : "given"} order was answered, and is not used alone: one order does not control position bias)`
          : "";
      return {
        manifestation: { pairId, factor, sign: null, error: `${outcome.error}${other}` },
        consistent: undefined,
      };
    }
    readings.push(unswap(outcome.reading, outcome.order));
  }
  const [first, second] = readings as [Reading, Reading | undefined];
  if (second === undefined) {
    const { order } = outcomes[0];
    const base = { pairId, factor, sign: readingSign(first), meta: { order } };
    return {
      manifestation: first.kind === "values" ? { ...base, valueA: first.a, valueB: first.b } : base,
      consistent: undefined,
    };
  }
  const consistent = readingSign(first) === readingSign(second);
  if (first.kind === "comparison") {
    const answers = [first.answer, (second as typeof first).answer];
    return {
      manifestation: {
        pairId,
        factor,
        sign: consistent ? comparisonSign(first.answer) : 0,
        meta: { answers },
      },
      consistent,
    };
  }
  const other = second as typeof first;
  const valueA = (first.a + other.a) / 2;
  const valueB = (first.b + other.b) / 2;
  return {
    manifestation: {
      pairId,
      factor,
      valueA,
      valueB,
      sign: signOfDifference(valueA, valueB),
      meta: { readings: { a: [first.a, other.a], b: [first.b, other.b] } },
    },
    consistent,
  };
}
