import { type Label, LabelSchema, ProfilekitError, type Sign } from "@profilekit/spec";
import { z } from "zod";
import { type OrderedVerdicts, unswapLabel } from "./agreement.js";
import { drawGroupWeights, percentileInterval, percentileMonteCarloError } from "./bootstrap.js";
import { fewClustersWarning, minimumClusters } from "./few-clusters.js";
import { createRandom } from "./random.js";

/** One pair as the judge's agreement reads it. */
export interface JudgedPair {
  /** Its cluster key (labels.jsonl's `group`, or `clusterKeyOf`). */
  group: string;
  /** The reference label, usually the human one. */
  human: Label;
  /** The judge's reconciled label; null when it gave no usable verdict (left out of every figure). */
  judge: Label | null;
  /** Its verdicts in both presentation orders, for position consistency; absent when not asked. */
  verdicts?: OrderedVerdicts;
  /** Rule factors' signs on the pair (null = not measured), for the single-factor baselines. */
  signs?: Readonly<Record<string, Sign>>;
}

const count = z.number().int().nonnegative();
const interval = z.tuple([z.number(), z.number()]).nullable();
const monteCarloError = z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable();

/** A share with its counts and its clustered-bootstrap interval. */
const ShareSchema = z.object({
  value: z.number().min(0).max(1).nullable().describe("count / of; null when of = 0."),
  count: count,
  of: count,
  ci95: interval,
  ci95MonteCarloError: monteCarloError,
});

const EstimateSchema = z.object({
  value: z.number().nullable(),
  pairs: count.describe("Pairs it is computed over."),
  ci95: interval,
  ci95MonteCarloError: monteCarloError,
});

/** `judgeAgreement`'s result: the judge's agreement with the reference, with counts and intervals. */
export const JudgeAgreementSchema = z.object({
  pairs: count.describe("Pairs the judge labelled (judge not null)."),
  unlabelled: count.describe("Pairs given without a usable judge label, left out."),
  groups: count.describe("Clusters among the labelled pairs, resampled by the bootstrap."),
  bootstrap: count,
  seed: z.number().int(),
  accuracyWithoutTies: ShareSchema.describe("Same label, over the pairs where neither label is a tie."),
  accuracy: ShareSchema.describe("Same label (ties included), over all labelled pairs."),
  cohenKappa: EstimateSchema.describe("Cohen's kappa over a, b and tie."),
  positionConsistency: ShareSchema.describe(
    "Verdicts that agree in both orders once the swapped one is mapped back, over pairs answered in both.",
  ),
  referenceTieRate: z.number().nullable(),
  judgeTieRate: z.number().nullable(),
  baselines: z
    .array(
      z.object({
        factor: z.string().min(1),
        accuracyWithoutTies: ShareSchema.describe(
          "Judging by the factor's sign alone (a when m = +1, b when m = -1), over the labelled pairs whose reference label and sign are both decisive.",
        ),
        coverage: z
          .number()
          .nullable()
          .describe(
            "Share of the labelled pairs with a decisive reference label where the sign is decisive.",
          ),
        judgeMinusBaseline: EstimateSchema.describe(
          "Accuracy of the judge minus that of the factor, over the pairs where the reference, the judge and the sign are all decisive (paired).",
        ),
        judgeBetter: z
          .boolean()
          .nullable()
          .describe("The difference's interval lies above 0; null without an interval."),
      }),
    )
    .describe("Single-factor baselines: is the judge better than picking by one rule factor?"),
  warnings: z.array(z.string()),
});
export type JudgeAgreement = z.infer<typeof JudgeAgreementSchema>;

export const JudgeAgreementOptionsSchema = z.object({
  /** B, clustered bootstrap replicates; 0 disables the intervals. */
  bootstrap: z.number().int().nonnegative().default(1000),
  seed: z.number().int().default(0),
  /** The baseline factors, in order (default: every factor in the pairs' signs, in order of first appearance). */
  baselines: z.array(z.string().min(1)).optional(),
});
export type JudgeAgreementOptions = z.input<typeof JudgeAgreementOptionsSchema>;

const LABEL_INDEX: Readonly<Record<Label, number>> = { a: 0, b: 1, tie: 2 };

// Per-cluster sums, one row per cluster.
const DECISIVE = 0; // neither label a tie
const DECISIVE_AGREE = 1;
const LABELLED = 2;
const AGREE = 3;
const BOTH_ORDERS = 4;
const CONSISTENT = 5;
const CONFUSION = 6; // 9 cells: reference label x judge label
const FIXED = CONFUSION + 9;
// Then per baseline factor: decisive, agree (the baseline), common, judge - baseline correct.
const PER_BASELINE = 4;

