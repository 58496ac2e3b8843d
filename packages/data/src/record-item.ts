import type { InputError, RecordAt } from "./errors.js";

/** One raw record of a file, parsed, or the record-level error that stopped it from being parsed. */
export type RecordItem =
  | { readonly at: RecordAt; readonly value: unknown; readonly error?: undefined }
  | { readonly at: RecordAt; readonly error: InputError; readonly value?: undefined };
