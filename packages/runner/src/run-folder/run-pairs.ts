import { join } from "node:path";
import {
  type LabelRecord,
  LabelRecordSchema,
  type Manifestation,
  ManifestationSchema,
  ProfilekitError,
} from "@profilekit/spec";
import { runRecords } from "./line-files.js";

/** What reading a run folder's pairs tells: each labelled pair, then each manifestation of one. */
export interface RunPairVisitor {
  /** A line of labels.jsonl; `index` is its pair's position, from 0. */
  pair(record: LabelRecord, index: number): void;
  /** After labels.jsonl, with the number of pairs: false leaves manifestations.jsonl unread. */
  readManifestations?(pairs: number): boolean;
  /** A line of manifestations.jsonl, with the index of its pair in labels.jsonl. */
  manifestation(record: Manifestation, index: number): void;
}

/**
 * Reads a run folder's labels.jsonl and then its manifestations.jsonl once, line by line, checking
 * that each pair is labelled once, that each manifestation is of a labelled pair, and that a pair
 * and factor are measured once. Returns the number of pairs.
 */
export async function readRunPairs(runDir: string, visitor: RunPairVisitor): Promise<number> {
  const labelsFile = join(runDir, "labels.jsonl");
  const index = new Map<string, number>();
  for await (const { line, record } of runRecords(labelsFile, LabelRecordSchema)) {
    if (index.has(record.pairId)) {
      throw new ProfilekitError(
        "duplicate_pair_id",
        `${labelsFile}:${line} labels pair "${record.pairId}" a second time`,
        {
          location: { file: labelsFile, line, pairId: record.pairId },
          hint: "labels.jsonl holds one line per pair; re-create the run folder rather than editing it",
        },
      );
    }
    index.set(record.pairId, index.size);
    visitor.pair(record, index.size - 1);
  }
  if (visitor.readManifestations?.(index.size) === false) return index.size;
  const file = join(runDir, "manifestations.jsonl");
  const measured = new Map<string, Uint8Array>();
  for await (const { line, record } of runRecords(file, ManifestationSchema)) {
    const location = { file, line, pairId: record.pairId, factor: record.factor };
    const i = index.get(record.pairId);
    if (i === undefined) {
      throw new ProfilekitError(
        "unknown_pair",
        `${file}:${line} measures "${record.factor}" on pair "${record.pairId}", which labels.jsonl does not list`,
        {
          location,
          hint: "labels.jsonl and manifestations.jsonl come from the same run; re-create the run folder",
        },
      );
    }
    let seen = measured.get(record.factor);
    if (seen === undefined) {
      seen = new Uint8Array(index.size);
      measured.set(record.factor, seen);
    }
    if (seen[i] === 1) {
      throw new ProfilekitError(
        "duplicate_manifestation",
        `${file}:${line} measures "${record.factor}" on pair "${record.pairId}" a second time`,
        {
          location,
          hint: "manifestations.jsonl holds one line per pair and factor; re-create the run folder",
        },
      );
    }
    seen[i] = 1;
    visitor.manifestation(record, i);
  }
  return index.size;
}
