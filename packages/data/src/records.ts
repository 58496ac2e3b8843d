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
  const opened = await openJsonFamily(file);
  try {
    yield* opened.layout === "array"
      ? jsonArrayRecords(file, decodeUtf8(opened.bytes))
      : jsonlRecords(file, opened.bytes);
  } finally {
    await opened.close();
  }
}

/** A JSON or JSON Lines file, opened: its layout, and its bytes from the start (byte order mark dropped). */
export interface OpenedJsonFile {
  readonly layout: "array" | "lines";
  readonly bytes: AsyncIterable<Buffer>;
  /** Stops reading; safe to call whether or not `bytes` was read to the end. */
  close(): Promise<void>;
}

/**
 * Opens a JSON-family file and reads up to its first non-blank byte, which decides its
 * layout: `[` for an array of records, anything else for JSON Lines. Fails with
 * `empty_input` when the file holds nothing but whitespace.
 */
export async function openJsonFamily(file: string): Promise<OpenedJsonFile> {
  const bytes = readBytes(file);
  const seen: Buffer[] = [];
  let first: number | undefined;
  try {
    while (first === undefined) {
      const next = await bytes.next();
      if (next.done) break;
      const chunk = seen.length === 0 ? withoutByteOrderMark(next.value) : next.value;
      seen.push(chunk);
      first = chunk.find((byte) => byte !== 32 && byte !== 10 && byte !== 13 && byte !== 9);
    }
  } catch (error) {
    await bytes.return(undefined);
    throw error;
  }
  if (first === undefined) {
    await bytes.return(undefined);
    throw new InputError("empty_input", `${file}: the file is empty`, {
      location: { file },
      hint: "check that this is the right file",
    });
  }
  return {
    layout: first === openBracket ? "array" : "lines",
    bytes: (async function* () {
      yield* seen;
      yield* bytes;
    })(),
    close: async () => {
      await bytes.return(undefined);
    },
  };
}

const openBracket = 0x5b;

function withoutByteOrderMark(chunk: Buffer): Buffer {
  return chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
}
