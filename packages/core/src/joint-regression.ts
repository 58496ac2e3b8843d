import { type ClusterLevel, ClusterLevelSchema, type Pair, ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { drawGroupWeights, percentileInterval, percentileMonteCarloError, quantile } from "./bootstrap.js";
import { clusterKeyOf } from "./group-key.js";
import {
  type ManifestationLike,
  type ManifestationTable,
  tabulateManifestations,
} from "./manifestation-table.js";
import { createRandom } from "./random.js";

/**
 * Joint attribution: one L2-regularised logistic regression of the preference on all factors at
 * once, so that correlated factors (length and number of facts) are told apart, which a
 * marginal tau per factor cannot do (Preference-Dissection, Li et al. 2024).
 *
 * Model, over the pairs not labelled tie: P(a preferred) = sigmoid(sum_f beta_f x_f), with no
 * intercept, where x_f is the factor's sign m in {-1, 0, 1} or, for a factor measured per
 * response, the scaled difference (valueA - valueB) / scale. Swapping a and b negates every
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
  /** "auto": scaled value differences where the factor has values, signs otherwise. */
  encoding: z.enum(["auto", "sign"]).default("auto"),
  /**
   * "drop": leave out pairs where a measured factor is missing (complete cases); "zero": count a
   * missing value as 0; "impute": count it as 0 and, where one response's value is missing and
   * the other's is not, mark the side in a signed missing-side column of its own.
   */
  missing: z.enum(["drop", "zero", "impute"]).default("impute"),
  /**
   * How a difference column is scaled: "iqr" by its interquartile range / 1.349 (the normal
   * SD's value, robust to heavy tails; its SD when the IQR is 0), "sd" by its sample SD.
   */
  scale: z.enum(["iqr", "sd"]).default("iqr"),
  /** Clustered bootstrap replicates for the intervals; 0 disables them. */
  bootstrap: z.number().int().nonnegative().default(1000),
  seed: z.number().int().default(0),
  /** The factors, in order (default: order of first appearance in the manifestations). */
  factors: z.array(z.string().min(1)).optional(),
  /** How the pairs are clustered for the bootstrap (default auto: groupKeyOf). */
  clusterLevel: ClusterLevelSchema.default("auto"),
});
export type JointRegressionOptions = z.input<typeof JointRegressionOptionsSchema>;

const count = z.number().int().nonnegative();
const interval = z.tuple([z.number(), z.number()]).nullable();
const monteCarloError = z
  .tuple([z.number().nonnegative(), z.number().nonnegative()])
  .nullable()
  .optional()
  .describe("Monte Carlo standard error of each ci95 endpoint (docs/methodology.md §5).");

/** The joint regression's result (joint.json). */
export const JointRegressionSchema = z.object({
  lambda: z.number().positive(),
  missing: z.enum(["drop", "zero", "impute"]),
  scaling: z.enum(["iqr", "sd"]).optional().describe("How difference columns were scaled; sd when absent."),
  pairs: count.describe("Pairs given."),
  ties: count.describe("Pairs labelled tie, left out."),
  dropped: count.describe("Non-tie pairs left out because a measured factor was missing (missing = drop)."),
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
        .describe(
          "What the raw column was divided by: the IQR / 1.349 or SD of valueA - valueB, or 1 for signs.",
        ),
      coefficient: z
        .number()
        .nullable()
        .describe(
          "Log-odds that a is preferred per unit of the column; null when the factor is left out (status).",
        ),
      ci95: interval.describe(
        "95% clustered-bootstrap percentile interval; null when B = 0 or coefficient is null.",
      ),
      missing: count.describe("Non-tie pairs where this factor was not measured."),
      status: z
        .enum(["fitted", "not-measured", "constant"])
        .optional()
        .describe(
          "not-measured: on no non-tie pair; constant: one value on every pair used. Both are left out.",
        ),
      imputed: count.optional().describe("Pairs used whose missing value was counted as 0 (zero, impute)."),
      ci95MonteCarloError: monteCarloError,
    }),
  ),
  missingSides: z
    .array(
      z.object({
        factor: z.string().min(1),
        pairs: count.describe("Pairs used where exactly one response's value is missing."),
        coefficient: z
          .number()
          .nullable()
          .describe(
            "Log-odds that a is preferred when a's value is the missing one (the column is +1; -1 for b).",
          ),
        ci95: interval,
        ci95MonteCarloError: monteCarloError,
      }),
    )
    .optional()
    .describe("missing = impute: one signed column per factor with a one-sided missing value."),
  notes: z
    .array(z.string())
    .optional()
    .describe("What was left out or imputed, and why: factors never measured or constant, pairs dropped."),
});
export type JointRegression = z.infer<typeof JointRegressionSchema>;

