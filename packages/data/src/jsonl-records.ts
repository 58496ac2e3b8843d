import { InputError, preview, type RecordAt } from "./errors.js";
import { fileStart, forEachLine, isBlankLine, type LinePosition, lineChunks } from "./line-chunks.js";
import type { RecordItem } from "./record-item.js";

/**
 * Parses each non-blank line as JSON, one batch of records per chunk of whole lines.
 * Lines are decoded one by one, so an ASCII line stays a one-byte string (which
 * `JSON.parse` reads fastest) even when other lines are not ASCII.
 */
export async function* jsonlRecords(
  file: string,
  bytes: AsyncIterable<Uint8Array>,
): AsyncGenerator<RecordItem[]> {
  let position = fileStart;
  for await (const chunk of lineChunks(bytes, 0)) {
    const { records, next } = recordsOfChunk(file, chunk, position);
    position = next;
    if (records.length > 0) yield records;
  }
}

/**
 * The records of one chunk of whole lines, numbered from `from` (the position of its first
 * line), and the position of the line after it.
 */
export function recordsOfChunk(
  file: string,
  bytes: Uint8Array,
  from: LinePosition,
): { records: RecordItem[]; next: LinePosition } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const records: RecordItem[] = [];
  let line = from.line - 1;
  let index = from.index;
  forEachLine(bytes, (start, end) => {
    line++;
    if (isBlankLine(bytes, start, end)) return;
    const at: RecordAt = { file, line, index: index++ };
    const source = text.toString("utf8", start, end);
    try {
      records.push({ at, value: JSON.parse(source) });
    } catch (error) {
      records.push({ at, error: malformedLine(at, source, error) });
    }
  });
  return { records, next: { line: line + 1, index } };
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
