import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BatchJournal,
  BatchQueue,
  type UsageReport,
  UsageTotalsSchema,
  UsageTracker,
  type BatchSubmission,
  BatchSubmissionSchema,
  collectBatches,
  exportBatchFile,
  refreshBatches,
  submitBatchRound,
} from "@profilekit/llm";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import type { StageProgress } from "./model-stage.js";
import { sumUsage } from "./usage-sum.js";

/**
 * Batch mode of a model-calling stage:
 * - `off` (the default): every call is sent as it comes;
 * - `submit`: the calls the cache does not answer go to the providers' batch APIs (after one
 *   synchronous canary per model, prompt version and schema), and the stage ends with
 *   BatchPendingError (code batch_pending, exit 0) saying what was sent; `profilekit batch
 *   collect` later fills the cache, and the same stage run again goes on (the next round of
 *   dependent calls, or to the end);
 * - `wait`: the same, polling until each round's batches end and collecting them, round after
 *   round, until the stage finishes in this process;
 * - `{ mode: "export", file }`: the calls are written as an OpenAI batch input file for `vllm
 *   run-batch` (one per model); `profilekit batch import` loads its output.
 */
export const BatchModeSchema = z
  .union([
    z.enum(["off", "submit", "wait"]),
    z.strictObject({
      mode: z.enum(["submit", "wait"]),
      /** wait: seconds between two looks at the batches. Default 30. */
      pollSeconds: z.number().positive().max(3600).optional(),
    }),
    z.strictObject({ mode: z.literal("export"), file: z.string().min(1) }),
  ])
  .describe("off, submit or wait; or { mode: 'export', file } for vllm run-batch");
export type BatchMode = z.infer<typeof BatchModeSchema>;

/**
 * The mode of a command line's `--batch` values: `submit`, `wait` or `off`, or `export FILE`
 * (`invalid_option` otherwise).
 */
export function batchModeOf(values: readonly string[]): BatchMode {
  const [mode, file, ...rest] = values;
  if (mode === "export" && file !== undefined && rest.length === 0) return { mode: "export", file };
  if ((mode === "submit" || mode === "wait" || mode === "off") && file === undefined) return mode;
  throw new ProfilekitError(
    "invalid_option",
    `--batch ${values.join(" ")}: expected submit, wait, off or export FILE`,
    {
      hint:
        mode === "export"
          ? "give the file to write, e.g. --batch export batch.jsonl"
          : "give the data before --batch, e.g. profilekit judge pairs.jsonl --model <id> --batch submit",
    },
  );
}

/** A stage's `batch`: a mode, or a BatchQueue its caller shares between stages (and submits itself). */
export const BatchOptionSchema = z.union([
  BatchModeSchema,
  z.custom<BatchQueue>((value) => value instanceof BatchQueue, { message: "a BatchQueue" }),
]);
export type BatchOption = z.infer<typeof BatchOptionSchema>;

/** Seconds between two looks at a round's batches in wait mode, unless set. */
export const DEFAULT_POLL_SECONDS = 30;

/** Rounds planned ahead at most when counting the rounds left. */
const MAX_PLANNED_ROUNDS = 20;

/** One round handed to batches: what was sent, how many rounds are expected after it, how to collect. */
export const BatchRoundSchema = z.object({
  /** The command or stage that ran: "judge", "generate", "analyze", "validate", "run". */
  command: z.string(),
  submission: BatchSubmissionSchema,
  /** Rounds of dependent calls expected after this one (planned with placeholder answers); null: unknown. */
  roundsAfter: z.number().int().nullable(),
  /** The calls the round made synchronously (canaries, fallbacks) and what they cost. */
  synchronous: UsageTotalsSchema,
  /** Where batches.jsonl was written. */
  runFolder: z.string().optional(),
});
export type BatchRound = z.infer<typeof BatchRoundSchema>;

/**
 * A stage handed its calls to batches and stopped before writing its results. With `round`: the
 * round was submitted (or exported) and the command is done for now (exit 0). Without: the stage
 * reached a checkpoint with calls left in the BatchQueue its caller gave, who submits them.
 */
export class BatchPendingError extends ProfilekitError {
  override readonly name: string = "BatchPendingError";
  readonly round: BatchRound | undefined;
  /** Without a round: the usage of the stage's calls up to the checkpoint (the synchronous ones). */
  readonly usage: UsageReport | undefined;

