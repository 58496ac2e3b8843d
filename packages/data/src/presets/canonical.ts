import { PairSchema } from "@profilekit/spec";
import { InputError } from "../errors.js";
import { requireFile } from "../input-file.js";
import { mapRecord, recordMapping } from "../map-record.js";
import { formatFromName } from "../records.js";
import { checkedPair, pairsFromRecords } from "./dataset-records.js";
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
  async *read(path, context) {
    await requireFile(path);
    const format = context.format ?? formatFromName(path);
    if (format === undefined) {
      throw new InputError("invalid_option", `${path}: cannot tell the format from the file name`, {
        location: { file: path },
        hint: "name the file .jsonl, .json, .csv or .tsv (optionally .gz), or pass --format jsonl|json|csv|tsv",
      });
    }
    const mapping = recordMapping(path, context);
    const fastPath = context.mapping === undefined && context.labels === undefined;
    yield* pairsFromRecords(path, format, "canonical", context, (record, at) => {
      if (fastPath) {
        const parsed = PairSchema.safeParse(record);
        if (parsed.success) return [parsed.data];
      }
      return [checkedPair(mapRecord(record, at, mapping), at)];
    });
  },
};
