import { PairSchema, parseCommonPair } from "@profilekit/spec";
import { InputError } from "../errors.js";
import { requireFile } from "../input-file.js";
import { mapRecord, recordMapping } from "../map-record.js";
import { formatFromName } from "../records.js";
import type { ReadContext } from "../read-context.js";
import { checkedPair, pairsFromRecords, type RecordConverter } from "./dataset-records.js";
import type { Preset } from "./preset.js";

/**
 * profilekit's own format: one Pair per JSONL line (or JSON array element, or
 * CSV/TSV row), read through a column mapping when one is given.
 */
export const canonical: Preset = {
  name: "canonical",
  title: "profilekit pairs (JSONL, JSON, CSV, TSV)",
  task: undefined,
  description:
    "One pair per record with id, task, source, prompt, a, b, label (a | b | tie), group, meta; other files through --map, --labels and --task.",
  license: "your data",
  files: [],
  clusterLevel: "auto",
  clusterReason:
    "Your data: each pair's group when the file sets one, else one cluster per source and prompt; set group to the unit your pairs depend on (the document, the question, the annotator).",
  async *read(path, context) {
    await requireFile(path);
    const format = context.format ?? formatFromName(path);
    if (format === undefined) {
      throw new InputError("invalid_option", `${path}: cannot tell the format from the file name`, {
        location: { file: path },
        hint: "name the file .jsonl, .json, .csv or .tsv (optionally .gz), or pass --format jsonl|json|csv|tsv",
      });
    }
    yield* pairsFromRecords(path, format, "canonical", context, canonicalConverter(path, context));
  },
};

/**
 * Turns one canonical record into its pair: through the column and label mappings when
 * given, else straight through the Pair schema (a common record through its fast twin,
 * `parseCommonPair`; re-checked field by field, for a precise error, only when that fails).
 */
export function canonicalConverter(path: string, context: ReadContext): RecordConverter {
  const mapping = recordMapping(path, context);
  const direct = context.mapping === undefined && context.labels === undefined;
  return (record, at) => {
    if (direct) {
      const pair = parseCommonPair(record) ?? PairSchema.safeParse(record).data;
      if (pair !== undefined) return [context.task === undefined ? pair : { ...pair, task: context.task }];
    }
    return [checkedPair(mapRecord(record, at, mapping), at)];
  };
}
