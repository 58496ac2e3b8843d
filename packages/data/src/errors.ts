import { type ErrorLocation, formatLocation, ProfilekitError } from "@profilekit/spec";

/** The stable codes of {@link InputError}; documented in docs/data-format.md. */
export const inputErrorCodes = [
  "file_not_found",
  "unreadable_input",
  "empty_input",
  "malformed_json",
  "malformed_csv",
  "invalid_record",
  "missing_field",
  "invalid_field",
  "unknown_label",
  "duplicate_record",
  "no_valid_pairs",
  "unknown_preset",
  "invalid_mapping",
  "invalid_option",
] as const;
export type InputErrorCode = (typeof inputErrorCodes)[number];

/**
 * Bad input or bad reading options: a user error (exit code 2). The message
 * says where (file:line, field), what was expected and what was found; `hint`
 * says what to do.
 */
export class InputError extends ProfilekitError {
  override readonly name: string = "InputError";
  declare readonly code: InputErrorCode;

  constructor(
    code: InputErrorCode,
    message: string,
    options: { hint?: string; location?: ErrorLocation; cause?: unknown } = {},
  ) {
    super(code, message, { ...options, exitCode: 2 });
  }
}

/** Where a record sits: its file, its first line (1-based) and its 0-based position among the records. */
export interface RecordAt {
  readonly file: string;
  readonly line: number;
  readonly index: number;
}

const previewLength = 80;

/** A short, single-line rendering of a found value for an error message. */
export function preview(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  let text: string;
  try {
    text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > previewLength ? `${text.slice(0, previewLength - 1)}…` : text;
}

/** A record-level error: `<file>:<line>, field "<field>": expected <expected>, found <preview>`. */
export function recordError(
  code: InputErrorCode,
  at: RecordAt,
  problem: { field?: string; expected: string; found: unknown; hint?: string },
): InputError {
  const location: ErrorLocation = { file: at.file, line: at.line };
  if (problem.field !== undefined) location.field = problem.field;
  return new InputError(
    code,
    `${formatLocation(location)}: expected ${problem.expected}, found ${preview(problem.found)}`,
    problem.hint === undefined ? { location } : { location, hint: problem.hint },
  );
}
