import { basename } from "node:path";
import type { Pair } from "@profilekit/spec";
import { isRecord, optionalName, optionalText, responseText } from "./coerce.js";
import { type ColumnMapping, type MappingTarget, mappingTargets, valueAt } from "./column-mapping.js";
import { InputError, type RecordAt, recordError } from "./errors.js";
import {
  canonicalLabels,
  type LabelMapping,
  type LabelResolver,
  labelResolver,
  requireLabel,
} from "./label-mapping.js";

/** How records of one file become pairs: a column per pair field, the label resolver, the default task. */
export interface RecordMapping {
  readonly columns: Readonly<Record<MappingTarget, string>>;
  readonly labels: LabelResolver;
  readonly task: string | undefined;
  /** The file's name, for ids of records that have none: `<name>:<line>`. */
  readonly name: string;
}

/** Fields not in `mapping` are read from the column of their own name; labels default to a, b, tie. */
export function recordMapping(
  file: string,
  options: {
    mapping?: ColumnMapping | undefined;
    labels?: LabelMapping | undefined;
    task?: string | undefined;
  },
): RecordMapping {
  const columns = Object.fromEntries(
    mappingTargets.map((target) => [target, options.mapping?.[target] ?? target]),
  ) as Record<MappingTarget, string>;
  return {
    columns,
    labels: labelResolver(options.labels ?? canonicalLabels),
    task: options.task,
    name: basename(file),
  };
}

/**
 * Builds a pair from one record through a mapping, applying the coercion rules
 * of coerce.ts. Throws a record-level {@link InputError} naming the column.
 */
export function mapRecord(record: Record<string, unknown>, at: RecordAt, mapping: RecordMapping): Pair {
  const { columns } = mapping;
  try {
    const id = optionalName(valueAt(record, columns.id), columns.id, at) ?? `${mapping.name}:${at.line}`;
    // A task given to the reader is the task of every pair, whatever the file says.
    const task = mapping.task ?? optionalName(valueAt(record, columns.task), columns.task, at);
    if (task === undefined) {
      throw recordError("missing_field", at, {
        field: columns.task,
        expected: "a task id such as summarization, instruction-following or document-qa",
        found: undefined,
        hint: "give every pair's task with --task <id>, or map a column with --map task=<column>",
      });
    }
    const pair: Pair = {
      id,
      task,
      a: responseText(valueAt(record, columns.a), columns.a, at),
      b: responseText(valueAt(record, columns.b), columns.b, at),
      label: requireLabel(
        mapping.labels,
        valueAt(record, columns.label),
        columns.label,
        at,
        "say which raw values mean a, b and tie with --labels a=…,b=…,tie=…, or use --on-invalid skip",
      ),
    };
    const source = optionalText(valueAt(record, columns.source), columns.source, at);
    if (source !== undefined) pair.source = source;
    const prompt = optionalText(valueAt(record, columns.prompt), columns.prompt, at);
    if (prompt !== undefined) pair.prompt = prompt;
    const group = optionalName(valueAt(record, columns.group), columns.group, at);
    if (group !== undefined) pair.group = group;
    const meta = record.meta;
    if (isRecord(meta)) pair.meta = meta;
    else if (meta !== undefined && meta !== null) {
      throw recordError("invalid_field", at, { field: "meta", expected: "an object", found: meta });
    }
    return pair;
  } catch (error) {
    if (error instanceof InputError && error.code === "missing_field" && error.hint === undefined) {
      throw new InputError(error.code, error.message, {
        ...(error.location ? { location: error.location } : {}),
        hint: `map the field with --map <field>=<column> (this record has ${describeKeys(record)}), or use --on-invalid skip`,
      });
    }
    throw error;
  }
}

function describeKeys(record: Record<string, unknown>): string {
  const keys = Object.keys(record);
  if (keys.length === 0) return "no fields";
  const shown = keys.slice(0, 12).map((key) => JSON.stringify(key));
  return `${shown.join(", ")}${keys.length > shown.length ? ", …" : ""}`;
}
