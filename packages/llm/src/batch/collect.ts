import { createReadStream, existsSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  type BatchResult,
  type LanguageModel,
  type ModelWireFormat,
  ProfilekitError,
  StructuredOutputSupportSchema,
} from "@profilekit/spec";
import { z } from "zod";
import { DEFAULT_CACHE_PATH } from "../cache.js";
import { costOf, findPrice, type PriceOverrides, priceTable } from "../prices.js";
import { openaiWire } from "../providers/openai-wire.js";
import { createLanguageModel, type ProviderRegistry } from "../providers/registry.js";
import { checkBatchAnswer } from "./answer-check.js";
import { BatchOutputLineSchema, resultOfOutputLine } from "./batch-lines.js";
import { textLines } from "./json-lines.js";
import { type BatchJob, BatchJobSchema, BatchJournal, type ItemOutcome, type StoredItem } from "./journal.js";

/** Where the journal is, which batches, and how their models are reached (keys from the environment). */
export interface BatchCommandOptions {
  /** The cache file; default `.profilekit/cache.db`. */
  readonly cache?: string;
  /** Only these batches: provider batch ids, file paths or journal job ids. */
  readonly ids?: readonly string[];
  /** Where the jobs' model ids are resolved; default the built-in providers. */
  readonly providers?: ProviderRegistry;
  /** Where API keys and base URLs are read; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly prices?: PriceOverrides;
}

/** What became of the items a collect or an import read. */
export const SettledCountsSchema = z.object({
  answered: z.number().int(),
  invalid: z.number().int(),
  errored: z.number().int(),
  /** Expired, cancelled or missing from an ended batch: sent again by the next run. */
  requeued: z.number().int(),
  /** Import: lines whose custom_id no exported file of this cache holds. */
  unknown: z.number().int(),
});
export type SettledCounts = z.infer<typeof SettledCountsSchema>;

/** A job as the batch commands show it: the journal's record, with the cost of its answers. */
export const BatchJobViewSchema = BatchJobSchema.extend({
  /** The answers' usage at the batch rate (null without a price); files at the standard one. */
  costUsd: z.number().nullable(),
});
export type BatchJobView = z.infer<typeof BatchJobViewSchema>;

/** What `profilekit batch list|status|collect|cancel|import` did, for printing or JSON. */
export const BatchReportSchema = z.object({
  action: z.enum(["list", "status", "collect", "cancel", "import"]),
  cache: z.string(),
  jobs: z.array(BatchJobViewSchema),
  settled: SettledCountsSchema.optional(),
  /** Collect: open batches still running. */
  running: z.number().int().optional(),
});
export type BatchReport = z.infer<typeof BatchReportSchema>;

const emptyCounts = (): SettledCounts => ({ answered: 0, invalid: 0, errored: 0, requeued: 0, unknown: 0 });

/** Answers are cached this many at a time, each group in one transaction with its items' states. */
const SETTLE_CHUNK = 256;

function cachePath(options: BatchCommandOptions): string {
  return resolve(options.cache ?? DEFAULT_CACHE_PATH);
}

function withJournal<T>(
  options: BatchCommandOptions,
  body: (journal: BatchJournal) => Promise<T>,
): Promise<T> {
  const journal = new BatchJournal(cachePath(options));
  return body(journal).finally(() => journal.close());
}

function requireKnown(journal: BatchJournal, options: BatchCommandOptions): void {
  if (!options.ids || options.ids.length === 0) return;
  const known = journal.jobs({ ids: options.ids });
  for (const id of options.ids) {
    if (!known.some((job) => job.batchId === id || job.job === id)) {
      throw new ProfilekitError(
        "unknown_batch",
        `No batch "${id}" is in the journal of ${cachePath(options)}.`,
        {
          hint: "`profilekit batch list` shows the batches of this cache; give its --cache-path if it is another.",
        },
      );
    }
  }
}

function report(
  journal: BatchJournal,
  action: BatchReport["action"],
  options: BatchCommandOptions,
  extra: Pick<BatchReport, "settled" | "running"> = {},
): BatchReport {
  const prices = priceTable(options.prices);
  const jobs = journal.jobs(options.ids && options.ids.length > 0 ? { ids: options.ids } : {});
  return {
    action,
    cache: cachePath(options),
    jobs: jobs.map((job) => {
      const price = findPrice(prices, job.model);
      const costUsd = price ? costOf(price, job.usage, job.kind === "provider" ? "batch" : "standard") : null;
      return { ...job, costUsd: job.usage.inputTokens + job.usage.outputTokens === 0 ? 0 : costUsd };
    }),
    ...extra,
  };
}

function modelOf(job: BatchJob, options: BatchCommandOptions): LanguageModel {
  try {
    return createLanguageModel(job.model, {
      ...(job.baseURL ? { baseURL: job.baseURL } : {}),
      ...(options.providers ? { registry: options.providers } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  } catch (error) {
    if (!(error instanceof ProfilekitError) || error.code !== "unknown_provider") throw error;
    // A batch of a plugin's provider: its registry is the config's.
    throw new ProfilekitError("unknown_provider", `Batch ${job.batchId ?? job.job}: ${error.message}`, {
      hint: "The batch was submitted through a model provider a config's plugins add: give that config (profilekit batch --config <file>, or `providers` in code).",
      exitCode: error.exitCode,
    });
  }
}

/** The open provider batches among the selected ones. */
function openProviderJobs(journal: BatchJournal, options: BatchCommandOptions): BatchJob[] {
  return journal
    .jobs({ open: true, ...(options.ids && options.ids.length > 0 ? { ids: options.ids } : {}) })
    .filter((job) => job.kind === "provider" && job.batchId !== null);
}

/** The batches in the journal, newest first; nothing is asked of a provider. */
export function listBatches(options: BatchCommandOptions = {}): Promise<BatchReport> {
  return withJournal(options, async (journal) => {
    requireKnown(journal, options);
    return report(journal, "list", options);
  });
}

/** Asks each open batch's provider how it is doing, and records the answer. */
export function refreshBatches(options: BatchCommandOptions = {}): Promise<BatchReport> {
  return withJournal(options, async (journal) => {
    requireKnown(journal, options);
    for (const job of openProviderJobs(journal, options)) {
      journal.observed(job.job, await modelOf(job, options).batch!.retrieve(job.batchId!));
    }
    return report(journal, "status", options);
  });
}

/** Cancels the open batches (all, or those named); `collect` then reads what finished and requeues the rest. */
export function cancelBatches(options: BatchCommandOptions = {}): Promise<BatchReport> {
  return withJournal(options, async (journal) => {
    requireKnown(journal, options);
    for (const job of openProviderJobs(journal, options)) {
      journal.observed(job.job, await modelOf(job, options).batch!.cancel(job.batchId!));
    }
    return report(journal, "cancel", options);
  });
}

/** Reads results into items' outcomes: an answer checked as a synchronous one, or why there is none. */
class Settler {
  readonly counts = emptyCounts();
  readonly journal: BatchJournal;
  readonly job: BatchJob;
  /** The job's items not yet seen in the results. */
  readonly items: Map<string, StoredItem>;
  readonly wire: ModelWireFormat;
  #outcomes: ItemOutcome[] = [];

  constructor(journal: BatchJournal, job: BatchJob, items: Map<string, StoredItem>, wire: ModelWireFormat) {
    this.journal = journal;
    this.job = job;
    this.items = items;
    this.wire = wire;
  }

  /** Whether the result was one of this job's items. */
  add(result: BatchResult): boolean {
    const item = this.items.get(result.customId);
    if (!item) return false;
    this.items.delete(result.customId);
    // Settled by an earlier collect (killed after that chunk, or run twice): left as it is.
    if (item.state !== "submitted") return true;
    if (result.type === "succeeded") {
      const checked = checkBatchAnswer(this.wire, result.body, item);
      if (checked.ok) {
        this.counts.answered += 1;
        this.#push({
          key: item.key,
          state: "answered",
          response: checked.response,
          labels: { model: this.job.model, promptVersion: item.promptVersion, checked: item.checked },
        });
      } else {
        this.counts.invalid += 1;
        this.#push({ key: item.key, state: "invalid", error: checked.error });
      }
    } else if (result.type === "errored") {
      this.counts.errored += 1;
      this.#push({ key: item.key, state: "errored", error: result.error });
    } else {
      this.counts.requeued += 1;
      this.#push({ key: item.key, state: result.type });
    }
    return true;
  }

  /** The job's items no result mentioned: requeued as lost. */
  lostTheRest(): void {
    for (const item of this.items.values()) {
      if (item.state !== "submitted") continue;
      this.counts.requeued += 1;
      this.#push({ key: item.key, state: "lost", error: "the ended batch gave no result for it" });
    }
    this.items.clear();
  }

  #push(outcome: ItemOutcome): void {
    this.#outcomes.push(outcome);
    if (this.#outcomes.length >= SETTLE_CHUNK) this.flush();
  }

  flush(): void {
    this.journal.settle(this.job.job, this.#outcomes);
    this.#outcomes = [];
  }
}

function addCounts(total: SettledCounts, counts: SettledCounts): void {
  for (const name of Object.keys(total) as (keyof SettledCounts)[]) total[name] += counts[name];
}

/** Appends one line to the run folder's batches.jsonl, when the job names a folder that exists. */
async function noteInRunFolder(job: BatchJob, line: Record<string, unknown>): Promise<void> {
  if (!job.runFolder || !existsSync(job.runFolder)) return;
  await appendFile(join(job.runFolder, "batches.jsonl"), `${JSON.stringify(line)}\n`, "utf8");
}

/**
 * Collects every ended batch of the journal (or those named): each answer is read by its model's
 * response parser and checked as a synchronous answer is (checkBatchAnswer), and only good ones
 * are cached, in the same transaction as their items' new states; errors are recorded; expired,
 * cancelled and missing items are requeued (the next run sends them again). Batches still running
 * are left for later. Idempotent and safe to run from cron: an item is settled once, and a second
 * collect, or one after a collect killed part way, finishes what is left without counting twice.
 */
export function collectBatches(options: BatchCommandOptions = {}): Promise<BatchReport> {
  return withJournal(options, async (journal) => {
    requireKnown(journal, options);
    const settled = emptyCounts();
    let running = 0;
    for (const job of openProviderJobs(journal, options)) {
      const model = modelOf(job, options);
      const state = await model.batch!.retrieve(job.batchId!);
      journal.observed(job.job, state);
      if (state.phase !== "ended") {
        running += 1;
        continue;
      }
      const settler = new Settler(journal, job, journal.items(job.job), model.wire!);
      for await (const result of model.batch!.results(job.batchId!)) settler.add(result);
      settler.lostTheRest();
      settler.flush();
      journal.collected(job.job);
      addCounts(settled, settler.counts);
      await noteInRunFolder(job, {
        event: "collected",
        batchId: job.batchId,
        model: job.model,
        outcome: state.outcome ?? null,
        ...settler.counts,
        collectedAt: new Date().toISOString(),
      });
    }
    return report(journal, "collect", options, { settled, running });
  });
}

/** The chat-completions parser of an exported job's model (vLLM writes chat completions). */
function fileWire(job: BatchJob): ModelWireFormat {
  const modelId = job.model.slice(job.model.indexOf(":") + 1);
  const mode = StructuredOutputSupportSchema.parse(job.structuredOutput);
  return openaiWire({
    modelId,
    structuredOutput: mode === "json-schema" ? "json-schema" : "text",
    compatible: job.provider !== "openai",
  });
}

/**
 * Loads the output of `vllm run-batch` (or any OpenAI batch output or error file) into the cache:
 * each line's custom_id is looked up among the files this cache exported, its answer checked as
 * a synchronous one (checkBatchAnswer) and cached when good. Both line shapes vLLM versions write
 * are read: `response: {status_code, request_id, body}` and the older `response: <completion>`.
 * Importing a file twice changes nothing the second time.
 */
export function importBatchFile(file: string, options: BatchCommandOptions = {}): Promise<BatchReport> {
  return withJournal(options, async (journal) => {
    if (!existsSync(file)) {
      throw new ProfilekitError("file_not_found", `The batch output file ${file} does not exist.`, {
        hint: "Give the file vllm run-batch wrote (its -o option).",
        location: { file },
      });
    }
    // Every exported file, collected ones too: a line of one settled before is left as it is.
    const settlers = journal
      .jobs()
      .filter((job) => job.kind === "file" && job.state !== "interrupted")
      .map((job) => new Settler(journal, job, journal.items(job.job), fileWire(job)));
    const settled = emptyCounts();
    let lineNumber = 0;
    for await (const line of textLines(createReadStream(file))) {
      lineNumber += 1;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw invalidLine(file, lineNumber, "it is not JSON");
      }
      const parsed = BatchOutputLineSchema.safeParse(json);
      if (!parsed.success) throw invalidLine(file, lineNumber, "it has no custom_id");
      const result = resultOfOutputLine(parsed.data);
      if (!settlers.some((settler) => settler.add(result))) settled.unknown += 1;
    }
    for (const settler of settlers) {
      settler.flush();
      addCounts(settled, settler.counts);
      const open = [...settler.items.values()].some((item) => item.state === "submitted");
      if (settler.job.state === "submitted" && !open) journal.collected(settler.job.job);
    }
    return report(journal, "import", options, { settled });
  });
}

/** The actions of `profilekit batch`. */
export const BatchActionSchema = z.enum(["list", "status", "collect", "cancel", "import"]);
export type BatchAction = z.infer<typeof BatchActionSchema>;

/**
 * One `profilekit batch` action: `args` are the batch ids it is limited to (none: every batch),
 * or, for import, the output file.
 */
export function runBatchAction(
  action: BatchAction,
  args: readonly string[],
  options: BatchCommandOptions = {},
): Promise<BatchReport> {
  if (action === "import") return importBatchFile(args[0]!, options);
  const selected = { ...options, ids: args };
  const run = { list: listBatches, status: refreshBatches, collect: collectBatches, cancel: cancelBatches }[
    action
  ];
  return run(selected);
}

function invalidLine(file: string, line: number, what: string): ProfilekitError {
  return new ProfilekitError("invalid_batch_file", `${file}:${line} is not a batch result line: ${what}.`, {
    hint: "Give the output file of vllm run-batch (or of an OpenAI batch), not its input.",
    location: { file, line },
  });
}