  constructor(round?: BatchRound, deferred = 0, usage?: UsageReport) {
    super(
      "batch_pending",
      round
        ? `${round.submission.batches.reduce((sum, batch) => sum + batch.requests, 0)} calls of ${round.command} went to batches; collect them, then run the command again`
        : `${deferred} calls are left to the batch queue; submit it, collect the batches, then run the stage again`,
      { hint: "profilekit batch collect, then the same command again", exitCode: 0 },
    );
    this.round = round;
    this.usage = usage;
  }
}

/**
 * Whether `error` is a stage that stopped at a checkpoint with calls left to the queue its caller
 * gave (a BatchPendingError without `round`): the caller submits the queue, or goes on with its
 * other stages first.
 */
export function leftToQueue(error: unknown): error is BatchPendingError {
  return error instanceof BatchPendingError && error.round === undefined;
}

/**
 * The checkpoint of a caller whose stages left calls to `queue`: a BatchPendingError without
 * `round` carrying the usage of their synchronous calls (canaries, fallbacks), summed.
 */
export function pendingOn(queue: BatchQueue, usages: readonly UsageReport[]): BatchPendingError {
  const { total, byModel } = sumUsage(usages);
  return new BatchPendingError(undefined, queue.deferred, { ...new UsageTracker().report(), total, byModel });
}

