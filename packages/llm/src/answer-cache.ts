import type { ModelResponse } from "@profilekit/spec";
import type { CacheCheck, CacheEntryLabels, ResponseCache } from "./cache.js";

/** Whether an answer is good for a call, and what it then gives. */
export type AnswerCheck<T> = (response: ModelResponse) => { ok: true; value: T } | { ok: false };

/**
 * The cache layer: only answers found good are stored (the layers below say
 * which), and a stored answer is used only if it is still good for the call that reads it (checked again with
 * the reader's own check, e.g. its `accept` schema). An entry from an older
 * version, stored without a check, is marked once it passes and dropped once
 * it fails, so the run asks again and stores the new answer in its place.
 */
export class AnswerCache {
  readonly #cache: ResponseCache | undefined;

  constructor(cache: ResponseCache | undefined) {
    this.#cache = cache;
  }

  /** Reports a damaged file now rather than at the first call. */
  verify(): void {
    this.#cache?.verify();
  }

  /**
   * The stored answer, when there is one that passes `check`. `repair`: mark an
   * old entry that passes and drop one that fails (off for dry runs, which
   * write nothing).
   */
  read<T>(
    key: string,
    check: AnswerCheck<T>,
    kind: CacheCheck,
    repair = true,
  ): { readonly response: ModelResponse; readonly value: T } | undefined {
    const entry = this.#cache?.get(key);
    if (!entry) return undefined;
    const checked = check(entry.response);
    if (!checked.ok) {
      if (repair && entry.checked === undefined) this.#cache!.delete(key);
      return undefined;
    }
    if (repair && entry.checked === undefined) this.#cache!.markChecked(key, kind);
    return { response: entry.response, value: checked.value };
  }

  /**
   * Stores an answer the caller has found good (`labels.checked` says how: validated against
   * the call's schema, or a non-empty text).
   */
  write(key: string, response: ModelResponse, labels: CacheEntryLabels): void {
    this.#cache?.put(key, response, labels);
  }

  close(): void {
    this.#cache?.close();
  }
}
