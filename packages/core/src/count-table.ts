import type { ProfileAccumulator } from "./accumulator.js";

/** Cells per group and factor, in this order: C, D, Tf, Tp, Tb. */
export const CELLS = 5;
export const CONCORDANT = 0;
export const DISCORDANT = 1;
export const FACTOR_TIES = 2;
export const PREFERENCE_ONLY_TIES = 3;
export const BOTH_TIES = 4;
const MISSING = CELLS;

// The cell of a pair, indexed by (p + 1) * 4 + (m + 1), with m = NULL_SIGN (2) at column 3.
// biome-ignore format: a table, one row per p
const CELL_OF = new Uint8Array([
  //   m = -1             m = 0        m = +1                m = null
  CONCORDANT,           FACTOR_TIES, DISCORDANT,           MISSING, // p = -1
  PREFERENCE_ONLY_TIES, BOTH_TIES,   PREFERENCE_ONLY_TIES, MISSING, // p = 0
  DISCORDANT,           FACTOR_TIES, CONCORDANT,           MISSING, // p = +1
]);

/**
 * The five counts of every (group, factor), the sufficient statistics for every variant, the
 * bootstrap and the sign-flip test: `counts[(group * factors + factor) * CELLS + cell]`.
 */
export interface CountTable {
  readonly groups: number;
  readonly factors: number;
  /** The `groupHash` of each group's key, by group index. */
  readonly keys: Float64Array;
  readonly counts: Int32Array;
  /** Pairs with a null sign, per factor. */
  readonly missing: Int32Array;
}

export function countByGroup(accumulator: ProfileAccumulator): CountTable {
  const groups = accumulator.groupCount;
  const factors = accumulator.factorIds.length;
  const counts = new Int32Array(groups * factors * CELLS);
  const missing = new Int32Array(factors);
  const preferences = accumulator.preferences();
  const groupOf = accumulator.groupIndices();
  for (let f = 0; f < factors; f++) {
    const signs = accumulator.signs(f);
    for (let i = 0; i < preferences.length; i++) {
      const cell = CELL_OF[(preferences[i]! + 1) * 4 + signs[i]! + 1]!;
      if (cell === MISSING) missing[f]!++;
      else counts[(groupOf[i]! * factors + f) * CELLS + cell]!++;
    }
  }
  return { groups, factors, keys: accumulator.groupHashes(), counts, missing };
}

/** The counts summed over all groups, per factor: `totals[factor * CELLS + cell]`. */
export function totalCounts(table: CountTable): Float64Array {
  const width = table.factors * CELLS;
  const totals = new Float64Array(width);
  for (let g = 0; g < table.groups; g++) {
    const base = g * width;
    for (let k = 0; k < width; k++) totals[k]! += table.counts[base + k]!;
  }
  return totals;
}