/**
 * The judge's agreement with the reference labels (accuracy without and with ties, Cohen's kappa,
 * position consistency), each with its counts and a clustered-bootstrap percentile interval, and
 * beside them single-factor baselines: the accuracy of picking the response with more of one rule
 * factor ("pick the longer"), and the paired difference between the judge's accuracy and the
 * factor's on the pairs where all three are decisive, so that a judge no better than length says
 * so (`judgeBetter`, and a warning). Every figure is over the labelled pairs (judge not null).
 *
 * The bootstrap resamples clusters in order of first appearance among the labelled pairs,
 * replicate b from `createRandom(seed, "bootstrap/<b>")` (the profile's draws when the judge
 * labelled the same pairs, in the same order), and recomputes every figure on the same draws.
 * Below 6 clusters the intervals are null, below 30 a warning says they may under-cover.
 */
export function judgeAgreement(
  pairs: readonly JudgedPair[],
  options: JudgeAgreementOptions = {},
): JudgeAgreement {
  const parsed = JudgeAgreementOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_options",
      `Invalid judge-agreement options: ${z.prettifyError(parsed.error)}`,
      { hint: "bootstrap is a non-negative integer, seed an integer, baselines a list of factor ids." },
    );
  }
  const { bootstrap, seed } = parsed.data;
  const labelled = pairs.filter((pair) => pair.judge !== null);
  for (const [i, pair] of pairs.entries()) {
    for (const [field, label] of [
      ["human", pair.human],
      ["judge", pair.judge ?? "a"],
    ] as const) {
      if (!LabelSchema.safeParse(label).success) {
        throw new ProfilekitError(
          "invalid_label",
          `Judged pair #${i + 1} has ${field} label ${JSON.stringify(label)}.`,
          {
            hint: 'A label is "a", "b" or "tie" (judge: null when there is no usable verdict).',
            location: { field },
          },
        );
      }
    }
  }
  const baselines = parsed.data.baselines ?? [
    ...new Set(labelled.flatMap((pair) => Object.keys(pair.signs ?? {}))),
  ];
  const width = FIXED + PER_BASELINE * baselines.length;
  const groupOf = new Map<string, number>();
  const rows: number[][] = [];
  for (const pair of labelled) {
    let g = groupOf.get(pair.group);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(pair.group, g);
      rows.push(new Array<number>(width).fill(0));
    }
    addPair(rows[g]!, pair, baselines);
  }
  const groups = groupOf.size;
  const sums = Float64Array.from(rows.flat());

  const warnings: string[] = [];
  const warning = fewClustersWarning(groups, "judge agreement", "percentile-bootstrap");
  if (warning !== undefined) warnings.push(warning);
  const B = groups >= minimumClusters ? bootstrap : 0;
  const replicated = Array.from({ length: 4 + 2 * baselines.length }, () => new Float64Array(B));
  const weights = new Int32Array(groups);
  const total = new Float64Array(width);
  for (let b = 0; b < B; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    total.fill(0);
    for (let g = 0; g < groups; g++) {
      const w = weights[g]!;
      if (w === 0) continue;
      for (let k = 0; k < width; k++) total[k]! += w * sums[g * width + k]!;
    }
    figures(total, baselines.length).forEach((value, i) => {
      replicated[i]![b] = value ?? Number.NaN;
    });
  }

  const full = new Float64Array(width);
  for (let g = 0; g < groups; g++) for (let k = 0; k < width; k++) full[k]! += sums[g * width + k]!;
  const estimates = figures(full, baselines.length);
  const withInterval = (i: number) =>
    B === 0 || estimates[i] === null
      ? { ci95: null, ci95MonteCarloError: null }
      : {
          ci95: percentileInterval(replicated[i]!, 0.95).interval,
          ci95MonteCarloError: percentileMonteCarloError(replicated[i]!, 0.95),
        };
  const share = (i: number, numerator: number, denominator: number) => ({
    value: estimates[i]!,
    count: full[numerator]!,
    of: full[denominator]!,
    ...withInterval(i),
  });
  const labels = (pick: (pair: JudgedPair) => Label) =>
    labelled.filter((pair) => pick(pair) === "tie").length;

  const result: JudgeAgreement = {
    pairs: labelled.length,
    unlabelled: pairs.length - labelled.length,
    groups,
    bootstrap: B,
    seed,
    accuracyWithoutTies: share(0, DECISIVE_AGREE, DECISIVE),
    accuracy: share(1, AGREE, LABELLED),
    cohenKappa: { value: estimates[2]!, pairs: full[LABELLED]!, ...withInterval(2) },
    positionConsistency: share(3, CONSISTENT, BOTH_ORDERS),
    referenceTieRate: labelled.length === 0 ? null : labels((pair) => pair.human) / labelled.length,
    judgeTieRate: labelled.length === 0 ? null : labels((pair) => pair.judge!) / labelled.length,
    baselines: baselines.map((factor, j) => {
      const o = FIXED + PER_BASELINE * j;
      const humanDecisive = labelled.filter((pair) => pair.human !== "tie").length;
      const difference = { value: estimates[5 + 2 * j]!, pairs: full[o + 2]!, ...withInterval(5 + 2 * j) };
      const judgeBetter = difference.ci95 === null ? null : difference.ci95[0] > 0;
      if (judgeBetter === false) {
        warnings.push(
          `The judge is not shown to be better than judging by "${factor}" alone: its accuracy minus the factor's is ${format(difference.value)} with a 95% interval of [${format(difference.ci95![0])}, ${format(difference.ci95![1])}], over ${difference.pairs} pairs.`,
        );
      }
      return {
        factor,
        accuracyWithoutTies: share(4 + 2 * j, o + 1, o),
        coverage: humanDecisive === 0 ? null : full[o]! / humanDecisive,
        judgeMinusBaseline: difference,
        judgeBetter,
      };
    }),
    warnings,
  };
  return result;
}

