import type { ColumnMapping } from "./column-mapping.js";
import { InputError } from "./errors.js";
import type { LabelMapping } from "./label-mapping.js";
import type { Format } from "./records.js";

/** What a preset reads with: the reading options, and where record-level errors go. */
export interface ReadContext {
  readonly seed: number;
  readonly task: string | undefined;
  readonly format: Format | undefined;
  readonly mapping: ColumnMapping | undefined;
  readonly labels: LabelMapping | undefined;
  /** Reports a record that cannot become a pair: throws it under `onInvalid: 'fail'`, counts it under 'skip'. */
  invalid(error: InputError): void;
}

/** Hands a record-level {@link InputError} to `context.invalid`; any other error is a failure and propagates. */
export function reportInvalid(context: ReadContext, error: unknown): void {
  if (!(error instanceof InputError)) throw error;
  context.invalid(error);
}
