import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "fast-csv";
import { InputError, type RecordAt } from "./errors.js";
import type { RecordItem } from "./record-item.js";

const batchSize = 1000;

/**
 * Parses CSV or TSV (RFC 4180 quoting, as spreadsheets and pandas write it)
 * with fast-csv. The first row names the columns; every other row becomes an
 * object of strings. A row's line is its position counting the header as line
 * 1, which is the physical line unless an earlier quoted field spans lines.
 */
export async function* csvRecords(
  file: string,
  bytes: AsyncIterable<Buffer>,
  delimiter: "," | "\t",
): AsyncGenerator<RecordItem[]> {
  const parser = parse<string[], string[]>({ delimiter, ignoreEmpty: true });
  const feeding = pipeline(Readable.from(bytes), parser);
  // The iteration below reports the same error; this only keeps it from being unhandled.
  feeding.catch(() => {});
  let header: string[] | undefined;
  let index = 0;
  let batch: RecordItem[] = [];
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = checkHeader(file, row);
        continue;
      }
      const at: RecordAt = { file, line: index + 2, index: index++ };
      if (row.length !== header.length) {
        batch.push({
          at,
          error: new InputError(
            "malformed_csv",
            `${file}:${at.line}: expected ${header.length} columns as in the header, found ${row.length}`,
            {
              location: { file, line: at.line },
              hint: "quote fields that contain the delimiter, or use --on-invalid skip to drop bad rows",
            },
          ),
        });
      } else {
        const value: Record<string, string> = {};
        for (let column = 0; column < header.length; column++) value[header[column]!] = row[column]!;
        batch.push({ at, value });
      }
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const line = index + 2;
    throw new InputError("malformed_csv", `${file}:${line}: cannot parse CSV (${(error as Error).message})`, {
      location: { file, line },
      hint: "check the quoting near this row",
      cause: error,
    });
  } finally {
    parser.destroy();
  }
  if (batch.length > 0) yield batch;
  if (header === undefined || index === 0) {
    throw new InputError(
      "empty_input",
      `${file}: ${header === undefined ? "the file is empty" : "the file has a header but no rows"}`,
      { location: { file }, hint: "check that this is the right file" },
    );
  }
}

function checkHeader(file: string, row: string[]): string[] {
  const header = row.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, "") : name).trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name) && name !== "") {
      throw new InputError("malformed_csv", `${file}:1: the header names column "${name}" twice`, {
        location: { file, line: 1, field: name },
        hint: "rename one of the columns",
      });
    }
    seen.add(name);
  }
  return header;
}
