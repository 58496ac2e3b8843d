import {
  type ClusteredAuc,
  clusteredAuc,
  clusteredTauB,
  type RatedItem,
  type SummaryLevelCorrelation,
  summaryLevelCorrelation,
} from "@profilekit/core";
import type {
  ValidationEstimate,
  ValidationItem,
  ValidationMapping,
  ValidationResult,
} from "@profilekit/spec";

/** A factor's value on each item, in the items' order: a number, or null with why. */
export type FactorValues = readonly { readonly value: number | null; readonly error?: string }[];

/** How the statistics resample. */
export interface ResultOptions {
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
}

/** An AUC below this many positives (or negatives) is noted as resting on few items. */
const fewPositives = 10;

/**
 * The human side of a mapping on one item: the sum of its labels (true counts 1, false 0), or
 * undefined when the item lacks one of them.
 */
function labelSum(item: ValidationItem, labels: readonly string[]): number | undefined {
  let sum = 0;
  for (const name of labels) {
    const label = item.labels[name];
    if (label === undefined) return undefined;
    sum += label === true ? 1 : label === false ? 0 : label;
  }
  return sum;
}

/**
 * Compares one factor's values with the mapping's human labels. Items lacking a label are counted
 * as `missingLabel`, items the factor could not measure as `notMeasured` (an item lacking a label
 * is counted there only); the rest are compared, the factor's value negated for a `reversed`
 * mapping, so that a positive correlation (an AUC above 0.5) always means agreement.
 */
export function mappingResult(
  mapping: ValidationMapping,
  items: readonly ValidationItem[],
  values: FactorValues,
  options: ResultOptions,
): ValidationResult {
  const rated: RatedItem[] = [];
  let missingLabel = 0;
  const failures = new Map<string, number>();
  let notMeasured = 0;
  for (const [i, item] of items.entries()) {
    const human = labelSum(item, mapping.labels);
    if (human === undefined) {
      missingLabel++;
      continue;
    }
    const { value, error } = values[i]!;
    if (value === null) {
      notMeasured++;
      const reason = error ?? "no value";
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
      continue;
    }
    rated.push({
      cluster: item.cluster,
      human,
      extractor: mapping.direction === "reversed" ? -value : value,
    });
  }
  const notes: string[] = [];
  if (missingLabel > 0) {
    notes.push(
      `${missingLabel} of ${items.length} items have no ${mapping.labels.join(" or ")} label: left out.`,
    );
  }
  if (notMeasured > 0) {
    const reasons = [...failures]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, 3)
      .map(([reason, n]) => `${reason} (${n})`);
    notes.push(
      `${notMeasured} items could not be measured by ${mapping.factor}: left out. ${reasons.join("; ")}.`,
    );
  }
  const base = {
    ...mapping,
    items: rated.length,
    clusters: new Set(rated.map((item) => item.cluster)).size,
    missingLabel,
    notMeasured,
  };
  const seeded = { bootstrap: options.bootstrap, permutations: options.permutations, seed: options.seed };
  if (mapping.statistic === "summary-level") {
    const correlation = summaryLevelCorrelation(rated, seeded);
    const defined = Math.min(correlation.spearman.clusters, correlation.kendallTauB.clusters);
    if (defined === 0) {
      notes.push(
        "No cluster has 2 or more compared items with both sides varying: a summary-level correlation is undefined.",
      );
    } else if (defined < base.clusters) {
      notes.push(
        `${base.clusters - defined} of ${base.clusters} clusters left out of the mean: fewer than 2 items, ` +
          "or one rating (or one value) for all their items, so no correlation within them.",
      );
    }
    return {
      ...base,
      spearman: estimateOf(correlation.spearman),
      kendallTauB: estimateOf(correlation.kendallTauB),
      auc: null,
      intervalMethod: correlation.intervalMethod,
      notes: [...notes, ...correlation.warnings],
    };
  }
  const tau = clusteredTauB(rated, seeded);
  const auc = clusteredAuc(
    rated.map((item) => ({ cluster: item.cluster, positive: item.human > 0, value: item.extractor })),
    seeded,
  );
  notes.push(...aucNotes(auc, mapping));
  return {
    ...base,
    spearman: null,
    kendallTauB: {
      value: tau.tauB,
      ci95: tau.ci95,
      ci95MonteCarloError: tau.ci95MonteCarloError,
      clusters: tau.clusters,
    },
    auc: {
      value: auc.auc,
      ci95: auc.ci95,
      ci95MonteCarloError: auc.ci95MonteCarloError,
      clusters: auc.clusters,
      positives: auc.positives,
      negatives: auc.negatives,
    },
    intervalMethod: tau.intervalMethod,
    // The AUC's few-cluster warning is the tau's: the same clusters.
    notes: [...notes, ...tau.warnings],
  };
}

function estimateOf(estimate: SummaryLevelCorrelation["spearman"]): ValidationEstimate {
  return {
    value: estimate.value,
    ci95: estimate.ci95,
    ci95MonteCarloError: estimate.ci95MonteCarloError,
    clusters: estimate.clusters,
  };
}

function aucNotes(auc: ClusteredAuc, mapping: ValidationMapping): string[] {
  const present = `${mapping.labels.join(" or ")} present`;
  if (auc.positives === 0 || auc.negatives === 0) {
    return [`The AUC is undefined: ${auc.positives === 0 ? "no" : "every"} compared item has ${present}.`];
  }
  const fewer = Math.min(auc.positives, auc.negatives);
  return fewer < fewPositives
    ? [
        `The AUC rests on ${auc.positives} items with ${present} and ${auc.negatives} without: read it with care.`,
      ]
    : [];
}
