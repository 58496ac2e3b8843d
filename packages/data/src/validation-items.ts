import { type ValidationItem, ValidationItemSchema } from "@profilekit/spec";
import { isRecord } from "./coerce.js";
import { InputError, preview, recordError } from "./errors.js";
import { formatFromName, readRecords } from "./records.js";

/**
 * Reads a validation file: one {@link ValidationItem} per line of JSON Lines (or a JSON array),
 * optionally gzip-compressed (docs/data-format.md, "Validation items"). The first record that is
 * not a valid item, or repeats an earlier id, stops the reading with an error naming its file,
 * line and field: a validation set is small and curated, so nothing is skipped quietly.
 */
export async function* readValidationItems(path: string): AsyncGenerator<ValidationItem> {
  const format = formatFromName(path) ?? "jsonl";
  if (format !== "jsonl" && format !== "json") {
    throw new InputError("invalid_option", `${path}: validation items are read from JSON Lines or JSON`, {
      location: { file: path },
      hint: "write one item per line: {id, task, source?, prompt?, response, cluster, labels}",
    });
  }
  const ids = new Set<string>();
  let read = 0;
  for await (const batch of readRecords(path, format)) {
    for (const record of batch) {
      if (record.error) throw record.error;
      const { at, value } = record;
      if (!isRecord(value)) {
        throw recordError("invalid_record", at, { expected: "a JSON object (one item)", found: value });
      }
      const parsed = ValidationItemSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.map(String).join(".");
        const found = issue.path.reduce<unknown>(
          (inner, key) => (isRecord(inner) ? inner[key as string] : undefined),
          value,
        );
        throw new InputError(
          found === undefined ? "missing_field" : "invalid_field",
          `${at.file}:${at.line}, field "${field}": ${issue.message}, found ${preview(found)}`,
          {
            location: { file: at.file, line: at.line, field },
            hint: "an item is {id, task, source?, prompt?, response, cluster, labels: {name: number or boolean}}",
          },
        );
      }
      if (ids.has(parsed.data.id)) {
        throw recordError("duplicate_record", at, {
          field: "id",
          expected: "each item id once",
          found: parsed.data.id,
        });
      }
      ids.add(parsed.data.id);
      read++;
      yield parsed.data;
    }
  }
  if (read === 0) {
    throw new InputError("empty_input", `${path}: the file holds no validation item`, {
      location: { file: path },
      hint: "check that this is the right file",
    });
  }
}
