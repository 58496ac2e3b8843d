import { z } from "zod";
import { InputError } from "./errors.js";

/** The pair fields a column mapping can fill. */
export const mappingTargets = ["id", "task", "source", "prompt", "a", "b", "label", "group"] as const;
export type MappingTarget = (typeof mappingTargets)[number];

const column = z.string().min(1);

/**
 * Which column (or dotted path into nested JSON, e.g. `responses.0`) fills
 * each pair field. A field left out is read from the column of its own name.
 */
export const ColumnMappingSchema = z.strictObject({
  id: column.optional(),
  task: column.optional(),
  source: column.optional(),
  prompt: column.optional(),
  a: column.optional(),
  b: column.optional(),
  label: column.optional(),
  group: column.optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

const mappingHint = `write it as <field>=<column>,… with fields among ${mappingTargets.join(", ")}, e.g. prompt=instruction,a=response1,b=response2,label=winner`;

/** Parses `prompt=instruction,a=response1,b=response2,label=winner` (the CLI's `--map`). */
export function parseColumnMapping(text: string): ColumnMapping {
  const mapping: Partial<Record<MappingTarget, string>> = {};
  for (const entry of text.split(",")) {
    const equals = entry.indexOf("=");
    const target = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const source = equals < 0 ? "" : entry.slice(equals + 1).trim();
    if (!(mappingTargets as readonly string[]).includes(target)) {
      throw new InputError(
        "invalid_mapping",
        `column mapping "${text}": "${target}" is not a pair field; expected one of ${mappingTargets.join(", ")}`,
        { hint: mappingHint },
      );
    }
    if (source === "") {
      throw new InputError(
        "invalid_mapping",
        `column mapping "${text}": "${target}" needs a column after "="`,
        {
          hint: mappingHint,
        },
      );
    }
    if (mapping[target as MappingTarget] !== undefined) {
      throw new InputError("invalid_mapping", `column mapping "${text}": "${target}" is mapped twice`, {
        hint: mappingHint,
      });
    }
    mapping[target as MappingTarget] = source;
  }
  return mapping;
}

/**
 * The value at `path` in a record: the key `path` itself when the record has
 * it (so column names may contain dots), otherwise the dotted path walked
 * through objects and arrays (`responses.0`, `meta.judge.label`).
 */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(record, path)) return record[path];
  let current: unknown = record;
  for (const step of path.split(".")) {
    if (typeof current !== "object" || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string, unknown>)[step];
  }
  return current;
}
