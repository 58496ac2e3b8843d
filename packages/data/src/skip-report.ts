import type { ErrorLocation } from "@profilekit/spec";
import type { InputError } from "./errors.js";

/** One skipped record, kept as an example of its reason. */
export interface SkippedRecord {
  readonly code: string;
  readonly message: string;
  readonly location: ErrorLocation | undefined;
}

/**
 * What `onInvalid: 'skip'` dropped: how many records, how many per error code,
 * and the first few of each code with their locations.
 */
export interface SkipReport {
  readonly count: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly examples: readonly SkippedRecord[];
}

/** Examples kept per error code. */
const examplesPerReason = 3;

/** Collects skipped records into a {@link SkipReport}. */
export class SkipCollector {
  #count = 0;
  readonly #byReason: Record<string, number> = {};
  readonly #examples: SkippedRecord[] = [];

  add(error: InputError): void {
    this.#count++;
    const seen = this.#byReason[error.code] ?? 0;
    this.#byReason[error.code] = seen + 1;
    if (seen < examplesPerReason) {
      this.#examples.push({ code: error.code, message: error.message, location: error.location });
    }
  }

  get count(): number {
    return this.#count;
  }

  report(): SkipReport {
    return { count: this.#count, byReason: { ...this.#byReason }, examples: [...this.#examples] };
  }
}

/** One line for people: `3 records skipped: malformed_json 2 (a.jsonl:4, a.jsonl:9); unknown_label 1 (a.jsonl:7)`. */
export function formatSkipReport(report: SkipReport): string {
  if (report.count === 0) return "no records skipped";
  const reasons = Object.entries(report.byReason).map(([code, count]) => {
    const where = report.examples
      .filter((example) => example.code === code && example.location?.file !== undefined)
      .map((example) => `${example.location?.file}:${example.location?.line ?? "?"}`);
    const more = count > where.length && where.length > 0 ? ", …" : "";
    return where.length > 0 ? `${code} ${count} (${where.join(", ")}${more})` : `${code} ${count}`;
  });
  return `${report.count} record${report.count === 1 ? "" : "s"} skipped: ${reasons.join("; ")}`;
}
