import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type ChunkedReading, fileStart, PairReader } from "@profilekit/data";
import type { FactorPlugin } from "@profilekit/spec";
import { type AnalyzedBatch, analyzeBatch, type BatchSettings } from "./analysis-batch.js";
import {
  type ChunkReply,
  type ChunkRequest,
  deserializeError,
  type WorkerSetup,
} from "./analysis-thread-protocol.js";
import { isBuiltinFactor } from "./builtins.js";
import { analyzeChunk, type ChunkExtent, positionAfter } from "./chunk-analysis.js";

/** Below this input size an automatic thread count stays at one: starting workers would cost more than they save. */
export const threadedMinBytes = 16 << 20;
/** Threads (this one included) an automatic choice uses at most. */
const maxAutoThreads = 4;
/**
 * Bytes of whole lines sent to a worker at a time. Larger chunks kept a worker's batches alive
 * across young-generation collections (1 MiB doubled a worker's heap); smaller ones cost
 * more messages.
 */
const chunkBytes = 1 << 18;
/** Chunks queued per worker: one being measured and one waiting, so no worker idles between replies. */
const chunksPerWorker = 2;
/** Chunks measured but not yet written, at most, before this thread waits for the oldest. */
const maxPendingChunks = 12;
/**
 * A worker's young generation: V8 would let it grow to 64 MB and more, which multiplies with
 * the threads. (The `profilekit` launcher's --max-semi-space-size, a process-wide V8 flag,
 * takes precedence over this.)
 */
const workerLimits = { maxYoungGenerationSizeMb: 16 };
const workerScript = new URL("./analysis-worker.js", import.meta.url);
/** Pairs per batch when the main thread converts a chunk itself (one with an invalid record). */
const mainThreadBatch = 512;

/** A run that will be read and measured in worker threads. */
export interface ThreadPlan {
  readonly threads: number;
  readonly reading: ChunkedReading;
  readonly setup: WorkerSetup;
}

/**
 * Whether and how a run is split across worker threads; undefined keeps it in this thread.
 * Threads are used when every factor is rule-based and can be loaded again in a worker
 * (built in, or from `pluginModules`), no model extracts, the input is canonical JSON Lines,
 * and either `threads` asks for more than one or it is unset (automatic) and the file is
 * large enough for workers to pay off.
 */
export async function planThreads(request: {
  readonly reader: PairReader;
  readonly settings: BatchSettings;
  readonly threads: number | undefined;
  readonly pluginModules: readonly string[];
}): Promise<ThreadPlan | undefined> {
  const { reader, settings, pluginModules } = request;
  const threads = request.threads ?? (await automaticThreads(reader.path));
  if (threads <= 1 || settings.modelExtractor !== undefined) return undefined;
  // Run from its TypeScript sources (as in-process tests do), the CLI has no worker script to start.
  if (!existsSync(workerScript)) return undefined;
  const loadable = (plugin: FactorPlugin) => isBuiltinFactor(plugin) || pluginModules.length > 0;
  if (!settings.factors.every(({ plugin }) => plugin.method === "rule" && loadable(plugin))) return undefined;
  const factors = settings.factors.map(({ plugin, options }) => ({ id: plugin.id, options }));
  if (!cloneable(factors)) return undefined;
  const reading = await reader.chunked(chunkBytes);
  if (reading === undefined) return undefined;
  return {
    threads,
    reading,
    setup: {
      path: reader.path,
      read: reader.options,
      factors,
      pluginModules,
      seed: settings.seed,
      labelSource: settings.labelSource,
      clusterLevel: settings.clusterLevel,
    },
  };
}

/** The threads a run of this file uses when `--threads` is not given (for rule-based factors of canonical JSON Lines). */
async function automaticThreads(path: string): Promise<number> {
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : 0),
    () => 0,
  );
  return size >= threadedMinBytes ? Math.min(availableParallelism(), maxAutoThreads) : 1;
}

/** Factor options travel to workers by structured cloning; options holding functions cannot. */
function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A chunk's outcome, from a worker or from this thread: its batches, a record to convert
 * again, or a failure; with the chunk's bytes, which go back to the reading's pool.
 */
type ChunkOutcome = { readonly bytes: Uint8Array } & (
  | { readonly kind: "analyzed"; readonly batches: readonly AnalyzedBatch[]; readonly extent: ChunkExtent }
  | { readonly kind: "invalid" }
  | { readonly kind: "failed"; readonly error: Error }
);

interface PendingChunk {
  /** Set once the outcome is in. */
  outcome: ChunkOutcome | undefined;
  readonly settled: Promise<ChunkOutcome>;
}

/**
 * Runs a threaded plan with `threads - 1` workers: this thread reads chunks of whole lines,
 * hands them to the workers while they have room, and measures the rest itself. `accept`
 * receives every analysed batch in file order, exactly as a single-threaded run makes them.
 * A chunk holding an invalid record is converted again here, in its turn, under the reader's
 * own `onInvalid`, so errors and skips read the same either way.
 */
