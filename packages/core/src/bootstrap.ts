import { CELLS, type CountTable } from "./count-table.js";
import { type KendallVariant, kendallTerms, ratioOfTerms } from "./kendall.js";
import { createRandom, type Random } from "./random.js";

/**
 * The clustered bootstrap: replicate b draws as many groups as there are, with replacement,
 * from `createRandom(seed, "bootstrap/<b>")` (one `nextInt(groups)` per draw), and recomputes
 * every factor's tau from the drawn groups' counts. The draws are shared by all factors, so
 * the factors' replicates are jointly resampled, and replicate b is the same whatever the
 * number of replicates. Returns per factor the B replicate values, NaN where tau was null.
 */
export function bootstrapReplicates(
  table: CountTable,
  variant: KendallVariant,
  replicates: number,
  seed: number,
): Float64Array[] {
  const { groups, factors } = table;
  const terms = kendallTerms[variant].length;
  const width = factors * terms;
  const projected = projectTerms(table, variant);
  // A replicate's sums are at most groups x the largest group, in absolute value. Below 2^31 they are exact in
  // Int32 (faster here than Float64), since the modular wrap of `+=` cancels out.
  const sums = groups * largestGroup(table) < 2 ** 31 ? new Int32Array(width) : new Float64Array(width);
  const weights = new Int32Array(groups);
  const values = Array.from({ length: factors }, () => new Float64Array(replicates));
  for (let b = 0; b < replicates; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    sums.fill(0);
    for (let g = 0; g < groups; g++) {
      const weight = weights[g]!;
      if (weight === 0) continue;
      const base = g * width;
      for (let k = 0; k < width; k++) sums[k]! += weight * projected[base + k]!;
    }
    for (let f = 0; f < factors; f++) {
      const o = f * terms;
      values[f]![b] = ratioOfTerms(sums[o]!, sums[o + 1]!, terms === 3 ? sums[o + 2]! : undefined);
    }
  }
  return values;
}

/** The variant's terms per group and factor: `projected[(group * factors + factor) * terms + term]`. */
export function projectTerms(table: CountTable, variant: KendallVariant): Int32Array {
  const coefficients = kendallTerms[variant];
  const rows = table.groups * table.factors;
  const projected = new Int32Array(rows * coefficients.length);
  for (let row = 0; row < rows; row++) {
    for (const [t, term] of coefficients.entries()) {
      let value = 0;
      for (let cell = 0; cell < CELLS; cell++) value += term[cell]! * table.counts[row * CELLS + cell]!;
      projected[row * coefficients.length + t] = value;
    }
  }
  return projected;
}

/** The most pairs one factor has measured in one group: a bound on every term of a group. */
function largestGroup(table: CountTable): number {
  let largest = 0;
  for (let row = 0; row < table.groups * table.factors; row++) {
    let size = 0;
    for (let cell = 0; cell < CELLS; cell++) size += table.counts[row * CELLS + cell]!;
    largest = Math.max(largest, size);
  }
  return largest;
}

/**
 * The percentile interval of the non-NaN replicates, with linear interpolation between order
 * statistics (Hyndman and Fan's type 7, R's and NumPy's default); null when none is valid.
 */
export function percentileInterval(
  replicates: Float64Array,
  level: number,
): { interval: [number, number] | null; valid: number } {
  const valid = replicates.filter((value) => !Number.isNaN(value)).sort();
  if (valid.length === 0) return { interval: null, valid: 0 };
  const tail = (1 - level) / 2;
  return { interval: [quantile(valid, tail), quantile(valid, 1 - tail)], valid: valid.length };
}

/**
 * The Monte Carlo standard error of each endpoint of `percentileInterval`: by the binomial
 * distribution of the count of replicates below a quantile, SE(Q(q)) ~ sqrt(q (1 - q) / B) / f(Q(q)),
 * with the sparsity 1 / f estimated from the spacing of the order statistics (Siddiqui 1960; Bloch
 * and Gastwirth 1968) at a bandwidth of z_{0.975} binomial standard deviations:
 *
 *     h = 1.96 sqrt(q (1 - q) / B),   SE(Q(q)) = (Q(q + h) - Q(q - h)) / (2 * 1.96).
 *
 * Null when no replicate is valid.
 */
export function percentileMonteCarloError(replicates: Float64Array, level: number): [number, number] | null {
  const valid = replicates.filter((value) => !Number.isNaN(value)).sort();
  if (valid.length === 0) return null;
  const tail = (1 - level) / 2;
  const error = (q: number): number => {
    const h = Z95 * Math.sqrt((q * (1 - q)) / valid.length);
    return (quantile(valid, Math.min(1, q + h)) - quantile(valid, Math.max(0, q - h))) / (2 * Z95);
  };
  return [error(tail), error(1 - tail)];
}

/** z_{0.975}. */
const Z95 = 1.959963984540054;

/**
 * Group weights of one clustered-bootstrap replicate: `groups` draws with replacement, one
 * `random.nextInt(groups)` each, counted into `weights` (cleared first).
 */
export function drawGroupWeights(random: Random, weights: Int32Array | Float64Array): void {
  const groups = weights.length;
  weights.fill(0);
  for (let i = 0; i < groups; i++) weights[random.nextInt(groups)]!++;
}

/** The type-7 quantile of sorted values (linear interpolation between order statistics). */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return below + (h - lo) * (above - below);
}
