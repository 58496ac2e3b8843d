import { type Pair, ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { percentileInterval } from "./bootstrap.js";
import { groupKeyOf } from "./group-key.js";
import { type ManifestationLike, tabulateManifestations } from "./manifestation-table.js";
import { createRandom } from "./random.js";

/**
 * Joint attribution: one L2-regularised logistic regression of the preference on all factors at
 * once, so that correlated factors (length and number of facts) are told apart, which a
 * marginal tau per factor cannot do (Preference-Dissection, Li et al. 2024).
 *
 * Model, over the pairs not labelled tie: P(a preferred) = sigmoid(sum_f beta_f x_f), with no
 * intercept, where x_f is the factor's sign m in {-1, 0, 1} or, for a factor measured per
 * response, the standardised difference (valueA - valueB) / sd. Swapping a and b negates every
 * x and flips y, so it negates every coefficient. beta minimises
 *
 *     sum_i logloss(y_i, sigmoid(x_i . beta)) + (lambda / 2) ||beta||^2,
 *
 * that is, the posterior mode under independent N(0, 1/lambda) priors; with lambda > 0 the
 * problem is strictly convex and has a finite solution even when the labels are separable.
 */
export const JointRegressionOptionsSchema = z.object({
  /** The L2 penalty on the sum-of-log-loss scale; 1 is a N(0, 1) prior on each coefficient. */
  lambda: z.number().positive().default(1),
  /** "auto": standardised value differences where the factor has values, signs otherwise. */
  encoding: z.enum(["auto", "sign"]).default("auto"),
  /** "drop": leave out pairs where any factor is missing; "zero": count a missing factor as 0. */
  missing: z.enum(["drop", "zero"]).default("drop"),
  /** Clustered bootstrap replicates for the intervals; 0 disables them. */
  bootstrap: z.number().int().nonnegative().default(1000),
  seed: z.number().int().default(0),
  /** The factors, in order (default: order of first appearance in the manifestations). */
  factors: z.array(z.string().min(1)).optional(),
});
export type JointRegressionOptions = z.input<typeof JointRegressionOptionsSchema>;

const count = z.number().int().nonnegative();

/** The joint regression's result (joint.json). */
export const JointRegressionSchema = z.object({
  lambda: z.number().positive(),
  missing: z.enum(["drop", "zero"]),
  pairs: count.describe("Pairs given."),
  ties: count.describe("Pairs labelled tie, left out."),
  dropped: count.describe("Non-tie pairs left out because a factor was missing (missing = drop)."),
  used: count.describe("Pairs the regression was fitted on."),
  groups: count.describe("Clusters among the pairs used, resampled by the bootstrap."),
  seed: z.number().int(),
  bootstrap: count.describe("B, clustered bootstrap replicates."),
  factors: z.array(
    z.object({
      factor: z.string().min(1),
      encoding: z.enum(["sign", "difference"]),
      scale: z
        .number()
        .positive()
        .describe("What the raw column was divided by: the SD of valueA - valueB, or 1 for signs."),
      coefficient: z
        .number()
        .nullable()
        .describe("Log-odds that a is preferred per unit of the column; null when the column is all 0."),
      ci95: z
        .tuple([z.number(), z.number()])
        .nullable()
        .describe("95% clustered-bootstrap percentile interval; null when B = 0 or coefficient is null."),
      missing: count.describe("Non-tie pairs where this factor was not measured."),
    }),
  ),
});
export type JointRegression = z.infer<typeof JointRegressionSchema>;

/** A pair as the joint regression reads it: its label and what `groupKeyOf` needs. */
export type RegressionPair = Pick<Pair, "id" | "label" | "group" | "source" | "prompt">;

/**
 * Fits the joint regression on the pairs' manifestations and bootstraps its coefficients by
 * resampling groups (`groupKeyOf`) with replacement: replicate r draws from
 * `createRandom(seed, "joint-regression/<r>")`, and each replicate is fitted with the column
 * scales of the full data. The same input, options and seed give the same result.
 */
export function jointRegression(
  pairs: readonly RegressionPair[],
  manifestations: readonly ManifestationLike[],
  options: JointRegressionOptions = {},
): JointRegression {
  const parsed = JointRegressionOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid joint-regression options: ${z.prettifyError(parsed.error)}`,
      {
        hint: 'lambda > 0; encoding "auto" or "sign"; missing "drop" or "zero"; bootstrap and seed integers.',
      },
    );
  }
  const { lambda, encoding, missing, bootstrap, seed, factors } = parsed.data;
  const table = tabulateManifestations(pairs, manifestations, factors);
  const design = buildDesign(pairs, table.rows, table.factors.length, encoding, missing);
  const { n, d, x, y, rowGroup, groups } = design;

  // A column that is 0 on every pair used carries no information; it stays out of the fit.
  const active = Array.from({ length: d }, (_, f) => f).filter((f) => {
    for (let i = 0; i < n; i++) if (x[i * d + f] !== 0) return true;
    return false;
  });
  const k = active.length;
  const xActive = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) xActive[i * k + j] = x[i * d + active[j]!]!;

  const estimate = fitLogistic(xActive, y, null, n, k, lambda, new Float64Array(k));
  const replicates = Array.from({ length: k }, () => new Float64Array(bootstrap));
  if (bootstrap > 0 && k > 0) {
    const drawn = new Float64Array(groups);
    const rowWeights = new Float64Array(n);
    for (let r = 0; r < bootstrap; r++) {
      const random = createRandom(seed, `joint-regression/${r}`);
      drawn.fill(0);
      for (let g = 0; g < groups; g++) drawn[random.nextInt(groups)]!++;
      for (let i = 0; i < n; i++) rowWeights[i] = drawn[rowGroup[i]!]!;
      const replicate = fitLogistic(xActive, y, rowWeights, n, k, lambda, estimate);
      for (let j = 0; j < k; j++) replicates[j]![r] = replicate[j]!;
    }
  }

  return {
    lambda,
    missing,
    pairs: pairs.length,
    ties: design.ties,
    dropped: design.dropped,
    used: n,
    groups,
    seed,
    bootstrap,
    factors: table.factors.map((factor, f) => {
      const j = active.indexOf(f);
      return {
        factor,
        encoding: design.encodings[f]!,
        scale: design.scales[f]!,
        coefficient: j === -1 ? null : estimate[j]!,
        ci95: j === -1 || bootstrap === 0 ? null : percentileInterval(replicates[j]!, 0.95).interval,
        missing: design.missingCounts[f]!,
      };
    }),
  };
}

interface Design {
  n: number;
  d: number;
  /** n x d, row-major, already standardised. */
  x: Float64Array;
  /** 1 when a was preferred, 0 when b. */
  y: Uint8Array;
  rowGroup: Int32Array;
  groups: number;
  encodings: ("sign" | "difference")[];
  scales: number[];
  missingCounts: number[];
  ties: number;
  dropped: number;
}

function buildDesign(
  pairs: readonly RegressionPair[],
  rows: readonly (ManifestationLike | undefined)[][],
  d: number,
  encoding: "auto" | "sign",
  missing: "drop" | "zero",
): Design {
  const hasValues = (m: ManifestationLike | undefined): m is ManifestationLike =>
    m !== undefined && Number.isFinite(m.valueA) && Number.isFinite(m.valueB);
  const encodings = Array.from({ length: d }, (_, f): "sign" | "difference" =>
    encoding === "auto" && rows.some((row) => hasValues(row[f])) ? "difference" : "sign",
  );
  /** The raw column value, or undefined when not measured. */
  const raw = (m: ManifestationLike | undefined, f: number): number | undefined => {
    if (m === undefined || m.sign === null) return undefined;
    if (encodings[f] === "sign") return m.sign;
    return hasValues(m) ? m.valueA! - m.valueB! : undefined;
  };

  const missingCounts = new Array<number>(d).fill(0);
  const kept: { row: (number | undefined)[]; y: number; pair: RegressionPair }[] = [];
  let ties = 0;
  let dropped = 0;
  pairs.forEach((pair, i) => {
    if (pair.label === "tie") {
      ties++;
      return;
    }
    const values = rows[i]!.map((m, f) => raw(m, f));
    values.forEach((value, f) => {
      if (value === undefined) missingCounts[f]!++;
    });
    if (missing === "drop" && values.includes(undefined)) {
      dropped++;
      return;
    }
    kept.push({ row: values, y: pair.label === "a" ? 1 : 0, pair });
  });

  const n = kept.length;
  const scales = encodings.map((kind, f) => {
    if (kind === "sign") return 1;
    const observed = kept.map((k) => k.row[f]).filter((v) => v !== undefined);
    const sd = sampleStandardDeviation(observed);
    return sd > 0 ? sd : 1;
  });
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const rowGroup = new Int32Array(n);
  const groupIndex = new Map<string, number>();
  kept.forEach((k, i) => {
    for (let f = 0; f < d; f++) x[i * d + f] = (k.row[f] ?? 0) / scales[f]!;
    y[i] = k.y;
    const key = groupKeyOf(k.pair);
    let group = groupIndex.get(key);
    if (group === undefined) {
      group = groupIndex.size;
      groupIndex.set(key, group);
    }
    rowGroup[i] = group;
  });
  return { n, d, x, y, rowGroup, groups: groupIndex.size, encodings, scales, missingCounts, ties, dropped };
}

function sampleStandardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const squares = values.reduce((sum, v) => sum + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-10;

/**
 * Newton's method with Armijo backtracking on the penalised, weighted log-loss
 * sum_i w_i logloss_i + (lambda / 2) ||beta||^2, from `start`. Each step solves
 * (X'WX + lambda I) delta = gradient by Cholesky; converged when the full Newton step moves no
 * coefficient by more than 1e-10 (the iteration converges quadratically, so the returned beta is
 * then exact to far below that).
 */
function fitLogistic(
  x: Float64Array,
  y: Uint8Array,
  weights: Float64Array | null,
  n: number,
  d: number,
  lambda: number,
  start: Float64Array,
): Float64Array {
  const beta = Float64Array.from(start);
  const gradient = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const candidate = new Float64Array(d);
  let objective = penalisedLoss(x, y, weights, n, d, lambda, beta);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    for (let j = 0; j < d; j++) {
      gradient[j] = lambda * beta[j]!;
      for (let l = 0; l < d; l++) hessian[j * d + l] = j === l ? lambda : 0;
    }
    for (let i = 0; i < n; i++) {
      const w = weights === null ? 1 : weights[i]!;
      if (w === 0) continue;
      const row = i * d;
      let eta = 0;
      for (let j = 0; j < d; j++) eta += x[row + j]! * beta[j]!;
      const p = sigmoid(eta);
      const residual = w * (p - y[i]!);
      const curvature = w * p * (1 - p);
      for (let j = 0; j < d; j++) {
        const xj = x[row + j]!;
        if (xj === 0) continue;
        gradient[j]! += residual * xj;
        const scaled = curvature * xj;
        const base = j * d - row; // hessian[j * d + l] pairs with x[row + l]
        for (let c = row + j; c < row + d; c++) hessian[base + c]! += scaled * x[c]!;
      }
    }
    for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) hessian[j * d + l] = hessian[l * d + j]!;
    const step = solveCholesky(hessian, gradient, d);
    if (step.every((s) => Math.abs(s) <= TOLERANCE)) {
      for (let j = 0; j < d; j++) beta[j]! -= step[j]!;
      return beta;
    }
    let slope = 0;
    for (let j = 0; j < d; j++) slope += gradient[j]! * step[j]!;
    // Backtrack (Armijo) while the predicted decrease, slope / 2, is resolvable in the
    // objective; below that the iterate is in Newton's quadratic region and takes full steps.
    const search = slope > 1e-10 * (1 + objective);
    let t = 1;
    let next = objective;
    for (let halvings = 0; halvings < 60; halvings++, t /= 2) {
      for (let j = 0; j < d; j++) candidate[j] = beta[j]! - t * step[j]!;
      next = penalisedLoss(x, y, weights, n, d, lambda, candidate);
      if (!search || next <= objective - 1e-4 * t * slope) break;
    }
    beta.set(candidate);
    objective = next;
  }
  throw new ProfilekitError(
    "regression_not_converged",
    `The joint regression did not converge in ${MAX_ITERATIONS} Newton steps.`,
    { hint: "Increase lambda, or check the manifestations for extreme values.", exitCode: 1 },
  );
}

function penalisedLoss(
  x: Float64Array,
  y: Uint8Array,
  weights: Float64Array | null,
  n: number,
  d: number,
  lambda: number,
  beta: Float64Array,
): number {
  let loss = 0;
  for (let j = 0; j < d; j++) loss += (lambda / 2) * beta[j]! ** 2;
  for (let i = 0; i < n; i++) {
    const w = weights === null ? 1 : weights[i]!;
    if (w === 0) continue;
    let eta = 0;
    for (let j = 0; j < d; j++) eta += x[i * d + j]! * beta[j]!;
    // -log sigmoid(eta) for y = 1 and -log(1 - sigmoid(eta)) for y = 0, without overflow.
    const margin = y[i] === 1 ? eta : -eta;
    loss += w * (Math.max(-margin, 0) + Math.log1p(Math.exp(-Math.abs(margin))));
  }
  return loss;
}

function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** Solves A z = b for a symmetric positive-definite d x d matrix A (row-major). */
function solveCholesky(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const lower = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
      lower[i * d + j] = i === j ? Math.sqrt(sum) : sum / lower[j * d + j]!;
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= lower[i * d + k]! * z[k]!;
    z[i] = sum / lower[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < d; k++) sum -= lower[k * d + i]! * z[k]!;
    z[i] = sum / lower[i * d + i]!;
  }
  return z;
}
