import type { LanguageModel, ModelCallRequest } from "@profilekit/spec";
import type { Budget } from "../budget.js";
import { BatchJournal, type JournalItem } from "./journal.js";

/** One call a run hands to a batch instead of sending it. */
export interface QueuedCall {
  readonly model: LanguageModel;
  /** `provider:modelId`. */
  readonly modelName: string;
  readonly request: ModelCallRequest;
  /** Its cache key (the batch's custom_id), how its answer is checked, and where it is counted. */
  readonly item: JournalItem;
  /** Model, prompt version and schema: the calls one canary stands for. */
  readonly signature: string;
  /** The run's budget (--max-cost) the call counts against, and what it reserves at the batch rate. */
  readonly hold?: { readonly budget: Budget; readonly costUsd: number };
}

/**
 * What a client does with a call its cache did not answer:
 * - `ask`: send it now (a batch already answered or tried it, and the answer is not usable);
 * - `canary`: send it now, as the one synchronous call of its model, prompt version and schema;
 * - `defer`: leave it to the batch (queued, or already out in one); the caller gets no answer;
 * - `simulate`: a planned round: answer with a placeholder that fits the schema.
 */
export type BatchRoute = "ask" | "canary" | "defer" | "simulate";

export type BatchQueueMode = "submit" | "export" | "simulate";

/** A canary call and how it went: undefined `error` once answered, a message if it failed. */
export interface Canary {
  readonly signature: string;
  readonly modelName: string;
  readonly key: string;
  readonly answered: boolean;
  readonly error?: string;
}

/**
 * One batch round of a run: what its clients could not answer from the cache, gathered instead
 * of sent. A stage runs to its first checkpoint with every client on the same queue: calls that
 * depend on no missing answer are all issued, and each miss lands here (deduplicated by cache
 * key) or is found already out in an open batch. The round is then submitted (submitBatchRound),
 * or written to a batch file (exportBatchFile). Before submitting, one call per model, prompt
 * version and schema is made synchronously (the canary), because a provider may check a batch's
 * requests only when the batch ends.
 *
 * A `simulate` queue plans the rounds after this one: the calls of the rounds before are answered
 * with placeholders, so the calls that depend on them are issued and counted.
 */
export class BatchQueue {
  readonly mode: BatchQueueMode;
  /** The cache file, whose journal says which calls are out already. */
  readonly cachePath: string | undefined;
  /** The calls to send this round, by cache key. */
  readonly calls = new Map<string, QueuedCall>();
  /** Calls already out in open provider batches. */
  readonly waiting = new Set<string>();
  /** Calls a batch answered or tried before whose answer was not usable: asked synchronously. */
  readonly asked = new Set<string>();
  readonly #canaries = new Map<string, Canary>();
  /** Planning: calls with (placeholder) answers. */
  readonly #known: ReadonlySet<string>;
  #journal: BatchJournal | undefined;

  constructor(
    options:
      | { readonly mode: "submit" | "export"; readonly cache: string }
      | { readonly mode: "simulate"; readonly known: Iterable<string> },
  ) {
    this.mode = options.mode;
    this.cachePath = options.mode === "simulate" ? undefined : options.cache;
    this.#known = new Set(options.mode === "simulate" ? options.known : []);
  }

  /** What to do with a call the cache did not answer (see BatchRoute). */
  route(call: QueuedCall): BatchRoute {
    const { key } = call.item;
    if (this.mode === "simulate") {
      if (this.#known.has(key)) return "simulate";
      this.calls.set(key, call);
      return "defer";
    }
    if (this.calls.has(key) || this.waiting.has(key)) return "defer";
    const status = this.#journalOf().status(key);
    if (status === "waiting") {
      this.waiting.add(key);
      return "defer";
    }
    if (status === "tried") {
      this.asked.add(key);
      return "ask";
    }
    if (this.mode === "submit" && !this.#canaries.has(call.signature)) {
      this.#canaries.set(call.signature, {
        signature: call.signature,
        modelName: call.modelName,
        key,
        answered: false,
      });
      return "canary";
    }
    this.calls.set(key, call);
    return "defer";
  }

  /** How a canary call ended: answered, or the error. */
  canaryDone(signature: string, error: string | undefined): void {
    const canary = this.#canaries.get(signature);
    if (!canary) return;
    this.#canaries.set(signature, { ...canary, answered: error === undefined, ...(error ? { error } : {}) });
  }

  get canaries(): readonly Canary[] {
    return [...this.#canaries.values()];
  }

  /** USD the calls queued this round hold against their runs' budgets (--max-cost), at the batch rate. */
  get heldUsd(): number {
    let held = 0;
    for (const call of this.calls.values()) held += call.hold?.costUsd ?? 0;
    return held;
  }

  /** Calls this round left without an answer: queued here, or out in an open batch. */
  get deferred(): number {
    return this.calls.size + this.waiting.size;
  }

  /** The planning queue for the round after this one. */
  nextRound(): BatchQueue {
    const canaries = [...this.#canaries.values()].map((canary) => canary.key);
    return new BatchQueue({
      mode: "simulate",
      known: [...this.#known, ...this.calls.keys(), ...this.waiting, ...this.asked, ...canaries],
    });
  }

  #journalOf(): BatchJournal {
    this.#journal ??= new BatchJournal(this.cachePath!);
    return this.#journal;
  }

  close(): void {
    this.#journal?.close();
    this.#journal = undefined;
  }
}
