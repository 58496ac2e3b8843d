import { type RecordAt, recordError } from "./errors.js";

/**
 * The rules that turn raw field values into pair fields, the same for every
 * format and preset (docs/data-format.md, "Quirks"): what is unambiguous is
 * coerced, anything else is rejected with the field named.
 */

/** A response (`a`, `b`): a string as is; a finite number as its decimal string. null, missing or anything else is an invalid record. */
export function responseText(value: unknown, field: string, at: RecordAt, hint?: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw recordError(value === undefined || value === null ? "missing_field" : "invalid_field", at, {
    field,
    expected: "a string",
    found: value,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** An optional text (`source`, `prompt`): missing or null is absent; a number becomes its string. */
export function optionalText(value: unknown, field: string, at: RecordAt): string | undefined {
  if (value === undefined || value === null) return undefined;
  return responseText(value, field, at);
}

/** An optional name (`id`, `task`, `group`): as {@link optionalText}, and an empty or blank string is absent too. */
export function optionalName(value: unknown, field: string, at: RecordAt): string | undefined {
  const text = optionalText(value, field, at);
  return text === undefined || text.trim() === "" ? undefined : text;
}

const numeric = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The comparable form of a raw label: trimmed and lower-cased; booleans and
 * the strings "true"/"false" (any case) are the same; numbers and numeric
 * strings compare by value ("1", "1.0" and 1 are the same). Objects, arrays and
 * null have none.
 */
export function labelKey(raw: unknown): string | undefined {
  if (typeof raw === "boolean") return String(raw);
  if (typeof raw === "number") return Number.isFinite(raw) ? String(raw) : undefined;
  if (typeof raw !== "string") return undefined;
  const text = raw.trim();
  return numeric.test(text) ? String(Number(text)) : text.toLowerCase();
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
