import type { UsageReport } from "@profilekit/llm";
import type { ModelSpec } from "@profilekit/runner";
import { ProfilekitError } from "@profilekit/spec";

/**
 * One budget over every part of an improvement run. Each part (the plain generation, the method,
 * the data profile...) runs with its own clients, and a client's `maxCost` caps only the calls on
 * its own usage tracker; so each part gets, as every model's `maxCost`, what is left of the run's
 * budget after the parts before it. The run's budget is the `maxCost` its models were given (all
 * the same, or only some of them); without one, nothing is capped. In batch mode, what the calls
 * queued for the round hold counts as spent, so parts sharing a round cannot each submit the rest.
 */
export class RunBudget {
  readonly maxCost: number | undefined;
  #spent = 0;
  readonly #held: (() => number) | undefined;

  /**
   * `held`: in batch mode, what the calls queued for the round's batches hold (BatchQueue.heldUsd),
   * so that parts sharing a round share the budget too.
   */
  constructor(specs: readonly (ModelSpec | undefined)[], held?: () => number) {
    this.#held = held;
    const caps = [...new Set(specs.flatMap((spec) => (spec?.maxCost === undefined ? [] : [spec.maxCost])))];
    if (caps.length > 1) {
      throw new ProfilekitError(
        "conflicting_options",
        `the models of one improvement run were given different budgets (${caps.map((c) => `$${c}`).join(", ")})`,
        { hint: "give every model of the run the same maxCost (--max-cost sets it for all)" },
      );
    }
    this.maxCost = caps[0];
  }

  /** The model with what is left of the budget as its maxCost (the model as given, without a budget). */
  spec(spec: ModelSpec): ModelSpec;
  spec(spec: ModelSpec | undefined): ModelSpec | undefined;
  spec(spec: ModelSpec | undefined): ModelSpec | undefined {
    if (spec === undefined || this.maxCost === undefined) return spec;
    // A cap must be positive: with nothing left, the smallest one refuses every paid call (and
    // answers from the cache still come back).
    const left = this.maxCost - this.#spent - (this.#held?.() ?? 0);
    return { ...spec, maxCost: Math.max(left, Number.MIN_VALUE) };
  }

  /** Counts what a part spent. */
  add(usage: UsageReport): void {
    this.#spent += usage.total.costUsd ?? 0;
  }
}
