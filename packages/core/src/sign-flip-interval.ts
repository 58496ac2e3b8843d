import { CELLS, type CountTable } from "./count-table.js";
import { type KendallVariant, kendallTerms } from "./kendall.js";
import { exactSignFlipGroups } from "./permutation.js";
import { createRandom } from "./random.js";

/** z_{0.975}. */
const Z95 = 1.959963984540054;

/**
 * The sign patterns a few-cluster interval inverts: bit g of a mask set means group g is in the
 * flipped half. `exact`: all 2^(G - 1) patterns with group G - 1 unflipped (the identity, mask 0,
 * among them); otherwise the identity and R random patterns, pattern r the first word of
 * `createRandom(seed, "permutation/<r>")`, exactly the flips of the sign-flip test.
 */
export interface SignFlipPatterns {
  readonly groups: number;
  readonly masks: Uint32Array;
  readonly exact: boolean;
}

/** The patterns for G groups (at most 31): exact up to exactSignFlipGroups, else R random ones. */
export function signFlipPatterns(groups: number, permutations: number, seed: number): SignFlipPatterns {
  if (groups > 31) throw new RangeError(`A sign pattern of ${groups} groups does not fit in one word.`);
  if (groups <= exactSignFlipGroups) {
    const patterns = 2 ** Math.max(groups - 1, 0);
    return { groups, masks: Uint32Array.from({ length: patterns }, (_, mask) => mask), exact: true };
  }
  const all = 2 ** groups - 1;
  const masks = new Uint32Array(permutations + 1); // masks[0] = 0: the identity
  for (let r = 0; r < permutations; r++) {
    masks[r + 1] = (createRandom(seed, `permutation/${r}`).nextUint32() & all) >>> 0;
  }
  return { groups, masks, exact: false };
}

/** A few-cluster interval with the Monte Carlo standard error of each endpoint (0 when exact). */
export interface SignFlipInterval {
  interval: [number, number];
  monteCarloError: [number, number];
}

/**
 * The confidence interval of a ratio theta = sum_g n_g / sum_g d_g (d_g >= 0) by inverting the
 * clustered sign-flip test of H0: theta = theta0, whose statistic is |sum_g e_g (n_g - theta0 d_g)|
 * over sign patterns e (Canay, Romano and Shaikh 2017: valid with few clusters when the centred
 * cluster terms are approximately symmetric). For a pattern that flips the groups F and keeps U,
 * |S_e(theta0)| >= |S(theta0)| holds exactly for theta0 between theta_F = n_F / d_F and
 * theta_U = n_U / d_U (the estimates on each half; the whole line when a half has d = 0), and the
 * estimate lies between them. So the set of accepted theta0, {p(theta0) > 1 - level}, is the
 * interval from the K-th smallest min(theta_F, theta_U) to the K-th largest max(theta_F,
 * theta_U) over the P patterns, K = floor((1 - level) P) + 1: Hartigan's (1969) typical values.
 * It contains the estimate, and its p(theta0) is the test's exact (or Monte Carlo) p-value.
 * Endpoints are clipped to `range`. Null when sum d = 0.
 */
export function signFlipInterval(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  patterns: SignFlipPatterns,
  range: readonly [number, number],
  level = 0.95,
): SignFlipInterval | null {
  const { groups, masks } = patterns;
  let n = 0;
  let d = 0;
  for (let g = 0; g < groups; g++) {
    n += numerators[g]!;
    d += denominators[g]!;
  }
  if (d === 0) return null;
  const count = masks.length;
  const lows = new Float64Array(count);
  const highs = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const mask = masks[p]!;
    let nF = 0;
    let dF = 0;
    for (let g = 0; g < groups; g++) {
      if ((mask >>> g) & 1) {
        nF += numerators[g]!;
        dF += denominators[g]!;
      }
    }
    const dU = d - dF;
    if (dF <= 0 || dU <= 0 || dF / d < 1e-12 || dU / d < 1e-12) {
      lows[p] = Number.NEGATIVE_INFINITY;
      highs[p] = Number.POSITIVE_INFINITY;
      continue;
    }
    const thetaF = nF / dF;
    const thetaU = (n - nF) / dU;
    lows[p] = Math.min(thetaF, thetaU);
    highs[p] = Math.max(thetaF, thetaU);
  }
  lows.sort();
  highs.sort();
  const alpha = 1 - level;
  const k = Math.floor(alpha * count) + 1; // accept theta0 iff at least k patterns are as extreme
  const clip = (value: number) => Math.min(range[1], Math.max(range[0], value));
  const lowAt = (rank: number) => clip(lows[Math.min(count, Math.max(1, rank)) - 1]!);
  const highAt = (rank: number) => clip(highs[count - Math.min(count, Math.max(1, rank))]!);
  const interval: [number, number] = [lowAt(k), highAt(k)];
  if (patterns.exact) return { interval, monteCarloError: [0, 0] };
  // The count of random patterns as extreme as an endpoint is binomial(R, alpha): its spread of
  // Z95 sqrt(R alpha (1 - alpha)) ranks, read off the sorted endpoints, gives the endpoint's error.
  const spread = Z95 * Math.sqrt((count - 1) * alpha * (1 - alpha));
  const below = Math.floor(k - spread);
  const above = Math.ceil(k + spread);
  return {
    interval,
    monteCarloError: [
      Math.abs(lowAt(above) - lowAt(below)) / (2 * Z95),
      Math.abs(highAt(below) - highAt(above)) / (2 * Z95),
    ],
  };
}

/** The values a variant can take: [0, 1] for acc23, [-1, 1] for the others. */
function variantRange(variant: KendallVariant): [number, number] {
  return variant === "acc23" ? [0, 1] : [-1, 1];
}

/**
 * Every factor's few-cluster interval (see `signFlipInterval`): per group the variant's numerator
 * n_g and denominator d_g from its terms. tau_b's denominator sqrt(X Y) is not a sum over groups;
 * with X = C + D + Tp and Y = C + D + Tf it is split as d_g = (X_g sqrt(Y / X) + Y_g sqrt(X / Y)) / 2,
 * its linearisation at the totals,
 * whose sum is sqrt(X Y) exactly, so the estimate is unchanged.
 */
export function signFlipIntervals(
  table: CountTable,
  variant: KendallVariant,
  patterns: SignFlipPatterns,
): (SignFlipInterval | null)[] {
  const { groups, factors } = table;
  const [numerator, first, second] = kendallTerms[variant];
  const term = (coefficients: readonly number[], g: number, f: number): number => {
    let value = 0;
    const o = (g * factors + f) * CELLS;
    for (let cell = 0; cell < CELLS; cell++) value += coefficients[cell]! * table.counts[o + cell]!;
    return value;
  };
  return Array.from({ length: factors }, (_, f) => {
    const numerators = new Float64Array(groups);
    const denominators = new Float64Array(groups);
    const firsts = new Float64Array(groups);
    const seconds = new Float64Array(groups);
    let x = 0;
    let y = 0;
    for (let g = 0; g < groups; g++) {
      numerators[g] = term(numerator!, g, f);
      firsts[g] = term(first!, g, f);
      x += firsts[g]!;
      if (second !== undefined) {
        seconds[g] = term(second, g, f);
        y += seconds[g]!;
      }
    }
    if (second === undefined) denominators.set(firsts);
    else if (x > 0 && y > 0) {
      const ratio = Math.sqrt(y / x);
      for (let g = 0; g < groups; g++) denominators[g] = (firsts[g]! * ratio + seconds[g]! / ratio) / 2;
    }
    return signFlipInterval(numerators, denominators, patterns, variantRange(variant));
  });
}
