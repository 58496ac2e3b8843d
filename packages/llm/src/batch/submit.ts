import { mkdir, rename, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import {
  type BatchLimits,
  type BatchRequest,
  type BatchState,
  type LanguageModel,
  ProfilekitError,
} from "@profilekit/spec";
import { z } from "zod";
import { DEFAULT_ESTIMATED_OUTPUT_TOKENS } from "../client.js";
import { ModelConfigurationError } from "../errors.js";
import { approxInputTokens } from "../estimate.js";
import { costOf, findPrice, type PriceOverrides, priceTable } from "../prices.js";
import { CHAT_COMPLETIONS_ENDPOINT } from "../providers/openai-wire.js";
import { redactSecrets } from "../redact.js";
import type { Budget } from "../budget.js";
import { batchInputLine } from "./batch-lines.js";
import { BatchJournal } from "./journal.js";
import type { BatchQueue, QueuedCall } from "./queue.js";

/** A batch is filled to this share of its provider's limits, as a margin for what is counted differently. */
export const BATCH_HEADROOM = 0.95;

/** One batch sent to a provider, or one batch file written. */
export const SubmittedBatchSchema = z.object({
  /** The journal's id of it. */
  job: z.string(),
  /** The provider's batch id, or the file's path. */
  batchId: z.string(),
  kind: z.enum(["provider", "file"]),
  model: z.string(),
  requests: z.number().int(),
  bytes: z.number().int(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
});

/** What a round sent: its batches, what was out already, and what it is estimated to cost. */
export const BatchSubmissionSchema = z.object({
  mode: z.enum(["submit", "export"]),
  cache: z.string(),
  batches: z.array(SubmittedBatchSchema),
  /** Calls already out in open batches, not sent again. */
  waiting: z.number().int(),
  /** Calls sent synchronously: the canaries, and calls an earlier batch answered unusably. */
  canaries: z.number().int(),
  asked: z.number().int(),
  /** The calls sent, priced (tokens approximated as for a dry run): at the batch and standard rates. */
  estimate: z.object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    batchCostUsd: z.number().nullable(),
    standardCostUsd: z.number().nullable(),
  }),
});
export type BatchSubmission = z.infer<typeof BatchSubmissionSchema>;

export interface SubmitOptions {
  /** The run folder of the command, recorded with each batch (its batches.jsonl). */
  readonly runFolder?: string;
  /** Prices laid over the defaults, for the estimate. */
  readonly prices?: PriceOverrides;
}

interface ModelCalls {
  readonly model: LanguageModel;
  readonly modelName: string;
  readonly calls: QueuedCall[];
}

/** The queue's calls by model, in the order first queued. */
function byModel(queue: BatchQueue): ModelCalls[] {
  const groups = new Map<string, ModelCalls>();
  for (const call of queue.calls.values()) {
    const id = `${call.modelName}\u0000${call.model.baseURL ?? ""}`;
    let group = groups.get(id);
    if (!group) {
      group = { model: call.model, modelName: call.modelName, calls: [] };
      groups.set(id, group);
    }
    group.calls.push(call);
  }
  return [...groups.values()];
}

/** A model's calls as batch requests, split so that each batch stays within the limits. */
function chunked(
  group: ModelCalls,
  limits: BatchLimits,
): { requests: BatchRequest[]; bytes: number; calls: QueuedCall[] }[] {
  const maxRequests = Math.floor(limits.maxRequests * BATCH_HEADROOM);
  const maxBytes = Math.floor(limits.maxBytes * BATCH_HEADROOM);
  const chunks: { requests: BatchRequest[]; bytes: number; calls: QueuedCall[] }[] = [];
  let current: (typeof chunks)[number] = { requests: [], bytes: 0, calls: [] };
  for (const call of group.calls) {
    const request: BatchRequest = {
      customId: call.item.key,
      request: group.model.wire!.buildRequest(call.request),
    };
    const bytes = Buffer.byteLength(batchInputLine(request), "utf8") + 1;
    if (bytes > maxBytes) {
      throw new ProfilekitError(
        "batch_too_large",
        `A request of ${group.modelName} is ${bytes} bytes, more than a batch may hold (${maxBytes}).`,
        { hint: "Shorten the inputs (e.g. extraction.sourceBudget), or run this stage without --batch." },
      );
    }
    if (current.requests.length >= maxRequests || current.bytes + bytes > maxBytes) {
      chunks.push(current);
      current = { requests: [], bytes: 0, calls: [] };
    }
    current.requests.push(request);
    current.calls.push(call);
    current.bytes += bytes;
  }
  if (current.requests.length > 0) chunks.push(current);
  return chunks;
}

