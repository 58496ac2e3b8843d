import type { Pair } from "@profilekit/spec";
import { z } from "zod";
import { ColumnMappingSchema } from "./column-mapping.js";
import { InputError } from "./errors.js";
import { fileLineChunks } from "./file-line-chunks.js";
import { startsWithGzipMagic } from "./input-file.js";
import { recordsOfChunk } from "./jsonl-records.js";
import { ChunkBufferPool, type LinePosition, lineChunks } from "./line-chunks.js";
import { LabelMappingSchema } from "./label-mapping.js";
import type { Preset } from "./presets/preset.js";
import { canonicalConverter } from "./presets/canonical.js";
import { pairsOfRecords, type RecordConverter } from "./presets/dataset-records.js";
import { findPreset } from "./presets/registry.js";
import type { ReadContext } from "./read-context.js";
import { FormatSchema, formatFromName, openJsonFamily } from "./records.js";
import { formatSkipReport, SkipCollector, type SkipReport } from "./skip-report.js";

export const ReadPairsOptionsSchema = z.strictObject({
  /** How to read the file; `canonical` (the default) reads profilekit's own format. */
  preset: z.string().min(1).default("canonical"),
  /** Overrides the format implied by the file name (canonical only). */
  format: FormatSchema.optional(),
  /** Which column fills each pair field (canonical only). */
  mapping: ColumnMappingSchema.optional(),
  /** Which raw labels mean a, b, tie (canonical only). */
  labels: LabelMappingSchema.optional(),
  /** The task of every pair, whatever its record says; with a dataset preset, replaces the preset's task. */
  task: z.string().min(1).optional(),
  /** A record that cannot become a pair fails the read, or is skipped and counted in `skipped`. */
  onInvalid: z.enum(["fail", "skip"]).default("fail"),
  /** Seeds randomised mappings (hh-rlhf's a/b order) per pair: seed plus pair id. */
  seed: z.number().int().default(0),
});
export type ReadPairsOptions = z.input<typeof ReadPairsOptionsSchema>;

/**
 * The pairs of a file, streamed: an async iterable that reads the file each
 * time it is iterated. After (or during) an iteration, `read` counts the pairs
 * delivered and `skipped` reports the records dropped under `onInvalid: 'skip'`.
 */
export class PairReader implements AsyncIterable<Pair> {
  readonly path: string;
  /** The options, validated and with their defaults: a reader of the same file in another thread is made from them. */
  readonly options: z.output<typeof ReadPairsOptionsSchema>;
  readonly #preset: Preset;
  #skips = new SkipCollector();
  #read = 0;
  #context: ReadContext | undefined;
  #converter: RecordConverter | undefined;

