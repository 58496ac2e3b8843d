import { setTimeout as delay } from "node:timers/promises";

export interface SchedulerOptions {
  /** Requests in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Requests started per minute (token bucket holding one minute's worth). */
  readonly rpm?: number;
  /** Tokens (input + output) per minute (token bucket holding one minute's worth). */
  readonly tpm?: number;
  /**
   * On a 429 halve the concurrency (not below 1; once per round of requests
   * started since the last cut), then add one back after each run of that
   * many successes (AIMD). Default true.
   */
  readonly adaptive?: boolean;
  /** Told whenever the adaptive limit changes. */
  readonly onLimitChange?: (limit: number) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_CONCURRENCY = 8;

/** A started request's hold on a slot; `release` exactly once. */
export interface Lease {
  release(outcome: { rateLimited?: boolean; ok?: boolean; tokens?: number }): void;
}

/**
 * A token bucket that refills continuously at `perMinute` a minute, holds at
 * most `perMinute`, and may go into debt when a request used more tokens than
 * it reserved.
 */
export class TokenBucket {
  readonly perMinute: number;
  #level: number;
  #updated: number;
  readonly #now: () => number;

  constructor(perMinute: number, now: () => number) {
    if (!(perMinute > 0)) throw new RangeError(`a per-minute limit must be positive, got ${perMinute}`);
    this.perMinute = perMinute;
    this.#level = perMinute;
    this.#now = now;
    this.#updated = now();
  }

  /** Milliseconds until `amount` is available (amounts above the capacity wait for a full bucket). */
  waitFor(amount: number): number {
    this.#refill();
    const needed = Math.min(amount, this.perMinute);
    return this.#level >= needed ? 0 : Math.ceil(((needed - this.#level) * 60_000) / this.perMinute);
  }

  take(amount: number): void {
    this.#refill();
    this.#level -= amount;
  }

  #refill(): void {
    const now = this.#now();
    this.#level = Math.min(this.perMinute, this.#level + ((now - this.#updated) * this.perMinute) / 60_000);
    this.#updated = now;
  }
}

/**
 * Decides when a request may start: at most `concurrency` in flight (lowered
 * for a while after 429s when adaptive), and within the per-minute request
 * and token budgets. Waiters are served first come, first served.
 */
export class RequestScheduler {
  readonly maxConcurrency: number;
  readonly #adaptive: boolean;
  readonly #rpm: TokenBucket | undefined;
  readonly #tpm: TokenBucket | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #onLimitChange: ((limit: number) => void) | undefined;
  #limit: number;
  /** Bumped at each cut, so the 429s of one round cut only once. */
  #round = 0;
  #active = 0;
  #successesSinceChange = 0;
  #maxActive = 0;
  readonly #waiting: (() => void)[] = [];
  /** Rate waits are chained so they are served in order. */
  #gate: Promise<void> = Promise.resolve();

  constructor(options: SchedulerOptions = {}) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    const now = options.now ?? Date.now;
    this.maxConcurrency = concurrency;
    this.#limit = concurrency;
    this.#adaptive = options.adaptive ?? true;
    this.#rpm = options.rpm === undefined ? undefined : new TokenBucket(options.rpm, now);
    this.#tpm = options.tpm === undefined ? undefined : new TokenBucket(options.tpm, now);
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal }));
    this.#onLimitChange = options.onLimitChange;
  }

  /** The concurrency in force now (below the maximum after 429s). */
  get limit(): number {
    return this.#limit;
  }

  /** The most requests ever in flight at once. */
  get maxInFlight(): number {
    return this.#maxActive;
  }

  /**
   * Waits for a slot and for the rate budgets. `estimatedTokens` is reserved
   * from the token budget; `release({ tokens })` settles the difference.
   */
  async acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Lease> {
    await this.#slot(signal);
    try {
      const gate = this.#gate.then(() => this.#awaitBudgets(estimatedTokens, signal));
      this.#gate = gate.catch(() => undefined);
      await gate;
    } catch (error) {
      this.#free();
      throw error;
    }
    let released = false;
    const round = this.#round;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        if (outcome.tokens !== undefined) this.#tpm?.take(outcome.tokens - estimatedTokens);
        if (outcome.rateLimited) this.#decrease(round);
        else if (outcome.ok) this.#increase();
        this.#free();
      },
    };
  }

  async #slot(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    if (this.#active < this.#limit) {
      this.#take();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  #take(): void {
    this.#active += 1;
    this.#maxActive = Math.max(this.#maxActive, this.#active);
  }

  #free(): void {
    this.#active -= 1;
    this.#admit();
  }

  #admit(): void {
    while (this.#active < this.#limit && this.#waiting.length > 0) {
      this.#take();
      this.#waiting.shift()!();
    }
  }

  async #awaitBudgets(tokens: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    for (;;) {
      const wait = Math.max(this.#rpm?.waitFor(1) ?? 0, this.#tpm?.waitFor(tokens) ?? 0);
      if (wait === 0) break;
      await this.#sleep(wait, signal);
    }
    this.#rpm?.take(1);
    this.#tpm?.take(tokens);
  }

  #decrease(round: number): void {
    if (!this.#adaptive || round !== this.#round) return;
    this.#round += 1;
    this.#successesSinceChange = 0;
    const limit = Math.max(1, Math.floor(this.#limit / 2));
    if (limit !== this.#limit) {
      this.#limit = limit;
      this.#onLimitChange?.(limit);
    }
  }

  #increase(): void {
    if (!this.#adaptive || this.#limit >= this.maxConcurrency) return;
    this.#successesSinceChange += 1;
    if (this.#successesSinceChange >= this.#limit) {
      this.#limit += 1;
      this.#successesSinceChange = 0;
      this.#onLimitChange?.(this.#limit);
      this.#admit();
    }
  }
}