/** What every stage's batch rounds need from its request. */
export interface BatchSettings {
  readonly batch: BatchOption | undefined;
  readonly cache: string | false;
  /** The run folder (batches.jsonl goes there); none for a library call without `out`. */
  readonly out: string | undefined;
  readonly command: string;
  readonly onProgress?: StageProgress | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs a stage in batch rounds. `run(queue, planning)` runs the stage once with its clients on
 * `queue` (undefined: batch mode is off); `planning` asks it to write and report nothing (a
 * planned round). Without batch mode, or when the stage finishes, its result is returned. When it
 * stops at a checkpoint with calls left to the queue, the round is counted ahead (the rounds its
 * dependent calls will take, planned by running it again with placeholder answers), submitted or
 * exported and written to the run folder's batches.jsonl; then submit and export end with
 * BatchPendingError, and wait polls until the round's batches end, collects them and runs the
 * next round. `plan` replaces the planning of the rounds ahead (a study plans each stage).
 */
export async function inBatchRounds<T>(
  settings: BatchSettings,
  run: (queue: BatchQueue | undefined, planning: boolean) => Promise<T>,
  plan?: (queue: BatchQueue) => Promise<number | null>,
): Promise<T> {
  const option = settings.batch;
  if (option === undefined || option === "off") return run(undefined, false);
  if (option instanceof BatchQueue) return run(option, option.mode === "simulate");
  if (settings.cache === false) {
    throw new ProfilekitError(
      "batch_needs_cache",
      "Batch mode needs the response cache: batch answers are collected into it.",
      {
        hint: "Drop --no-cache (or cache: false), or run without --batch.",
      },
    );
  }
  const mode = typeof option === "string" ? option : option.mode;
  for (;;) {
    const queue = new BatchQueue({ cache: settings.cache, mode: mode === "export" ? "export" : "submit" });
    let synchronous: UsageReport["total"];
    try {
      return await run(queue, false);
    } catch (error) {
      if (!leftToQueue(error)) throw error;
      synchronous = (error.usage ?? { total: sumUsage([]).total }).total;
    } finally {
      queue.close();
    }
    // Counted for the printout of submit and export; wait goes on by itself.
    const planRounds = plan ?? ((first: BatchQueue) => plannedRounds((next) => run(next, true), first));
    const roundsAfter = mode === "wait" ? null : await planRounds(queue);
    const submitOptions = settings.out === undefined ? {} : { runFolder: settings.out };
    const submission =
      typeof option === "object" && option.mode === "export"
        ? await exportBatchFile(queue, option.file, submitOptions)
        : await submitBatchRound(queue, submitOptions);
    await noteInRunFolder(settings.out, submission);
    if (mode !== "wait") {
      const round = {
        command: settings.command,
        submission,
        roundsAfter,
        synchronous,
        ...(settings.out ? { runFolder: settings.out } : {}),
      };
      throw new BatchPendingError(round);
    }
    const pollSeconds =
      (typeof option === "object" && "pollSeconds" in option ? option.pollSeconds : undefined) ??
      DEFAULT_POLL_SECONDS;
    await waitForRound(queue, submission, {
      pollSeconds,
      onProgress: settings.onProgress,
      signal: settings.signal,
    });
  }
}

/**
 * The rounds after this one: the stage run again and again with the calls of the rounds before
 * answered by placeholders (as a dry run plans), until a run defers nothing; null when the
 * planning fails or does not end.
 */
export async function plannedRounds(
  run: (queue: BatchQueue) => Promise<unknown>,
  queue: BatchQueue,
): Promise<number | null> {
  let planning = queue.nextRound();
  for (let rounds = 0; rounds < MAX_PLANNED_ROUNDS; rounds++) {
    try {
      await run(planning);
      return rounds;
    } catch (error) {
      if (!(error instanceof BatchPendingError)) return null;
      planning = planning.nextRound();
    }
  }
  return null;
}

/** batches.jsonl of the run folder: one line per batch sent, appended (collect appends what came back). */
async function noteInRunFolder(out: string | undefined, submission: BatchSubmission): Promise<void> {
  if (out === undefined || submission.batches.length === 0) return;
  await mkdir(out, { recursive: true });
  const lines = submission.batches.map((batch) =>
    JSON.stringify({
      event: submission.mode === "export" ? "exported" : "submitted",
      ...batch,
      cache: submission.cache,
    }),
  );
  await appendFile(join(out, "batches.jsonl"), `${lines.join("\n")}\n`, "utf8");
}

/**
 * Wait mode: looks at the round's batches (those it sent, and the open ones holding calls it
 * found out already) every `pollSeconds`, telling progress as requests finished of requests sent,
 * until all have ended; then collects them.
 */
async function waitForRound(
  queue: BatchQueue,
  submission: BatchSubmission,
  options: { pollSeconds: number; onProgress?: StageProgress | undefined; signal?: AbortSignal | undefined },
): Promise<void> {
  const cache = submission.cache;
  const journal = new BatchJournal(cache);
  const ids = [...submission.batches.map((batch) => batch.job), ...journal.jobsHolding([...queue.waiting])];
  journal.close();
  if (ids.length === 0) return;
  for (;;) {
    const { jobs } = await refreshBatches({ cache, ids });
    const open = jobs.filter((job) => job.state === "submitted" && job.kind === "provider");
    const total = jobs.reduce((sum, job) => sum + job.requests, 0);
    const finished = jobs.reduce(
      (sum, job) =>
        sum +
        (job.providerState?.phase === "ended" ? job.requests : (job.providerState?.counts.finished ?? 0)),
      0,
    );
    options.onProgress?.({ step: "batch requests finished", done: finished, total });
    if (open.every((job) => job.providerState?.phase === "ended")) break;
    try {
      await sleep(options.pollSeconds * 1000, undefined, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      if (!options.signal?.aborted) throw error;
      throw new ProfilekitError(
        "interrupted",
        "interrupted while waiting for batches; they go on at the provider, and nothing is lost",
        {
          hint: "collect them later with `profilekit batch collect`, then run the same command again",
          exitCode: 130,
        },
      );
    }
  }
  await collectBatches({ cache, ids });
}

/** What a stage's parsed request says of its batch rounds. */
interface StageBatchRequest {
  readonly batch?: BatchOption | undefined;
  readonly cache: string | false;
  readonly out?: string | undefined;
  readonly onProgress?: StageProgress | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A stage run in batch rounds (inBatchRounds) from its parsed request: `once(request, queue)`
 * runs the stage once, on the round's queue (undefined: batch mode is off); a planned round gets
 * the request without `out` and `onProgress`, so it writes and tells nothing.
 */
export function inStageBatchRounds<R extends StageBatchRequest, T>(
  request: R,
  command: string,
  once: (request: R, queue: BatchQueue | undefined) => Promise<T>,
): Promise<T> {
  return inBatchRounds(batchSettingsOf(request, command), (queue, planning) =>
    once(planning ? planningRequest(request) : request, queue),
  );
}

/** The batch settings of a parsed stage request. */
function batchSettingsOf(request: StageBatchRequest, command: string): BatchSettings {
  return {
    batch: request.batch,
    cache: request.cache,
    out: request.out,
    command,
    onProgress: request.onProgress,
    signal: request.signal,
  };
}

/** The request of a planned round: it writes nothing and tells no progress. */
function planningRequest<R extends { readonly out?: string | undefined }>(request: R): R {
  return { ...request, out: undefined, onProgress: undefined };
}