/** Refuses to submit when a canary failed: its calls would fail the same way, only later. */
function requireCanaries(queue: BatchQueue): void {
  const failed = queue.canaries.filter((canary) => canary.error !== undefined);
  if (failed.length === 0) return;
  const first = failed[0]!;
  throw new ProfilekitError(
    "batch_canary_failed",
    `The synchronous check of ${first.modelName} before submitting failed (${failed.length} of ${queue.canaries.length} canaries): ${first.error}. Nothing was submitted.`,
    {
      hint: "Fix what the message names (the model, the key, the base URL, the schema), then run the same command again.",
      exitCode: 1,
    },
  );
}

/**
 * Refuses to submit a round that could cross a run's --max-cost: what the run spent, plus what
 * the round's calls on its budget reserve at the batch rate (as a synchronous call reserves:
 * input as characters / 4, output as maxOutputTokens or the longest answer yet, at least 1,024).
 */
function requireBudget(queue: BatchQueue): void {
  const held = new Map<Budget, { costUsd: number; calls: number }>();
  for (const call of queue.calls.values()) {
    if (!call.hold) continue;
    const sum = held.get(call.hold.budget) ?? { costUsd: 0, calls: 0 };
    held.set(call.hold.budget, { costUsd: sum.costUsd + call.hold.costUsd, calls: sum.calls + 1 });
  }
  for (const [budget, round] of held) {
    if (budget.spentUsd + round.costUsd <= budget.maxCost) continue;
    const usd = (value: number) => value.toFixed(4);
    throw new ProfilekitError(
      "budget_exceeded",
      `The round's ${round.calls} calls could cost up to $${usd(round.costUsd)} at the batch rate; with $${usd(budget.spentUsd)} spent by this run, that could cross the budget of $${usd(budget.maxCost)}. Nothing was submitted.`,
      {
        hint: "Raise the budget (--max-cost, or maxCost in the config), or take fewer inputs (--limit), and run the same command again: the canaries' answers are cached.",
        exitCode: 3,
      },
    );
  }
}

function estimateOf(queue: BatchQueue, options: SubmitOptions): BatchSubmission["estimate"] {
  const prices = priceTable(options.prices);
  let inputTokens = 0;
  let outputTokens = 0;
  let batchCostUsd: number | null = 0;
  let standardCostUsd: number | null = 0;
  for (const call of queue.calls.values()) {
    const tokens = {
      inputTokens: approxInputTokens(call.request.messages, call.request.responseSchema),
      outputTokens: call.request.maxOutputTokens ?? DEFAULT_ESTIMATED_OUTPUT_TOKENS,
    };
    inputTokens += tokens.inputTokens;
    outputTokens += tokens.outputTokens;
    const price = findPrice(prices, call.modelName);
    batchCostUsd = price && batchCostUsd !== null ? batchCostUsd + costOf(price, tokens, "batch") : null;
    standardCostUsd = price && standardCostUsd !== null ? standardCostUsd + costOf(price, tokens) : null;
  }
  return { inputTokens, outputTokens, batchCostUsd, standardCostUsd };
}

function submission(
  queue: BatchQueue,
  batches: BatchSubmission["batches"],
  options: SubmitOptions,
): BatchSubmission {
  return {
    mode: queue.mode === "export" ? "export" : "submit",
    cache: queue.cachePath!,
    batches,
    waiting: queue.waiting.size,
    canaries: queue.canaries.length,
    asked: queue.asked.size,
    estimate: estimateOf(queue, options),
  };
}

/**
 * Submits a round's calls to their providers' batch APIs: by model, in batches within the
 * provider's limits (less 5%), each request's custom_id its cache key. Each batch is written to
 * the journal before its upload and given the provider's id after it, so a process killed in
 * between leaves calls that the next run sends again, never calls counted as out. Refused when a
 * canary failed.
 */
