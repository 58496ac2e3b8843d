import { basename } from "node:path";
import { z } from "zod";
import { csvRecords } from "./csv-records.js";
import { InputError } from "./errors.js";
import { readBytes } from "./input-file.js";
import { decodeUtf8 } from "./input-text.js";
import { jsonArrayRecords } from "./json-array-records.js";
import { jsonlRecords } from "./jsonl-records.js";
import type { RecordItem } from "./record-item.js";

export const FormatSchema = z.enum(["jsonl", "json", "csv", "tsv"]);
export type Format = z.infer<typeof FormatSchema>;

const byExtension: Readonly<Record<string, Format>> = {
  jsonl: "jsonl",
  ndjson: "jsonl",
  json: "json",
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
};

/** The format a file name implies, after a `.gz` suffix is stripped: `pairs.jsonl.gz` → jsonl. */
export function formatFromName(path: string): Format | undefined {
  const name = basename(path).replace(/\.gz$/i, "");
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : byExtension[name.slice(dot + 1).toLowerCase()];
}

/**
 * The records of a file, in batches. `jsonl` and `json` are one family: the
 * first non-blank character decides, `[` for an array of records, anything
 * else for one JSON value per line (so a `.json` file holding JSON Lines, as
 * many exports do, reads too).
 */
export async function* readRecords(file: string, format: Format): AsyncGenerator<RecordItem[]> {
  if (format === "csv" || format === "tsv") {
    yield* csvRecords(file, readBytes(file), format === "csv" ? "," : "\t");
    return;
  }
  const bytes = readBytes(file);
  try {
    const seen: Buffer[] = [];
    let first: number | undefined;
    while (first === undefined) {
      const next = await bytes.next();
      if (next.done) break;
      const chunk = seen.length === 0 ? withoutByteOrderMark(next.value) : next.value;
      seen.push(chunk);
      first = chunk.find((byte) => byte !== 32 && byte !== 10 && byte !== 13 && byte !== 9);
    }
    if (first === undefined) {
      throw new InputError("empty_input", `${file}: the file is empty`, {
        location: { file },
        hint: "check that this is the right file",
      });
    }
    const replay = (async function* () {
      yield* seen;
      yield* bytes;
    })();
    yield* first === openBracket ? jsonArrayRecords(file, decodeUtf8(replay)) : jsonlRecords(file, replay);
  } finally {
    await bytes.return(undefined);
  }
}

const openBracket = 0x5b;

function withoutByteOrderMark(chunk: Buffer): Buffer {
  return chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
}
