import type { PairReader } from "@profilekit/data";
import { type ClusterLevel, ProfilekitError } from "@profilekit/spec";
import type { AnalyzedBatch } from "./analysis-batch.js";
import type { ChunkExtent } from "./chunk-analysis.js";

/** What a worker is started with: how to read the file and measure its pairs. */
export interface WorkerSetup {
  readonly path: string;
  readonly read: PairReader["options"];
  /** Factor ids, found in the built-in registry plus `pluginModules`, with their validated options. */
  readonly factors: readonly { readonly id: string; readonly options: Record<string, unknown> }[];
  /** Module files of plugins beyond the built-in ones (from a config's `plugins`). */
  readonly pluginModules: readonly string[];
  readonly seed: number;
  readonly labelSource: string;
  readonly clusterLevel: ClusterLevel;
}

/** A chunk of whole lines for a worker. */
export interface ChunkRequest {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * A worker's answer for one chunk; the chunk's bytes always come back, for the next chunk to
 * reuse. `analyzed`: the chunk's pairs, measured, in order, and how far the chunk moves the
 * file position. `invalid`: a record of the chunk cannot become a pair, and the main thread
 * converts the chunk itself, so the error (or the skip) is reported exactly as a
 * single-threaded run reports it. `failed`: measuring failed (a plugin threw, or broke its contract).
 */
export type ChunkReply = { readonly seq: number; readonly bytes: Uint8Array } & (
  | { readonly kind: "analyzed"; readonly batches: readonly AnalyzedBatch[]; readonly extent: ChunkExtent }
  | { readonly kind: "invalid" }
  | { readonly kind: "failed"; readonly error: SerializedError }
);

/** An error as it crosses threads: structured cloning keeps an Error's message and stack, not its own fields. */
export interface SerializedError {
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  readonly hint?: string;
  readonly exitCode?: number;
  readonly location?: ProfilekitError["location"];
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof ProfilekitError) {
    return {
      message: error.message,
      code: error.code,
      exitCode: error.exitCode,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.location === undefined ? {} : { location: error.location }),
    };
  }
  if (error instanceof Error)
    return { message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  return { message: String(error) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.code !== undefined) {
    return new ProfilekitError(error.code, error.message, {
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.location === undefined ? {} : { location: error.location }),
      ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
    });
  }
  const revived = new Error(error.message);
  if (error.stack !== undefined) revived.stack = error.stack;
  return revived;
}

/** The buffers of a reply, moved to the receiving thread instead of copied: the chunk's, then its batches'. */
export function transferablesOf(bytes: Uint8Array, batches: readonly AnalyzedBatch[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [bytes.buffer as ArrayBuffer];
  for (const batch of batches) {
    for (const view of [
      batch.idFingerprints,
      batch.manifestations,
      batch.labels,
      batch.columns.preferences,
      batch.columns.groupHashes,
      ...batch.columns.signs,
    ]) {
      if (typeof view !== "string") buffers.push(view.buffer as ArrayBuffer);
    }
  }
  return buffers;
}