/** A pair as the joint regression reads it: its label and what `clusterKeyOf` needs. */
export type RegressionPair = Pick<Pair, "id" | "label" | "group" | "source" | "prompt" | "meta">;

/**
 * Fits the joint regression on the pairs' manifestations and bootstraps its coefficients by
 * resampling clusters (`clusterKeyOf` at `clusterLevel`) with replacement: replicate r draws from
 * `createRandom(seed, "joint-regression/<r>")`, and each replicate is fitted with the column
 * scales of the full data. A factor measured on no non-tie pair, or constant on the pairs used,
 * is left out of the fit (and does not cause pairs to be dropped), with a note. The same input,
 * options and seed give the same result.
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
        hint: 'lambda > 0; encoding "auto" or "sign"; missing "drop", "zero" or "impute"; scale "iqr" or "sd"; bootstrap and seed integers.',
      },
    );
  }
  const { lambda, encoding, missing, scale, bootstrap, seed, factors, clusterLevel } = parsed.data;
  const table = tabulateManifestations(pairs, manifestations, factors);
  const design = buildDesign(pairs, table, { encoding, missing, scale, clusterLevel });
  const { n, columns, x, y, rowGroup, groups } = design;
  const d = columns.length;

  // A column with one value on every pair used carries no information beside the others (or,
  // if not 0, acts as an intercept); it stays out of the fit.
  const constant = columns.map((_, c) => {
    if (n === 0) return false;
    for (let i = 1; i < n; i++) if (x[i * d + c] !== x[c]) return false;
    return true;
  });
  const active = n === 0 ? [] : columns.map((_, c) => c).filter((c) => !constant[c]);
  const k = active.length;
  const xActive = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) xActive[i * k + j] = x[i * d + active[j]!]!;

  const estimate = fitLogistic(xActive, y, null, n, k, lambda, new Float64Array(k));
  const replicates = Array.from({ length: k }, () => new Float64Array(bootstrap));
  if (bootstrap > 0 && k > 0) {
    const drawn = new Float64Array(groups);
    const rowWeights = new Float64Array(n);
    for (let r = 0; r < bootstrap; r++) {
      drawGroupWeights(createRandom(seed, `joint-regression/${r}`), drawn);
      for (let i = 0; i < n; i++) rowWeights[i] = drawn[rowGroup[i]!]!;
      const replicate = fitLogistic(xActive, y, rowWeights, n, k, lambda, estimate);
      for (let j = 0; j < k; j++) replicates[j]![r] = replicate[j]!;
    }
  }
  const fitted = (c: number) => {
    const j = active.indexOf(c);
    if (j === -1) return { coefficient: null, ci95: null, ci95MonteCarloError: null };
    return {
      coefficient: estimate[j]!,
      ci95: bootstrap === 0 ? null : percentileInterval(replicates[j]!, 0.95).interval,
      ci95MonteCarloError: bootstrap === 0 ? null : percentileMonteCarloError(replicates[j]!, 0.95),
    };
  };

  const notes = [...design.notes];
  const columnOf = (f: number, kind: Column["kind"]) =>
    columns.findIndex((column) => column.factor === f && column.kind === kind);
  const result: JointRegression = {
    lambda,
    missing,
    scaling: scale,
    pairs: pairs.length,
    ties: design.ties,
    dropped: design.dropped,
    used: n,
    groups,
    seed,
    bootstrap,
    factors: table.factors.map((factor, f) => {
      const c = columnOf(f, "factor");
      const status = c === -1 ? "not-measured" : constant[c] ? "constant" : "fitted";
      if (status === "constant") {
        notes.push(
          `"${factor}" has the same value (${x[c]! * columns[c]!.scale}) on every pair used, so the regression leaves it out.`,
        );
      }
      return {
        factor,
        encoding: design.encodings[f]!,
        scale: c === -1 ? 1 : columns[c]!.scale,
        ...fitted(c),
        missing: design.missingCounts[f]!,
        status,
        imputed: design.imputed[f]!,
      };
    }),
    notes,
  };
  if (missing === "impute") {
    result.missingSides = columns
      .map((column, c) => ({ column, c }))
      .filter(({ column }) => column.kind === "missing-side")
      .map(({ column, c }) => ({
        factor: table.factors[column.factor]!,
        pairs: design.oneSided[column.factor]!,
        ...fitted(c),
      }));
  }
  return result;
}

/** One column of the design: a factor's sign or scaled difference, or its missing side. */
interface Column {
  kind: "factor" | "missing-side";
  factor: number;
  scale: number;
}

