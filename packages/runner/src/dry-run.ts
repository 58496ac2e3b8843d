import type { EstimateReport, EstimateRequest, ProviderRegistry } from "@profilekit/llm";
import { type CacheSpec, type ModelSpec, openModelClient } from "./model-spec.js";

/** The calls one stage would make of one model, for a dry run. */
export interface CallPlan {
  /** What they are for: "extract", "judge", "generate", "self-score". */
  readonly purpose: string;
  readonly model: ModelSpec;
  readonly requests: readonly EstimateRequest[];
  /** Output tokens assumed per call when a request sets none (a verdict is a few tokens). */
  readonly outputTokensPerCall?: number;
  /** What the estimate cannot know, said beside it. */
  readonly note?: string;
}

/** One line of a dry run's price: a model and purpose, its calls, tokens and cost (standard and batch). */
export interface PricedPlan extends EstimateReport {
  readonly purpose: string;
}

/** A dry run: every priced plan, and the sum of their costs (null when a model has no price). */
export interface DryRun {
  readonly plans: readonly PricedPlan[];
  readonly costUsd: number | null;
  readonly batchCostUsd: number | null;
}

/**
 * Prices call plans without calling anything: plans of one model and purpose are merged first, so
 * a call two stages would make (the extraction of the same pairs in the human and evaluation
 * settings) is counted once, and calls the cache already answers cost nothing.
 */
export async function priceCallPlans(
  plans: readonly CallPlan[],
  cache: CacheSpec,
  providers?: ProviderRegistry,
): Promise<DryRun> {
  const merged = new Map<string, CallPlan & { requests: EstimateRequest[]; notes: string[] }>();
  for (const plan of plans) {
    const key = JSON.stringify([
      plan.purpose,
      plan.model.id,
      plan.model.baseURL ?? null,
      plan.outputTokensPerCall ?? null,
    ]);
    const entry = merged.get(key);
    if (entry) {
      entry.requests.push(...plan.requests);
      if (plan.note && !entry.notes.includes(plan.note)) entry.notes.push(plan.note);
    } else {
      merged.set(key, { ...plan, requests: [...plan.requests], notes: plan.note ? [plan.note] : [] });
    }
  }
  const priced: PricedPlan[] = [];
  for (const plan of merged.values()) {
    const client = openModelClient(plan.model, cache, { providers });
    try {
      const report = client.estimate(
        plan.requests,
        plan.outputTokensPerCall === undefined ? {} : { outputTokensPerCall: plan.outputTokensPerCall },
      );
      priced.push({ purpose: plan.purpose, ...report, notes: [...plan.notes, ...report.notes] });
    } finally {
      await client.close();
    }
  }
  const sum = (pick: (plan: PricedPlan) => number | null) =>
    priced.reduce<number | null>((total, plan) => {
      const value = pick(plan);
      return total === null || value === null ? null : total + value;
    }, 0);
  return {
    plans: priced,
    costUsd: sum((plan) => plan.costUsd),
    batchCostUsd: sum((plan) => plan.batchCostUsd),
  };
}
