import type { EstimateReport, ExtractionStats, UsageReport } from "@profilekit/llm";
import type { DryRun } from "@profilekit/runner";

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
      `${report.costUsd === null ? "cost unknown" : `about ${usd(report.costUsd)}`}` +
      `${report.batchCostUsd === null || report.batchCostUsd === undefined ? "" : `, ${usd(report.batchCostUsd)} through the batch API`}` +
      ` (prices as of ${report.pricesAsOf})`,
    ...report.notes,
  ];
  return lines.join("\n");
}

/** A whole dry run: a paragraph per model and purpose, then the total at standard and batch rates. */
export function formatDryRun(what: string, dryRun: DryRun): string {
  if (dryRun.plans.length === 0) return `${what}; no factor calls a model, so the run costs nothing`;
  const plans = dryRun.plans.map((plan) => formatEstimate(`  ${plan.purpose}`, plan));
  const total =
    dryRun.costUsd === null
      ? "total: unknown (a model has no price)"
      : `total: about ${usd(dryRun.costUsd)}${dryRun.batchCostUsd === null ? "" : `, ${usd(dryRun.batchCostUsd)} through the batch API`}`;
  return [`${what}:`, ...plans, total].join("\n");
}

/** One line on how extraction went: calls, cache, failures, cut sources, position consistency. */
export function formatExtraction(stats: ExtractionStats): string {
  const consistency = Object.entries(stats.factors)
    .filter(([, factor]) => factor.positionConsistency?.rate != null)
    .map(([id, factor]) => `${id} ${(factor.positionConsistency!.rate! * 100).toFixed(0)}%`);
  return [
    `extraction (${stats.mode}${stats.bothOrders ? ", both orders" : ""}): ${stats.calls} calls, ${stats.cacheHits} from the cache, ${stats.failures} failed` +
      (stats.sourcesCut.count > 0
        ? `; ${stats.sourcesCut.count} sources cut to ${stats.sourcesCut.maxChars} chars`
        : ""),
    ...(consistency.length > 0 ? [`position consistency: ${consistency.join(", ")}`] : []),
  ].join("\n");
}

/**
 * The line a command prints when it left model-extracted factors out for want of an extractor
 * (empty when it left none out): which, and how to measure them.
 */
export function formatSkippedFactors(factors: readonly string[]): string {
  if (factors.length === 0) return "";
  return (
    `skipping ${factors.join(", ")}: measured by a language model, and none is configured. ` +
    "Add --extractor openai:gpt-4o-mini (or anthropic:claude-sonnet-4-5; for a local server set " +
    "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 and use --extractor openai:<model>).\n"
  );
}
