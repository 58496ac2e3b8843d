import { fileStart, InputError, type LinePosition, type PairReader, slicesOf } from "@profilekit/data";
import { type AnalyzedBatch, analyzeBatch, type BatchSettings } from "./analysis-batch.js";

/**
 * Bytes of a chunk parsed and measured at a time. Small enough that a slice's objects are
 * dead by the next young-generation collection: with 64 KiB, a quarter of them were promoted
 * to the old generation, whose garbage then doubled the heap.
 */
const sliceBytes = 1 << 14;

/** How many lines and records (non-blank lines) a chunk holds: what moves the file position past it. */
export interface ChunkExtent {
  readonly lines: number;
  readonly records: number;
}

/**
 * A chunk of whole lines, measured, its output lines already UTF-8 bytes; or `invalid` when
 * one of its records cannot become a pair.
 */
export type AnalyzedChunk =
  | { readonly kind: "analyzed"; readonly batches: readonly AnalyzedBatch[]; readonly extent: ChunkExtent }
  | { readonly kind: "invalid" };

const encoder = new TextEncoder();

/**
 * Converts a chunk's lines to pairs with `strictReader` (a reader whose `onInvalid` is "fail")
 * and measures them, slice by slice, without knowing where in the file the chunk lies. Each
 * slice's lines are encoded to bytes at once, so its strings die young while later slices are
 * measured, and the bytes can move to another thread without a copy. An invalid record makes
 * the whole chunk `invalid`: the run converts such a chunk again when its turn comes, at its
 * position and under its own `onInvalid`, so errors and skips are reported in file order, as
 * a single-threaded run reports them.
 */
export async function analyzeChunk(
  chunk: Uint8Array,
  strictReader: PairReader,
  settings: BatchSettings,
): Promise<AnalyzedChunk> {
  const batches: AnalyzedBatch[] = [];
  let position = fileStart;
  for (const slice of slicesOf(chunk, sliceBytes)) {
    let converted: ReturnType<PairReader["pairsOfChunk"]>;
    try {
      converted = strictReader.pairsOfChunk(slice, position);
    } catch (error) {
      if (error instanceof InputError) return { kind: "invalid" };
      throw error;
    }
    position = converted.next;
    const batch = await analyzeBatch(converted.pairs, settings);
    batches.push({
      ...batch,
      manifestations: encoder.encode(batch.manifestations as string),
      labels: encoder.encode(batch.labels as string),
    });
  }
  return {
    kind: "analyzed",
    batches,
    extent: { lines: position.line - fileStart.line, records: position.index - fileStart.index },
  };
}

/** The position after a chunk that starts at `from`. */
export function positionAfter(from: LinePosition, extent: ChunkExtent): LinePosition {
  return { line: from.line + extent.lines, index: from.index + extent.records };
}