export async function submitBatchRound(
  queue: BatchQueue,
  options: SubmitOptions = {},
): Promise<BatchSubmission> {
  requireCanaries(queue);
  requireBudget(queue);
  const groups = byModel(queue).map((group) => ({
    group,
    chunks: chunked(group, group.model.batch!.limits),
  }));
  const journal = new BatchJournal(queue.cachePath!);
  const batches: BatchSubmission["batches"] = [];
  try {
    for (const { group, chunks } of groups) {
      for (const chunk of chunks) {
        const job = journal.begin(
          {
            kind: "provider",
            provider: group.model.provider,
            model: group.modelName,
            baseURL: group.model.baseURL === undefined ? undefined : redactSecrets(group.model.baseURL),
            structuredOutput: group.model.structuredOutput,
            bytes: chunk.bytes,
            runFolder: options.runFolder === undefined ? undefined : resolve(options.runFolder),
          },
          chunk.calls.map((call) => call.item),
        );
        let state: BatchState;
        try {
          state = await group.model.batch!.submit(chunk.requests, { profilekit_job: job });
        } catch (error) {
          journal.interrupted(job);
          throw error;
        }
        journal.submitted(job, state.id, state);
        batches.push({
          job,
          batchId: state.id,
          kind: "provider",
          model: group.modelName,
          requests: chunk.requests.length,
          bytes: chunk.bytes,
          createdAt: state.createdAt,
          ...(state.expiresAt ? { expiresAt: state.expiresAt } : {}),
        });
      }
    }
  } finally {
    journal.close();
  }
  return submission(queue, batches, options);
}

/** `file`, or with the model's name before its extension when a round has calls of several models. */
function fileFor(file: string, modelName: string, several: boolean): string {
  if (!several) return resolve(file);
  const ext = extname(file);
  const slug = modelName.replace(/[^A-Za-z0-9._-]+/g, "_");
  return resolve(dirname(file), `${basename(file, ext)}.${slug}${ext || ".jsonl"}`);
}

/**
 * Writes a round's calls as OpenAI batch input files, the format `vllm run-batch` reads: one
 * file per model (vLLM serves one model per file), each line `{custom_id: <cache key>, method,
 * url, body}`. The journal records each file, so that `importBatchFile` can check and cache the
 * answers of run-batch's output. Only chat-completions models (openai, openai-compatible) can be
 * exported.
 */
export async function exportBatchFile(
  queue: BatchQueue,
  file: string,
  options: SubmitOptions = {},
): Promise<BatchSubmission> {
  const groups = byModel(queue);
  const journal = new BatchJournal(queue.cachePath!);
  const batches: BatchSubmission["batches"] = [];
  try {
    for (const group of groups) {
      const requests = group.calls.map((call) => ({
        customId: call.item.key,
        request: group.model.wire!.buildRequest(call.request),
      }));
      if (requests.some((entry) => entry.request.endpoint !== CHAT_COMPLETIONS_ENDPOINT)) {
        throw new ModelConfigurationError(
          "batch_unsupported",
          `${group.modelName} does not speak chat completions, so its calls cannot go in a vLLM batch file.`,
          { hint: "Export with an openai-compatible model (the one vllm serves), or use --batch submit." },
        );
      }
      const path = fileFor(file, group.modelName, groups.length > 1);
      const text = requests.map((request) => `${batchInputLine(request)}\n`).join("");
      const job = journal.begin(
        {
          kind: "file",
          provider: group.model.provider,
          model: group.modelName,
          baseURL: group.model.baseURL === undefined ? undefined : redactSecrets(group.model.baseURL),
          structuredOutput: group.model.structuredOutput,
          bytes: Buffer.byteLength(text, "utf8"),
          runFolder: options.runFolder === undefined ? undefined : resolve(options.runFolder),
        },
        group.calls.map((call) => call.item),
      );
      await mkdir(dirname(path), { recursive: true });
      const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      await writeFile(temporary, text, "utf8");
      await rename(temporary, path);
      journal.submitted(job, path, undefined);
      batches.push({
        job,
        batchId: path,
        kind: "file",
        model: group.modelName,
        requests: requests.length,
        bytes: Buffer.byteLength(text, "utf8"),
        createdAt: new Date().toISOString(),
      });
    }
  } finally {
    journal.close();
  }
  return submission(queue, batches, options);
}
