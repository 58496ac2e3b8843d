/**
 * Where an error happened, as precisely as is known: a file and line, the
 * field inside the record, the pair id, the factor.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  field?: string;
  pairId?: string;
  factor?: string;
}

/**
 * The base of every error profilekit raises on purpose. `code` is stable and
 * documented; `hint` says what to do about it. `exitCode` 2 marks a user error
 * (bad usage or bad input) that a CLI prints without a stack trace.
 */
export class ProfilekitError extends Error {
  override readonly name: string = "ProfilekitError";
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: ErrorLocation | undefined;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; location?: ErrorLocation; cause?: unknown; exitCode?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Renders a location as `file:line field=… pair=… factor=…`, omitting what is unknown. */
export function formatLocation(location: ErrorLocation | undefined): string {
  if (!location) return "";
  const parts: string[] = [];
  if (location.file !== undefined) {
    parts.push(location.line === undefined ? location.file : `${location.file}:${location.line}`);
  } else if (location.line !== undefined) {
    parts.push(`line ${location.line}`);
  }
  if (location.field !== undefined) parts.push(`field "${location.field}"`);
  if (location.pairId !== undefined) parts.push(`pair "${location.pairId}"`);
  if (location.factor !== undefined) parts.push(`factor "${location.factor}"`);
  return parts.join(", ");
}

export function isProfilekitError(value: unknown): value is ProfilekitError {
  return value instanceof ProfilekitError;
}