interface Design {
  n: number;
  columns: Column[];
  /** n x columns, row-major, already scaled. */
  x: Float64Array;
  /** 1 when a was preferred, 0 when b. */
  y: Uint8Array;
  rowGroup: Int32Array;
  groups: number;
  encodings: ("sign" | "difference")[];
  missingCounts: number[];
  /** Per factor, pairs used whose missing value was counted as 0. */
  imputed: number[];
  /** Per factor, pairs used with exactly one response's value missing. */
  oneSided: number[];
  ties: number;
  dropped: number;
  notes: string[];
}

const IQR_TO_SD = 1.3489795003921634; // 2 * Phi^-1(0.75): the IQR of a standard normal

function buildDesign(
  pairs: readonly RegressionPair[],
  table: ManifestationTable,
  options: {
    encoding: "auto" | "sign";
    missing: "drop" | "zero" | "impute";
    scale: "iqr" | "sd";
    clusterLevel: ClusterLevel;
  },
): Design {
  const { rows } = table;
  const d = table.factors.length;
  const hasValues = (m: ManifestationLike | undefined): m is ManifestationLike =>
    m !== undefined && Number.isFinite(m.valueA) && Number.isFinite(m.valueB);
  const encodings = Array.from({ length: d }, (_, f): "sign" | "difference" =>
    options.encoding === "auto" && rows.some((row) => hasValues(row[f])) ? "difference" : "sign",
  );
  /** The raw column value, or undefined when not measured. */
  const raw = (m: ManifestationLike | undefined, f: number): number | undefined => {
    if (m === undefined || m.sign === null) return undefined;
    if (encodings[f] === "sign") return m.sign;
    return hasValues(m) ? m.valueA! - m.valueB! : undefined;
  };
  /** +1 when only a's value is missing, -1 when only b's, 0 otherwise (difference columns). */
  const missingSide = (m: ManifestationLike | undefined, f: number): number => {
    if (m === undefined || encodings[f] === "sign") return 0;
    const a = Number.isFinite(m.valueA);
    const b = Number.isFinite(m.valueB);
    return a === b ? 0 : a ? -1 : 1;
  };

  const nonTie = pairs.flatMap((pair, i) => (pair.label === "tie" ? [] : [i]));
  const values = nonTie.map((i) => rows[i]!.map((m, f) => raw(m, f)));
  const measured = Array.from({ length: d }, (_, f) => values.some((row) => row[f] !== undefined));
  const missingCounts = Array.from(
    { length: d },
    (_, f) => values.filter((row) => row[f] === undefined).length,
  );
  const notes: string[] = [];
  table.factors.forEach((factor, f) => {
    if (!measured[f])
      notes.push(`"${factor}" was measured on no non-tie pair, so the regression leaves it out.`);
  });

  const kept: number[] = []; // indices into nonTie
  let dropped = 0;
  values.forEach((row, k) => {
    if (options.missing === "drop" && row.some((value, f) => measured[f] && value === undefined)) dropped++;
    else kept.push(k);
  });
  if (dropped > 0) {
    notes.push(
      `${dropped} of ${nonTie.length} non-tie pairs were left out because a factor was not measured on them ` +
        '(missing = "drop", complete cases): unbiased only if the values are missing at random; missing = "impute" keeps them.',
    );
  }

  const imputed = new Array<number>(d).fill(0);
  const oneSided = new Array<number>(d).fill(0);
  const columns: Column[] = [];
  for (let f = 0; f < d; f++) {
    if (!measured[f]) continue;
    const observed = kept.map((k) => values[k]![f]).filter((v) => v !== undefined);
    columns.push({
      kind: "factor",
      factor: f,
      scale: encodings[f] === "sign" ? 1 : scaleOf(observed, options.scale),
    });
  }
  if (options.missing !== "drop") {
    for (const k of kept) {
      const row = rows[nonTie[k]!]!;
      for (let f = 0; f < d; f++) {
        if (!measured[f] || values[k]![f] !== undefined) continue;
        imputed[f]!++;
        if (options.missing === "impute" && missingSide(row[f], f) !== 0) oneSided[f]!++;
      }
    }
    for (let f = 0; f < d; f++)
      if (oneSided[f]! > 0) columns.push({ kind: "missing-side", factor: f, scale: 1 });
    table.factors.forEach((factor, f) => {
      if (imputed[f] === 0) return;
      const sides =
        oneSided[f]! > 0
          ? `, ${oneSided[f]} of them with one response's value missing, marked in a missing-side column`
          : "";
      notes.push(
        `"${factor}": ${imputed[f]} missing values of the pairs used were counted as 0 (no difference)${sides}.`,
      );
    });
  }

  const n = kept.length;
  const width = columns.length;
  const x = new Float64Array(n * width);
  const y = new Uint8Array(n);
  const rowGroup = new Int32Array(n);
  const groupIndex = new Map<string, number>();
  kept.forEach((k, i) => {
    const pair = pairs[nonTie[k]!]!;
    const row = rows[nonTie[k]!]!;
    columns.forEach((column, c) => {
      const f = column.factor;
      x[i * width + c] =
        column.kind === "factor"
          ? (values[k]![f] ?? 0) / column.scale
          : values[k]![f] === undefined
            ? missingSide(row[f], f)
            : 0;
    });
    y[i] = pair.label === "a" ? 1 : 0;
    const key = clusterKeyOf(pair, options.clusterLevel);
    let group = groupIndex.get(key);
    if (group === undefined) {
      group = groupIndex.size;
      groupIndex.set(key, group);
    }
    rowGroup[i] = group;
  });
  return {
    n,
    columns,
    x,
    y,
    rowGroup,
    groups: groupIndex.size,
    encodings,
    missingCounts,
    imputed,
    oneSided,
    ties: pairs.length - nonTie.length,
    dropped,
    notes,
  };
}

/** The scale of a difference column: IQR / 1.349 (SD when the IQR is 0) or SD; 1 when 0. */
function scaleOf(values: readonly number[], method: "iqr" | "sd"): number {
  const sd = sampleStandardDeviation(values);
  if (method === "iqr" && values.length > 1) {
    const sorted = Float64Array.from(values).sort();
    const iqr = (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / IQR_TO_SD;
    if (iqr > 0) return iqr;
  }
  return sd > 0 ? sd : 1;
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
