import { z } from "zod";
import { Budget } from "./budget.js";
import { type FailureCause, ModelConfigurationError } from "./errors.js";
import { FailureGroupSchema, FailureLog } from "./failures.js";
import { costOf, DEFAULT_PRICES, findPrice, ModelPriceSchema, type PriceTable } from "./prices.js";

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
  /**
   * Calls that ended without a usable answer: no answer after the retries, a
   * rejected key, an unknown model, or an answer still invalid after its
   * re-ask. `failureCauses` says why.
   */
  failures: z.number().int().nonnegative(),
  /** Structured answers that failed validation (each is re-asked once). */
  invalidOutputs: z.number().int().nonnegative(),
  /** Tokens of answered requests, as the API reported them; cached input tokens included. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Of inputTokens, read from the provider's prompt cache (priced at the cached rate). */
  cachedInputTokens: z.number().int().nonnegative().default(0),
  /** Of inputTokens, written to the provider's prompt cache (Anthropic; priced at the write rate). */
  cacheWriteInputTokens: z.number().int().nonnegative().default(0),
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
  /** The rates each priced model's cost used, with their dates. */
  prices: z.array(ModelPriceSchema.extend({ model: z.string() })).default([]),
  /** Failed calls by model, stage and cause, with a few example messages. */
  failureCauses: z.array(FailureGroupSchema).default([]),
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
  "cachedInputTokens",
  "cacheWriteInputTokens",
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
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
  };
}

/**
 * Counts per (model, stage), the failed calls by cause, and the run's budget.
 * Models are `provider:modelId`; stages are the caller's labels ('extract',
 * 'judge', 'generate'...). Several clients may share one tracker, so a run
 * reports, and budgets, all its models together; a new run takes a new
 * tracker, so its new calls count against its cap afresh.
 */
export class UsageTracker {
  readonly #cells = new Map<string, { model: string; stage: string; cell: Cell }>();
  readonly #failures = new FailureLog();
  #budget: Budget | undefined;
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

  /** One call that ended without a usable answer: counted in `failures`, grouped by its cause. */
  recordFailure(
    model: string,
    stage: string,
    failure: { readonly cause: FailureCause; readonly summary: string; readonly message: string },
  ): void {
    this.add(model, stage, { failures: 1 });
    this.#failures.record(model, stage, failure);
  }

  /**
   * The run's budget: made on the first call with this cap, and shared by
   * every client on this tracker, so calls in flight on any of them count.
   */
  budget(maxCost: number): Budget {
    this.#budget ??= new Budget(maxCost, () => this.spentUsd());
    if (this.#budget.maxCost !== maxCost) {
      throw new ModelConfigurationError(
        "conflicting_options",
        `Clients sharing a usage tracker were given two budgets, $${this.#budget.maxCost} and $${maxCost}.`,
        { hint: "Give every client of a run the same maxCost." },
      );
    }
    return this.#budget;
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
    const prices = models.flatMap((model) => {
      const price = findPrice(this.prices, model);
      return price ? [{ model, ...price, asOf: price.asOf ?? this.prices.asOf }] : [];
    });
    return UsageReportSchema.parse({
      pricesAsOf: this.prices.asOf,
      total: totals(entries),
      byModel,
      byStage: stages.map((stage) => ({
        stage,
        ...totals(entries.filter((entry) => entry.stage === stage)),
      })),
      prices,
      failureCauses: this.#failures.report(),
      notes,
    });
  }

  #cost(model: string, cell: Cell): number | null {
    // A model that made no request cost nothing, priced or not.
    if (cell.inputTokens === 0 && cell.outputTokens === 0) return 0;
    const price = findPrice(this.prices, model);
    return price ? costOf(price, cell) : null;
  }
}
