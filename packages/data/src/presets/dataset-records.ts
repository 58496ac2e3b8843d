import { join } from "node:path";
import { type Pair, PairSchema } from "@profilekit/spec";
import { isRecord } from "../coerce.js";
import { InputError, preview, type RecordAt, recordError } from "../errors.js";
import { inspectPath } from "../input-file.js";
import { type ReadContext, reportInvalid } from "../read-context.js";
import type { RecordItem } from "../record-item.js";
import { type Format, readRecords } from "../records.js";
import type { PresetInfo } from "./preset.js";
import { presetHint } from "./signatures.js";

/** The data file `name` of a preset: `path` itself when it is a file, `path/name` when it is the dataset directory. */
export async function datasetFile(path: string, preset: PresetInfo, name: string): Promise<string> {
  const expects = `--preset ${preset.name} reads the dataset directory or its data file (${preset.files.join(", ")})`;
  const { isDirectory } = await inspectPath(path, expects);
  if (!isDirectory) return path;
  const file = join(path, name);
  await inspectPath(file, expects);
  return file;
}

/** Turns one file's records into pairs: its record-level errors are the caller's to report. */
export type RecordConverter = (record: Record<string, unknown>, at: RecordAt) => Pair[];

/**
 * Reads the records of a file and turns each into pairs with `toPairs`. A
 * record that fails (a parse error, or an {@link InputError} from `toPairs`)
 * goes to `context.invalid`.
 */
export async function* pairsFromRecords(
  file: string,
  format: Format,
  preset: string,
  context: ReadContext,
  toPairs: RecordConverter,
): AsyncGenerator<Pair[]> {
  for await (const batch of readRecords(file, format)) {
    const pairs = pairsOfRecords(batch, preset, context, toPairs);
    if (pairs.length > 0) yield pairs;
  }
}

/** The pairs of a batch of records, in order; each record that fails goes to `context.invalid`. */
export function pairsOfRecords(
  batch: readonly RecordItem[],
  preset: string,
  context: ReadContext,
  toPairs: RecordConverter,
): Pair[] {
  const pairs: Pair[] = [];
  for (const item of batch) {
    if (item.error) {
      context.invalid(item.error);
      continue;
    }
    try {
      if (!isRecord(item.value)) {
        throw recordError("invalid_record", item.at, {
          expected: "a JSON object (one record)",
          found: item.value,
          hint: "each line (or array element) must be one object",
        });
      }
      for (const pair of toPairs(item.value, item.at)) pairs.push(pair);
    } catch (error) {
      reportInvalid(
        context,
        error instanceof InputError && isRecord(item.value) ? withHint(error, item.value, preset) : error,
      );
    }
  }
  return pairs;
}

/**
 * Gives a record-level error a hint when it has none: "use --preset X" for a
 * missing field of a record that looks like another dataset, else how to skip.
 */
function withHint(error: InputError, record: Record<string, unknown>, preset: string): InputError {
  const suggestion = error.code === "missing_field" ? presetHint(record, preset) : undefined;
  if (suggestion === undefined && error.hint !== undefined) return error;
  return new InputError(error.code, error.message, {
    hint: suggestion ?? "fix the record, or use --on-invalid skip to drop such records",
    ...(error.location ? { location: error.location } : {}),
  });
}

/** Validates a built pair against the spec's schema, so every pair out of this package is a valid Pair. */
export function checkedPair(candidate: Pair, at: RecordAt): Pair {
  const result = PairSchema.safeParse(candidate);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".");
  const found = issue.path.reduce<unknown>(
    (value, key) => (isRecord(value) ? value[key as string] : undefined),
    candidate,
  );
  throw new InputError(
    "invalid_field",
    `${at.file}:${at.line}, field "${field}": ${issue.message}, found ${preview(found)}`,
    {
      location: { file: at.file, line: at.line, field },
      hint: "fix the record, or use --on-invalid skip to drop it",
    },
  );
}
