import { type UsageReport, type UsageTotals, UsageTracker } from "@profilekit/llm";

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
 * Several usage reports (one per stage of a study) summed: the totals, and the totals of each
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
