import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { drawGroupWeights, percentileInterval, percentileMonteCarloError } from "./bootstrap.js";
import { parseOptions, type RatedItem, type ValidationOptions } from "./extractor-validation.js";
import { fewClustersWarning, minimumClusters } from "./few-clusters.js";
import { createRandom } from "./random.js";

const count = z.number().int().nonnegative();

/** `clusteredTauB`'s result. */
export const ClusteredTauBSchema = z.object({
  tauB: z.number().min(-1).max(1).nullable().describe("Kendall's tau_b over all items."),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  ci95MonteCarloError: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).nullable(),
  items: count,
  clusters: count,
  intervalMethod: z.enum(["percentile-bootstrap", "none"]),
  bootstrap: count,
  seed: z.number().int(),
  warnings: z.array(z.string()),
});
export type ClusteredTauB = z.infer<typeof ClusteredTauBSchema>;

/**
 * Item-level Kendall tau_b between the human ratings and the extractor's values over all items
 * (the sample-level correlation of UniEval's reproduction, after Bhandari et al. 2020), with a
 * cluster-bootstrap interval: for clusters holding one or a few items (one answer per question),
 * where a correlation within each cluster is not defined. Replicate b draws the clusters (in order of first appearance) from
 * `createRandom(seed, "bootstrap/<b>")`; an item whose cluster is drawn w times counts w times,
 * so the replicate is tau_b of the resampled items,
 *
 *     S* = sum_{i<j} w_i w_j sx_ij sy_ij,   n_x* = sum_{i<j} w_i w_j [x_i != x_j],  n_y* likewise,
 *     tau_b* = S* / sqrt(n_x* n_y*),
 *
 * computed in O(n log n) per replicate (a Fenwick tree over the ranks of y, in the order of x).
 * Percentile interval from 6 clusters on (a warning below 30), none below.
 */
export function clusteredTauB(items: readonly RatedItem[], options: ValidationOptions = {}): ClusteredTauB {
  const { bootstrap, seed } = parseOptions(options);
  for (const [i, item] of items.entries()) {
    if (!Number.isFinite(item.human) || !Number.isFinite(item.extractor)) {
      throw new ProfilekitError(
        "non_finite_value",
        `Rated item #${i + 1} (cluster "${item.cluster}") has human ${item.human} and extractor ${item.extractor}.`,
        { hint: "Leave out the items the extractor could not measure before correlating." },
      );
    }
  }
  const groupOf = new Map<string, number>();
  const group = Int32Array.from(items, (item) => {
    let g = groupOf.get(item.cluster);
    if (g === undefined) {
      g = groupOf.size;
      groupOf.set(item.cluster, g);
    }
    return g;
  });
  const clusters = groupOf.size;
  const layout = layOut(items);
  const tauB = weightedTauB(layout, group, new Float64Array(clusters).fill(1));
  const B = tauB === null || clusters < minimumClusters ? 0 : bootstrap;
  const replicates = new Float64Array(B);
  const weights = new Float64Array(clusters);
  for (let b = 0; b < B; b++) {
    drawGroupWeights(createRandom(seed, `bootstrap/${b}`), weights);
    replicates[b] = weightedTauB(layout, group, weights) ?? Number.NaN;
  }
  const warnings: string[] = [];
  const warning = fewClustersWarning(
    clusters,
    "item-level correlation",
    B === 0 ? "none" : "percentile-bootstrap",
  );
  if (warning !== undefined) warnings.push(warning);
  return {
    tauB,
    ci95: B === 0 ? null : percentileInterval(replicates, 0.95).interval,
    ci95MonteCarloError: B === 0 ? null : percentileMonteCarloError(replicates, 0.95),
    items: items.length,
    clusters,
    intervalMethod: B === 0 ? "none" : "percentile-bootstrap",
    bootstrap: B,
    seed,
    warnings,
  };
}

/** The items in order of x (human), runs of equal x marked, and each item's rank among the distinct y values. */
interface Layout {
  readonly order: Int32Array;
  /** runEnd[k]: the position after the run of equal x that position k belongs to. */
  readonly runEnd: Int32Array;
  /** yRank[i]: 1-based rank of item i's y among the distinct y values. */
  readonly yRank: Int32Array;
  readonly distinctY: number;
  /** xRun[i], yRun[i]: the index of item i's run of equal x, of equal y. */
  readonly xRun: Int32Array;
  readonly xRuns: number;
}

function layOut(items: readonly RatedItem[]): Layout {
  const n = items.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => items[i]!.human - items[j]!.human || items[i]!.extractor - items[j]!.extractor,
  );
  const runEnd = new Int32Array(n);
  const xRun = new Int32Array(n);
  let xRuns = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && items[order[end]!]!.human === items[order[start]!]!.human) end++;
    for (let k = start; k < end; k++) {
      runEnd[k] = end;
      xRun[order[k]!] = xRuns;
    }
    xRuns++;
    start = end;
  }
  const ys = [...new Set(items.map((item) => item.extractor))].sort((x, y) => x - y);
  const rankOf = new Map(ys.map((y, r) => [y, r + 1]));
  const yRank = Int32Array.from(items, (item) => rankOf.get(item.extractor)!);
  return { order, runEnd, yRank, distinctY: ys.length, xRun, xRuns };
}

/** tau_b of the items with item i weighted by its cluster's weight; null when either side is constant. */
function weightedTauB(layout: Layout, group: Int32Array, weights: Float64Array): number | null {
  const { order, runEnd, yRank, distinctY, xRun, xRuns } = layout;
  const n = order.length;
  const tree = new Float64Array(distinctY + 1);
  const below = (rank: number) => {
    let sum = 0;
    for (let r = rank; r > 0; r -= r & -r) sum += tree[r]!;
    return sum;
  };
  const xWeight = new Float64Array(xRuns);
  const yWeight = new Float64Array(distinctY + 1);
  let total = 0;
  let concordant = 0;
  let discordant = 0;
  let inserted = 0;
  for (let start = 0; start < n; start = runEnd[start]!) {
    const end = runEnd[start]!;
    // Items of this run against the items of smaller x, inserted already.
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const w = weights[group[i]!]!;
      if (w === 0) continue;
      const r = yRank[i]!;
      const smaller = below(r - 1);
      const larger = inserted - below(r);
      concordant += w * smaller;
      discordant += w * larger;
    }
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const w = weights[group[i]!]!;
      if (w === 0) continue;
      for (let r = yRank[i]!; r <= distinctY; r += r & -r) tree[r]! += w;
      inserted += w;
      total += w;
      xWeight[xRun[i]!]! += w;
      yWeight[yRank[i]!]! += w;
    }
  }
  let xTied = 0;
  for (const w of xWeight) xTied += w * w;
  let yTied = 0;
  for (const w of yWeight) yTied += w * w;
  const untiedX = (total * total - xTied) / 2;
  const untiedY = (total * total - yTied) / 2;
  if (untiedX === 0 || untiedY === 0) return null;
  return Math.max(-1, Math.min(1, (concordant - discordant) / Math.sqrt(untiedX * untiedY)));
}