export async function analyzeInThreads(
  plan: ThreadPlan,
  reader: PairReader,
  settings: BatchSettings,
  accept: (batch: AnalyzedBatch) => Promise<void>,
): Promise<void> {
  const { reading } = plan;
  const pool = new WorkerPool(plan.threads - 1, plan.setup);
  const strictReader = new PairReader(reader.path, { ...reader.options, onInvalid: "fail" });
  const pending: PendingChunk[] = [];
  // The position of the next chunk to settle, in file order: chunks are cut without counting lines.
  let position = fileStart;
  const settle = async ({ settled }: PendingChunk) => {
    const outcome = await settled;
    if (outcome.kind === "failed") throw outcome.error;
    if (outcome.kind === "analyzed") {
      for (const batch of outcome.batches) {
        await accept(batch);
        reading.countConverted(batch.count);
      }
      position = positionAfter(position, outcome.extent);
    } else {
      const { pairs, next } = reader.pairsOfChunk(outcome.bytes, position);
      for (let start = 0; start < pairs.length; start += mainThreadBatch) {
        await accept(await analyzeBatch(pairs.slice(start, start + mainThreadBatch), settings));
      }
      position = next;
    }
    reading.release(outcome.bytes);
  };
  try {
    let seq = 0;
    for await (const chunk of reading.chunks) {
      const settled = pool.hasRoom()
        ? pool.send(seq, chunk)
        : Promise.resolve(await measureHere(chunk, strictReader, settings));
      const entry: PendingChunk = { outcome: undefined, settled };
      void settled.then((outcome) => {
        entry.outcome = outcome;
      });
      pending.push(entry);
      seq++;
      while (pending.length > 0 && pending[0]!.outcome !== undefined) await settle(pending.shift()!);
      if (pending.length > maxPendingChunks) await settle(pending.shift()!);
    }
    while (pending.length > 0) await settle(pending.shift()!);
    reading.end();
  } finally {
    await pool.close();
  }
}

/** Measures a chunk in this thread, while every worker is busy. */
async function measureHere(
  chunk: Uint8Array,
  strictReader: PairReader,
  settings: BatchSettings,
): Promise<ChunkOutcome> {
  try {
    return { bytes: chunk, ...(await analyzeChunk(chunk, strictReader, settings)) };
  } catch (error) {
    return {
      bytes: chunk,
      kind: "failed",
      error: error instanceof Error ? error : new Error(String(error)),
    };
  }
}

/** Workers that take chunks in turn; each reply is matched to its chunk by sequence number. */
class WorkerPool {
  readonly #workers: Worker[];
  readonly #waiting = new Map<
    number,
    { resolve: (reply: ChunkReply) => void; reject: (error: Error) => void }
  >();
  #next = 0;
  #failure: Error | undefined;

  constructor(threads: number, setup: WorkerSetup) {
    this.#workers = Array.from({ length: threads }, () => {
      const worker = new Worker(workerScript, { workerData: setup, resourceLimits: workerLimits });
      worker.on("message", (reply: ChunkReply) => {
        this.#waiting.get(reply.seq)?.resolve(reply);
        this.#waiting.delete(reply.seq);
      });
      worker.on("error", (error) => this.#fail(error));
      worker.on("exit", (code) => {
        if (this.#waiting.size > 0) {
          this.#fail(new Error(`an analysis worker stopped (exit code ${code}) with chunks in flight`));
        }
      });
      return worker;
    });
  }

  /** Whether a worker can take another chunk without this thread waiting for it. */
  hasRoom(): boolean {
    return this.#waiting.size < this.#workers.length * chunksPerWorker;
  }

  /**
   * Sends a chunk to the next worker in turn, moving its buffer there (it comes back with the
   * reply). The outcome never rejects: a failure is an outcome, met in file order.
   */
  send(seq: number, chunk: Uint8Array): Promise<ChunkOutcome> {
    const reply = new Promise<ChunkReply>((resolve, reject) => {
      if (this.#failure) reject(this.#failure);
      else this.#waiting.set(seq, { resolve, reject });
    });
    const request: ChunkRequest = { seq, bytes: chunk };
    this.#workers[this.#next]!.postMessage(request, [chunk.buffer as ArrayBuffer]);
    this.#next = (this.#next + 1) % this.#workers.length;
    return reply.then(
      (answer): ChunkOutcome =>
        answer.kind === "failed" ? { ...answer, error: deserializeError(answer.error) } : answer,
      (error: Error): ChunkOutcome => ({ bytes: new Uint8Array(0), kind: "failed", error }),
    );
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const { reject } of this.#waiting.values()) reject(this.#failure);
    this.#waiting.clear();
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
