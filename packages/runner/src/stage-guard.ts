import { type BatchQueue, describeFailures, type ModelEvent, type UsageReport } from "@profilekit/llm";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { BatchPendingError } from "./batch-rounds.js";

/** The share of a stage's model calls that may fail before the stage fails: 5% by default. */
export const defaultMaxFailures = 0.05;

/** `maxFailures` of a stage request: a share of its model calls, 0 to 1. */
export const MaxFailuresSchema = z
  .number()
  .min(0)
  .max(1)
  .default(defaultMaxFailures)
  .describe(
    "The share of model calls that may fail (after their retries and re-ask) before the stage fails.",
  );

/** Calls that must all fail, with none answered, before a stage stops early: nothing is working. */
const hopelessAfter = 10;

/**
 * Keeps a stage's model calls honest. It watches the calls as they end (the clients' events):
 * when the first calls all fail, or failures pass `maxFailures` of the calls the stage planned, it
 * stops the stage at once (through its signal) instead of spending the rest; at the end it fails
 * the stage when failures passed the share of the calls made. Either way the error names the
 * causes (connection refused at <url>, 401, model not found, invalid answers) and exits 1, and
 * the stage publishes nothing more, so a study runs it again. An interruption (the caller's
 * signal, Ctrl-C) becomes `interrupted`, saying what was kept.
 *
 * In batch mode (a BatchQueue), a checkpoint after calls of this stage were left to the queue (or
 * found out in an open batch) ends the stage there (BatchPendingError): what depends on those
 * answers waits for the next round, and nothing is written. Only the stage's own calls count, so
 * stages sharing one queue each go as far as their own answers allow in the same round.
 */
export class StageGuard {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #maxFailures: number;
  readonly #stage: string;
  readonly #batch: BatchQueue | undefined;
  #planned = 0;
  #answered = 0;
  #failed = 0;
  #deferred = 0;
  #usage: (() => UsageReport) | undefined;

  constructor(stage: string, maxFailures: number, caller: AbortSignal | undefined, batch?: BatchQueue) {
    this.#stage = stage;
    this.#maxFailures = maxFailures;
    this.#caller = caller;
    this.#batch = batch;
    this.signal = caller ? AbortSignal.any([caller, this.#controller.signal]) : this.#controller.signal;
  }

  /** The usage the error messages quote (the stage's shared tracker). */
  watch(usage: () => UsageReport): void {
    this.#usage = usage;
  }

  /** Calls the stage is about to make (more may be added as it goes). */
  plan(calls: number): void {
    this.#planned += calls;
  }

  /** For the clients' `onEvent`. */
  readonly onEvent = (event: ModelEvent): void => {
    if (event.type === "response" || event.type === "cache-hit") this.#answered++;
    else if (event.type === "deferred") this.#deferred++;
    else if (event.type === "failure") {
      this.#failed++;
      this.#tripIfHopeless();
    }
  };

  #tripIfHopeless(): void {
    if (this.signal.aborted) return;
    const allowed = Math.floor(this.#maxFailures * this.#planned);
    const hopeless = this.#answered === 0 && this.#failed >= hopelessAfter;
    if (hopeless || (this.#planned > 0 && this.#failed > allowed)) {
      this.#controller.abort(
        this.#failure(
          hopeless
            ? `the first ${this.#failed} model calls of ${this.#stage} all failed, so it stopped`
            : `${this.#failed} of the ${this.#planned} model calls ${this.#stage} planned failed, more than --max-failures ${percent(this.#maxFailures)} allows, so it stopped`,
        ),
      );
    }
  }

  /**
   * At a checkpoint after a group of the stage's calls: ends a batch round when calls of the stage
   * were left to the queue (carrying the usage of its synchronous calls); fails the stage when
   * failures passed the share of the calls made.
   */
  check(usage: UsageReport): void {
    if (this.#batch && this.#deferred > 0) {
      throw new BatchPendingError(undefined, this.#deferred, this.#usage?.() ?? usage);
    }
    const { failures, calls } = usage.total;
    if (failures === 0 || failures <= this.#maxFailures * calls) return;
    throw this.#failure(
      `${failures} of ${calls} model calls of ${this.#stage} failed, more than --max-failures ${percent(this.#maxFailures)} allows`,
    );
  }

  /** What to throw for an error that ended the stage: the guard's own, an interruption, or the error itself. */
  translate(error: unknown): unknown {
    if (this.#controller.signal.aborted) return this.#controller.signal.reason;
    if (this.#caller?.aborted) {
      const usage = this.#usage?.();
      const kept = usage
        ? usage.total.calls - usage.total.cacheHits - usage.total.merged - usage.total.failures
        : 0;
      return new ProfilekitError(
        "interrupted",
        `interrupted: ${kept} model answers are in the cache; run the same command again to resume`,
        {
          hint: "finished calls are answered from the cache on the next run, so nothing is paid for twice",
          exitCode: 130,
        },
      );
    }
    return error;
  }

  #failure(what: string): ProfilekitError {
    const causes = this.#usage ? describeFailures(this.#usage().failureCauses) : "";
    return new ProfilekitError("too_many_failures", `${what}${causes ? `.\n${causes}` : "."}`, {
      hint:
        "fix the cause above (is the server running at that URL? is the API key right? does the model exist?), " +
        "then run the same command again: the answers that came back are cached; raise --max-failures to accept more failures",
      exitCode: 1,
    });
  }
}

const percent = (share: number) => `${Number((share * 100).toFixed(2))}%`;