/** Adds one labelled pair to its cluster's sums. */
function addPair(row: number[], pair: JudgedPair, baselines: readonly string[]): void {
  const { human } = pair;
  const judge = pair.judge!;
  const decisive = human !== "tie" && judge !== "tie";
  row[LABELLED]!++;
  if (human === judge) row[AGREE]!++;
  if (decisive) {
    row[DECISIVE]!++;
    if (human === judge) row[DECISIVE_AGREE]!++;
  }
  row[CONFUSION + 3 * LABEL_INDEX[human] + LABEL_INDEX[judge]]!++;
  const { original, swapped } = pair.verdicts ?? { original: null, swapped: null };
  if (original !== null && swapped !== null) {
    row[BOTH_ORDERS]!++;
    if (original === unswapLabel(swapped)) row[CONSISTENT]!++;
  }
  baselines.forEach((factor, j) => {
    const sign = pair.signs?.[factor] ?? null;
    if (human === "tie" || sign === null || sign === 0) return;
    const o = FIXED + PER_BASELINE * j;
    const baselineRight = (sign === 1) === (human === "a");
    row[o]!++;
    if (baselineRight) row[o + 1]!++;
    if (judge !== "tie") {
      row[o + 2]!++;
      row[o + 3]! += (judge === human ? 1 : 0) - (baselineRight ? 1 : 0);
    }
  });
}

/**
 * The figures from summed counts: accuracy without ties, accuracy, kappa, position consistency,
 * then per baseline its accuracy and the judge's difference from it; null where undefined.
 */
function figures(sums: Float64Array, baselines: number): (number | null)[] {
  const ratio = (numerator: number, denominator: number) =>
    sums[denominator] === 0 ? null : sums[numerator]! / sums[denominator]!;
  const out: (number | null)[] = [
    ratio(DECISIVE_AGREE, DECISIVE),
    ratio(AGREE, LABELLED),
    kappa(sums),
    ratio(CONSISTENT, BOTH_ORDERS),
  ];
  for (let j = 0; j < baselines; j++) {
    const o = FIXED + PER_BASELINE * j;
    out.push(ratio(o + 1, o), ratio(o + 3, o + 2));
  }
  return out;
}

/** Cohen's kappa from the 3 x 3 confusion counts (reference rows, judge columns). */
function kappa(sums: Float64Array): number | null {
  const n = sums[LABELLED]!;
  if (n === 0) return null;
  let observed = 0;
  let expected = 0;
  for (let l = 0; l < 3; l++) {
    observed += sums[CONFUSION + 4 * l]!;
    let row = 0;
    let column = 0;
    for (let k = 0; k < 3; k++) {
      row += sums[CONFUSION + 3 * l + k]!;
      column += sums[CONFUSION + 3 * k + l]!;
    }
    expected += (row / n) * (column / n);
  }
  const po = observed / n;
  return expected === 1 ? null : (po - expected) / (1 - expected);
}

function format(value: number | null): string {
  return value === null ? "null" : value.toFixed(3);
}
