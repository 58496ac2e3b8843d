import { z } from "zod";
import { costOf, DEFAULT_PRICES, findPrice, type PriceTable } from "./prices.js";

const CountsShape = {
  /** Model calls asked of the client (a structured call's re-ask is a second call). */
  calls: z.number().int().nonnegative(),
  /** HTTP requests sent, retries included. */
  requests: z.number().int().nonnegative(),
  /** Calls answered from the cache: no request, no cost. */
  cacheHits: z.number().int().nonnegative(),
  /** Calls answered by an identical call already in flight: no request of their own. */
  merged: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
  /** Calls that ended without an answer. */
  failures: z.number().int().nonnegative(),
  /** Structured answers that failed validation (each is re-asked once). */
  invalidOutputs: z.number().int().nonnegative(),
  /** Tokens of answered requests, as the API reported them. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Estimated USD; null when a model has no price. */
  costUsd: z.number().nonnegative().nullable(),
};

export const UsageTotalsSchema = z.object(CountsShape);
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;

/** What a run spent, for manifest.json. */
export const UsageReportSchema = z.object({
  /** The date of the price table the costs come from. */
  pricesAsOf: z.string(),
  total: UsageTotalsSchema,
  byModel: z.array(UsageTotalsSchema.extend({ model: z.string() })),
  byStage: z.array(UsageTotalsSchema.extend({ stage: z.string() })),
  /** E.g. which models had no price. */
  notes: z.array(z.string()),
});
export type UsageReport = z.infer<typeof UsageReportSchema>;

type Counter = Exclude<keyof UsageTotals, "costUsd">;
type Cell = Record<Counter, number>;

const COUNTERS: readonly Counter[] = [
  "calls",
  "requests",
  "cacheHits",
  "merged",
  "retries",
  "failures",
  "invalidOutputs",
  "inputTokens",
  "outputTokens",
];

function emptyCell(): Cell {
  return {
    calls: 0,
    requests: 0,
    cacheHits: 0,
    merged: 0,
    retries: 0,
    failures: 0,
    invalidOutputs: 0,
    inputTokens: 0,
    outputTokens: 0,
  };
}

/**
 * Counts per (model, stage). Models are `provider:modelId`; stages are the
 * caller's labels ('extract', 'judge', 'generate'...). Several clients may
 * share one tracker, so a run reports all its models together.
 */
export class UsageTracker {
  readonly #cells = new Map<string, { model: string; stage: string; cell: Cell }>();
  readonly prices: PriceTable;

  constructor(prices: PriceTable = DEFAULT_PRICES) {
    this.prices = prices;
  }

  add(model: string, stage: string, counts: Partial<Cell>): void {
    const id = JSON.stringify([model, stage]);
    let entry = this.#cells.get(id);
    if (!entry) {
      entry = { model, stage, cell: emptyCell() };
      this.#cells.set(id, entry);
    }
    for (const counter of COUNTERS) entry.cell[counter] += counts[counter] ?? 0;
  }

  /**
   * Estimated USD spent so far on the models that have a price; what a budget
   * is checked against (a client with a budget must have a priced model).
   */
  spentUsd(): number {
    let total = 0;
    for (const entry of this.#cells.values()) total += this.#cost(entry.model, entry.cell) ?? 0;
    return total;
  }

  report(): UsageReport {
    const entries = [...this.#cells.values()];
    const models = [...new Set(entries.map((entry) => entry.model))].sort();
    const stages = [...new Set(entries.map((entry) => entry.stage))].sort();
    const totals = (selected: typeof entries): UsageTotals => {
      const cell = emptyCell();
      let cost: number | null = 0;
      for (const entry of selected) {
        for (const counter of COUNTERS) cell[counter] += entry.cell[counter];
        const entryCost = this.#cost(entry.model, entry.cell);
        cost = cost === null || entryCost === null ? null : cost + entryCost;
      }
      return { ...cell, costUsd: cost };
    };
    const byModel = models.map((model) => ({
      model,
      ...totals(entries.filter((entry) => entry.model === model)),
    }));
    const notes = byModel
      .filter((row) => row.costUsd === null)
      .map(
        (row) => `No price for ${row.model}: its cost is unknown (add it to the price table in the config).`,
      );
    return UsageReportSchema.parse({
      pricesAsOf: this.prices.asOf,
      total: totals(entries),
      byModel,
      byStage: stages.map((stage) => ({
        stage,
        ...totals(entries.filter((entry) => entry.stage === stage)),
      })),
      notes,
    });
  }

  #cost(model: string, cell: Cell): number | null {
    // A model that made no request cost nothing, priced or not.
    if (cell.inputTokens === 0 && cell.outputTokens === 0) return 0;
    const price = findPrice(this.prices, model);
    return price ? costOf(price, cell.inputTokens, cell.outputTokens) : null;
  }
}
