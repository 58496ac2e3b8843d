import { type EstimateReport, type UsageReport, type UsageTotals, UsageTracker } from "@profilekit/llm";

const count = (n: number): string => n.toLocaleString("en-US");
const usd = (value: number | null): string =>
  value === null ? "unknown" : `$${value < 0.01 && value > 0 ? value.toPrecision(2) : value.toFixed(2)}`;

/**
 * The cost line a model setting prints: calls per stage, how many reached the
 * model and how many the cache answered, tokens, and the estimated cost.
 */
export function formatUsage(report: UsageReport): string {
  const stages = report.byStage.map((row) => `${row.stage} ${count(row.calls)}`).join(", ");
  const { total } = report;
  const lines = [
    `model calls: ${count(total.calls)}${stages ? ` (${stages})` : ""}; ${count(total.requests)} requests, ` +
      `${count(total.cacheHits)} from the cache, ${count(total.failures)} failed; ` +
      `tokens ${count(total.inputTokens)} in / ${count(total.outputTokens)} out; ` +
      `cost ${usd(total.costUsd)} (prices as of ${report.pricesAsOf})`,
    ...report.notes,
  ];
  return lines.join("\n");
}

/** What a dry run would have asked of one model, in a sentence. */
export function formatEstimate(what: string, report: EstimateReport): string {
  const lines = [
    `${what}: ${count(report.requests)} calls to ${report.model}, ${count(report.cached)} already in the cache, ` +
      `${count(report.calls)} to make: about ${count(report.inputTokens)} input and ${count(report.outputTokens)} output tokens, ` +
      `${report.costUsd === null ? "cost unknown" : `about ${usd(report.costUsd)}`} (prices as of ${report.pricesAsOf})`,
    ...report.notes,
  ];
  return lines.join("\n");
}

type Counter = Exclude<keyof UsageTotals, "costUsd">;

function addTotals(sum: UsageTotals | undefined, add: UsageTotals): UsageTotals {
  if (sum === undefined) return { ...add };
  const result = { ...sum };
  for (const key of Object.keys(add) as (keyof UsageTotals)[]) {
    if (key !== "costUsd") result[key as Counter] = sum[key as Counter] + add[key as Counter];
  }
  result.costUsd = sum.costUsd === null || add.costUsd === null ? null : sum.costUsd + add.costUsd;
  return result;
}

/**
 * Several usage reports (one per stage of a run) summed: the totals, and the totals of each
 * model (sorted by id). A cost is null when any part of it is (a model without a price).
 */
export function sumUsage(reports: readonly UsageReport[]): {
  total: UsageTotals;
  byModel: (UsageTotals & { model: string })[];
} {
  // The totals of no call at all, as the tracker counts them.
  let total: UsageTotals = new UsageTracker().report().total;
  const byModel = new Map<string, UsageTotals>();
  for (const report of reports) {
    total = addTotals(total, report.total);
    for (const { model, ...row } of report.byModel) byModel.set(model, addTotals(byModel.get(model), row));
  }
  return {
    total,
    byModel: [...byModel.keys()].sort().map((model) => ({ model, ...byModel.get(model)! })),
  };
}
