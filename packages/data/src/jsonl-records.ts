import { InputError, preview, type RecordAt } from "./errors.js";
import type { RecordItem } from "./record-item.js";

const newline = 10;

/**
 * Splits bytes into lines and parses each non-blank line as JSON, one batch of
 * records per chunk. Lines are found with `Buffer#indexOf` on big chunks (not
 * readline) and decoded one by one, so an ASCII line stays a one-byte string
 * (which `JSON.parse` reads fastest) even when other lines are not ASCII. A
 * line may span any number of chunks.
 */
export async function* jsonlRecords(
  file: string,
  bytes: AsyncIterable<Buffer>,
): AsyncGenerator<RecordItem[]> {
  let pending: Buffer[] = [];
  let line = 0;
  let index = 0;
  const parse = (source: string, batch: RecordItem[]) => {
    line++;
    if (isBlank(source)) return;
    const at: RecordAt = { file, line, index: index++ };
    try {
      batch.push({ at, value: JSON.parse(source) });
    } catch (error) {
      batch.push({ at, error: malformedLine(at, source, error) });
    }
  };
  for await (const chunk of bytes) {
    const batch: RecordItem[] = [];
    let start = 0;
    let end = chunk.indexOf(newline);
    while (end >= 0) {
      if (pending.length > 0) {
        pending.push(chunk.subarray(0, end));
        parse(Buffer.concat(pending).toString("utf8"), batch);
        pending = [];
      } else {
        parse(chunk.toString("utf8", start, end), batch);
      }
      start = end + 1;
      end = chunk.indexOf(newline, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) {
    const batch: RecordItem[] = [];
    parse(Buffer.concat(pending).toString("utf8"), batch);
    if (batch.length > 0) yield batch;
  }
}

function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim().length === 0);
}

function malformedLine(at: RecordAt, source: string, error: unknown): InputError {
  return new InputError(
    "malformed_json",
    `${at.file}:${at.line}: malformed JSON (${(error as Error).message}); the line starts ${preview(source)}`,
    {
      location: { file: at.file, line: at.line },
      hint:
        source.trim() === "{"
          ? "this looks like one pretty-printed JSON object; write an array of records ([{…}, {…}]) or one record per line"
          : "fix the line, or use --on-invalid skip to drop bad records",
      cause: error,
    },
  );
}
