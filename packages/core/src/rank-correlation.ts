import { ProfilekitError } from "@profilekit/spec";

/**
 * Rank correlations between two equal-length numeric vectors, as used to compare two profiles
 * (one factor score per factor). These are the classical statistics over observations, the
 * same as scipy.stats.kendalltau(x, y, variant="b") and scipy.stats.spearmanr(x, y); they are
 * not PROFILE's per-pair factor score (see kendall.ts).
 *
 * Both are O(n^2) or O(n log n) in the vector length, which is the number of factors (tens).
 */

/**
 * Kendall's tau_b (Kendall 1945): over all i < j, with sx = sign(x_i - x_j) and
 * sy = sign(y_i - y_j), S = sum sx * sy and
 *
 *     tau_b = S / sqrt(n_x * n_y),   n_x = #{i < j : x_i != x_j},  n_y likewise.
 *
 * Null when it is undefined: fewer than 2 observations or either vector constant.
 */
export function rankTauB(x: readonly number[], y: readonly number[]): number | null {
  checkVectors(x, y, "rankTauB");
  let s = 0;
  let untiedX = 0;
  let untiedY = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      const sx = Math.sign(x[i]! - x[j]!);
      const sy = Math.sign(y[i]! - y[j]!);
      s += sx * sy;
      untiedX += sx * sx;
      untiedY += sy * sy;
    }
  }
  if (untiedX === 0 || untiedY === 0) return null;
  // The counts are integers, so the product is exact and a vector against itself gives exactly 1.
  return s / Math.sqrt(untiedX * untiedY);
}

/**
 * Spearman's rho: the Pearson correlation of the two vectors' ranks, tied values sharing their
 * average rank. Null when fewer than 2 observations or either vector is constant.
 */
export function rankSpearman(x: readonly number[], y: readonly number[]): number | null {
  checkVectors(x, y, "rankSpearman");
  if (x.length < 2) return null;
  return pearson(averageRanks(x), averageRanks(y));
}

/**
 * 1-based ranks, ties sharing the mean of the ranks they span (scipy.stats.rankdata's
 * "average" method): averageRanks([10, 20, 10]) = [1.5, 3, 1.5].
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    // Positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i]!;
    meanY += y[i]!;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can carry |r| a hair past 1 for perfectly (anti)monotone vectors.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function checkVectors(x: readonly number[], y: readonly number[], statistic: string): void {
  if (x.length !== y.length) {
    throw new ProfilekitError(
      "vector_length_mismatch",
      `${statistic} needs two vectors of equal length, got ${x.length} and ${y.length}.`,
      { hint: "Pass one value per observation in both vectors, in the same order." },
    );
  }
  for (const [name, vector] of [
    ["x", x],
    ["y", y],
  ] as const) {
    const at = vector.findIndex((v) => !Number.isFinite(v));
    if (at !== -1) {
      throw new ProfilekitError(
        "non_finite_value",
        `${statistic}: ${name}[${at}] is ${vector[at]}, not a finite number.`,
        { hint: "Drop the observations that were not measured before correlating." },
      );
    }
  }
}
