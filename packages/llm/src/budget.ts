import { BudgetExceededError } from "./errors.js";

/** A started request's hold on the budget; `release` it once its real cost is counted. */
export interface Reservation {
  release(): void;
}

/**
 * A cap on a run's spend. Before a request starts it reserves its estimated
 * cost; it starts only once what was spent, plus what requests in flight have
 * reserved, plus its own estimate is within the cap, waiting for requests in
 * flight to end if need be. A request that could cross the cap even with none
 * in flight is refused (BudgetExceededError), and so is every later one: the
 * run is ending. Once a request ends, its real cost is counted as spent (by
 * the usage tracker) and its reservation released, in that order, so no
 * moment counts it as zero.
 *
 * The cap holds as long as each estimate is not below the request's real cost
 * (the client estimates input as characters / 4 and output as the request's
 * maxOutputTokens, or a stated default): docs/models.md says how.
 */
export class Budget {
  readonly maxCost: number;
  readonly #spent: () => number;
  #reserved = 0;
  #inFlight = 0;
  #refused = false;
  readonly #waiting: (() => void)[] = [];

  /** `spent`: the USD counted so far (the usage tracker's). */
  constructor(maxCost: number, spent: () => number) {
    if (!(maxCost >= 0)) throw new RangeError(`a budget must be a non-negative amount, got ${maxCost}`);
    this.maxCost = maxCost;
    this.#spent = spent;
  }

  /** USD counted as spent so far. */
  get spentUsd(): number {
    return this.#spent();
  }

  /** USD reserved by requests in flight. */
  get reservedUsd(): number {
    return this.#inFlight === 0 ? 0 : this.#reserved;
  }

  /** Whether a request has been refused: once one is, the run is ending. */
  get exceeded(): boolean {
    return this.#refused;
  }

  /**
   * Reserves `estimatedUsd` for a request about to start: at once when it fits
   * beside the requests in flight, after some of them end when it does not,
   * and never (BudgetExceededError) when it could cross the cap on its own.
   */
  async reserve(estimatedUsd: number, signal?: AbortSignal): Promise<Reservation> {
    for (;;) {
      signal?.throwIfAborted();
      const spent = this.#spent();
      if (this.#refused || spent + estimatedUsd > this.maxCost) {
        const reserved = this.reservedUsd;
        this.#refused = true;
        this.#wakeAll();
        throw new BudgetExceededError(spent, this.maxCost, {
          reservedUsd: reserved,
          nextCallUsd: estimatedUsd,
        });
      }
      if (spent + this.reservedUsd + estimatedUsd <= this.maxCost) break;
      await this.#released(signal);
    }
    this.#reserved += estimatedUsd;
    this.#inFlight += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        // Float sums drift; with nothing in flight the reservation is exactly zero.
        this.#reserved = this.#inFlight === 0 ? 0 : this.#reserved - estimatedUsd;
        this.#wakeAll();
      },
    };
  }

  /** Resolves at the next release (or refusal), or when the signal aborts. */
  #released(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      signal?.addEventListener("abort", wake, { once: true });
      this.#waiting.push(wake);
    });
  }

  /** Every waiter checks again (in the order they came). */
  #wakeAll(): void {
    for (const wake of this.#waiting.splice(0)) wake();
  }
}

/**
 * The budget layer: a call reserves its estimated cost before it is sent
 * (waiting, if need be, for calls in flight to end) and releases it once it
 * has ended, retries included; `send` must have counted the real cost (in the
 * tracker the budget reads) by the time it settles.
 */
export function budgeted<Request, Context, Response>(
  budget: Budget,
  estimateUsd: (request: Request) => number,
  send: (request: Request, context: Context, signal?: AbortSignal) => Promise<Response>,
): (request: Request, context: Context, signal?: AbortSignal) => Promise<Response> {
  return async (request, context, signal) => {
    const reservation = await budget.reserve(estimateUsd(request), signal);
    try {
      return await send(request, context, signal);
    } finally {
      reservation.release();
    }
  };
}
