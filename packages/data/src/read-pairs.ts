import type { Pair } from "@profilekit/spec";
import { z } from "zod";
import { ColumnMappingSchema } from "./column-mapping.js";
import { InputError } from "./errors.js";
import { LabelMappingSchema } from "./label-mapping.js";
import type { Preset } from "./presets/preset.js";
import { findPreset } from "./presets/registry.js";
import type { ReadContext } from "./read-context.js";
import { FormatSchema } from "./records.js";
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
  /** The task of pairs whose record has none; with a dataset preset, replaces the preset's task. */
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
  readonly #preset: Preset;
  readonly #options: z.output<typeof ReadPairsOptionsSchema>;
  #skips = new SkipCollector();
  #read = 0;

  constructor(path: string, options: ReadPairsOptions = {}) {
    const parsed = ReadPairsOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw new InputError("invalid_option", `reading ${path}: ${z.prettifyError(parsed.error)}`, {
        hint: "see ReadPairsOptions in @profilekit/data",
      });
    }
    this.path = path;
    this.#options = parsed.data;
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
    const skips = new SkipCollector();
    this.#skips = skips;
    this.#read = 0;
    const { onInvalid, seed, task, format, mapping, labels } = this.#options;
    const context: ReadContext = {
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
    for await (const batch of this.#preset.read(this.path, context)) {
      if (batch.length === 0) continue;
      this.#read += batch.length;
      yield batch;
    }
    if (this.#read === 0) {
      const report = skips.report();
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
}

/** Streams the pairs of a file or dataset directory; see {@link ReadPairsOptions}. */
export function readPairs(path: string, options?: ReadPairsOptions): PairReader {
  return new PairReader(path, options);
}