  constructor(path: string, options: ReadPairsOptions = {}) {
    const parsed = ReadPairsOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new InputError("invalid_option", `reading ${path}: ${z.prettifyError(parsed.error)}`, {
        hint: "see ReadPairsOptions in @profilekit/data",
      });
    }
    this.path = path;
    this.options = parsed.data;
    this.#preset = findPreset(parsed.data.preset);
    const canonicalOnly = (["format", "mapping", "labels"] as const).filter(
      (key) => parsed.data[key] !== undefined,
    );
    if (this.#preset.name !== "canonical" && canonicalOnly.length > 0) {
      throw new InputError(
        "invalid_option",
        `--preset ${this.#preset.name} fixes how its files are read; ${canonicalOnly.map((key) => `--${key === "mapping" ? "map" : key}`).join(" and ")} cannot be combined with it`,
        { hint: "drop the option, or read the file with the canonical preset" },
      );
    }
  }

  /** Pairs delivered by the current or last iteration. */
  get read(): number {
    return this.#read;
  }

  /** Records skipped by the current or last iteration (always empty under `onInvalid: 'fail'`). */
  get skipped(): SkipReport {
    return this.#skips.report();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Pair> {
    for await (const batch of this.batches()) yield* batch;
  }

  /**
   * The same pairs in the batches the file is read in (a few hundred at a time): one await per
   * batch instead of one per pair, for consumers that process pairs in bulk.
   */
  async *batches(): AsyncGenerator<readonly Pair[]> {
    const context = this.#startReading();
    for await (const batch of this.#preset.read(this.path, context)) {
      if (batch.length === 0) continue;
      this.#read += batch.length;
      yield batch;
    }
    this.#requirePairs();
  }

  /**
   * Starts a reading that converts the file's records elsewhere, e.g. in worker threads: the
   * file in chunks of whole lines of about `bytesPerChunk`, in order. Each chunk becomes pairs
   * through {@link pairsOfChunk} (here, or in a thread with its own reader of the same file and
   * options). Only canonical JSON Lines can be cut like this; for anything else (another preset,
   * CSV, a JSON array) this returns undefined and `batches()` is the way to read.
   */
  async chunked(bytesPerChunk: number): Promise<ChunkedReading | undefined> {
    if (this.#preset.name !== "canonical") return undefined;
    const format = this.options.format ?? formatFromName(this.path);
    if (format !== "jsonl" && format !== "json") return undefined;
    const opened = await openJsonFamily(this.path);
    if (opened.layout !== "lines") {
      await opened.close();
      return undefined;
    }
    this.#startReading();
    const pool = new ChunkBufferPool(bytesPerChunk, maxKeptChunkBuffers);
    // The stream read the start of the file to check it; a plain file is then read directly.
    const compressed = await startsWithGzipMagic(this.path);
    if (!compressed) await opened.close();
    const chunks = compressed
      ? lineChunks(opened.bytes, bytesPerChunk, pool)
      : fileLineChunks(this.path, bytesPerChunk, pool);
    return {
      chunks: (async function* () {
        try {
          yield* chunks;
        } finally {
          await opened.close();
        }
      })(),
      release: (bytes) => pool.release(bytes),
      countConverted: (pairs) => {
        this.#read += pairs;
      },
      end: () => this.#requirePairs(),
    };
  }

  /**
   * The pairs of one chunk of a {@link chunked} reading, converted in this thread, numbered
   * from `from` (the position of its first line; a thread that does not know it may count
   * from `fileStart` and learn how many lines and records the chunk holds from `next`). A
   * record that cannot become a pair fails or is skipped (and counted) as `onInvalid` says.
   */
  pairsOfChunk(chunk: Uint8Array, from: LinePosition): { pairs: Pair[]; next: LinePosition } {
    this.#context ??= this.#startReading();
    this.#converter ??= canonicalConverter(this.path, this.#context);
    const { records, next } = recordsOfChunk(this.path, chunk, from);
    const pairs = pairsOfRecords(records, "canonical", this.#context, this.#converter);
    this.#read += pairs.length;
    return { pairs, next };
  }

  #startReading(): ReadContext {
    const skips = new SkipCollector();
    this.#skips = skips;
    this.#read = 0;
    const { onInvalid, seed, task, format, mapping, labels } = this.options;
    this.#context = {
      seed,
      task,
      format,
      mapping,
      labels,
      invalid(error) {
        if (onInvalid === "fail") throw error;
        skips.add(error);
      },
    };
    this.#converter = undefined;
    return this.#context;
  }

  /** Fails with `no_valid_pairs` when the reading that just ended delivered no pair. */
  #requirePairs(): void {
    if (this.#read > 0) return;
    const report = this.#skips.report();
    throw new InputError(
      "no_valid_pairs",
      report.count > 0
        ? `${this.path}: no valid pairs; every record was invalid (${formatSkipReport(report)})`
        : `${this.path}: the records make no pairs`,
      {
        location: { file: this.path },
        hint:
          report.count > 0
            ? "look at the first skipped record's error (run with --on-invalid fail), and check --preset and --map"
            : "check that this is the right file and preset",
      },
    );
  }
}

/** Free chunk buffers kept for reuse: enough for the chunks a threaded run keeps in flight. */
const maxKeptChunkBuffers = 16;

/** A reading started by {@link PairReader.chunked}. */
export interface ChunkedReading {
  /**
   * The file in chunks of whole lines, in order. A chunk is a view over the start of an
   * ArrayBuffer of its own, which may be transferred to another thread; give it back with
   * `release` once it is converted.
   */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Returns a converted chunk's buffer (back from another thread, or not) for the next chunks. */
  release(bytes: Uint8Array): void;
  /** Counts pairs converted from a chunk in another thread, so that `read` includes them. */
  countConverted(pairs: number): void;
  /** Ends the reading once every chunk is converted: fails, as `batches()` does, when no record made a pair. */
  end(): void;
}

/** Streams the pairs of a file or dataset directory; see {@link ReadPairsOptions}. */
export function readPairs(path: string, options?: ReadPairsOptions): PairReader {
  return new PairReader(path, options);
}
