import { type ReadPairsOptions, readPairs, type SkipReport } from "@profilekit/data";
import type { Pair } from "@profilekit/spec";
import { duplicatePairId } from "./analysis.js";

/**
 * The pairs of a file read in full, in file order, with how they were read: what the model
 * stages take, so that a study reads its data once for every setting and each setting's
 * manifest.json still names the file and its reading options.
 */
export class PairSet implements Iterable<Pair> {
  /** The input as manifest.json names it. */
  readonly name: string;
  readonly pairs: readonly Pair[];
  /** The reading options, as manifest.json records them. */
  readonly read: Record<string, unknown>;
  readonly skipped: SkipReport;

  constructor(name: string, pairs: readonly Pair[], read: Record<string, unknown>, skipped: SkipReport) {
    this.name = name;
    this.pairs = pairs;
    this.read = read;
    this.skipped = skipped;
  }

  [Symbol.iterator](): Iterator<Pair> {
    return this.pairs[Symbol.iterator]();
  }
}

/** Reads every pair of `path` (ids must be unique); `name` is how manifest.json names it (default: `path`). */
export async function readPairSet(
  path: string,
  read: ReadPairsOptions,
  name: string = path,
): Promise<PairSet> {
  const reader = readPairs(path, read);
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for await (const pair of reader) {
    if (seen.has(pair.id)) throw duplicatePairId(pair.id, path);
    seen.add(pair.id);
    pairs.push(pair);
  }
  return new PairSet(name, pairs, read as Record<string, unknown>, reader.skipped);
}
