/**
 * Identical calls in flight share one: the first caller of a key starts it,
 * later callers of the same key get the same promise until it settles.
 */
export class InFlightCalls<T> {
  readonly #calls = new Map<string, Promise<T>>();

  /** The call under `key`: joined when one is in flight (`merged`), else started with `start`. */
  run(key: string, start: () => Promise<T>): { readonly promise: Promise<T>; readonly merged: boolean } {
    const pending = this.#calls.get(key);
    if (pending) return { promise: pending, merged: true };
    const promise = start().finally(() => this.#calls.delete(key));
    this.#calls.set(key, promise);
    return { promise, merged: false };
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Resolves once every call now in flight has settled, whatever its outcome. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#calls.values()]);
  }
}
