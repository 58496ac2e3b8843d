import { type Label, LabelSchema } from "@profilekit/spec";
import { z } from "zod";
import { labelKey } from "./coerce.js";
import { InputError, type RecordAt, recordError } from "./errors.js";

const rawLabels = z.array(z.string().min(1)).min(1).readonly();

/** Which raw values mean `a`, `b` and `tie`; a label left out matches nothing. */
export const LabelMappingSchema = z.strictObject({
  a: rawLabels.optional(),
  b: rawLabels.optional(),
  tie: rawLabels.optional(),
});
export type LabelMapping = z.infer<typeof LabelMappingSchema>;

/** Raw labels when no mapping is given: the canonical `a`, `b`, `tie`. */
export const canonicalLabels: LabelMapping = { a: ["a"], b: ["b"], tie: ["tie"] };

const mappingHint =
  'write it as a=<raw>,b=<raw>,tie=<raw>, several raw values joined by "|", e.g. a=1,b=2,tie=0|draw';

/** Parses `a=1,b=2,tie=0|draw` (the CLI's `--labels`). */
export function parseLabelMapping(text: string): LabelMapping {
  const mapping: Partial<Record<Label, string[]>> = {};
  for (const entry of text.split(",")) {
    const equals = entry.indexOf("=");
    const label = (equals < 0 ? entry : entry.slice(0, equals)).trim();
    const values =
      equals < 0
        ? []
        : entry
            .slice(equals + 1)
            .split("|")
            .map((value) => value.trim());
    const parsed = LabelSchema.safeParse(label);
    if (!parsed.success) {
      throw new InputError(
        "invalid_mapping",
        `label mapping "${text}": "${label}" is not a label; expected a, b or tie`,
        { hint: mappingHint },
      );
    }
    if (values.length === 0 || values.some((value) => value === "")) {
      throw new InputError(
        "invalid_mapping",
        `label mapping "${text}": "${label}" needs raw values after "="`,
        {
          hint: mappingHint,
        },
      );
    }
    if (mapping[parsed.data]) {
      throw new InputError("invalid_mapping", `label mapping "${text}": "${label}" is given twice`, {
        hint: `join its raw values with "|", e.g. ${label}=${values[0]}|other`,
      });
    }
    mapping[parsed.data] = values;
  }
  return labelResolver(mapping).mapping;
}

/** Resolves raw labels through a mapping, comparing them by {@link labelKey}. */
export interface LabelResolver {
  readonly mapping: LabelMapping;
  /** The label a raw value stands for, or undefined when none. */
  resolve(raw: unknown): Label | undefined;
  /** The accepted raw values, for error messages: `"True" (a), "False" (b), "Equally Good" (tie)`. */
  readonly expected: string;
}

/** Builds a resolver; fails with `invalid_mapping` when one raw value stands for two labels. */
export function labelResolver(mapping: LabelMapping): LabelResolver {
  const checked = LabelMappingSchema.safeParse(mapping);
  if (!checked.success) {
    throw new InputError("invalid_mapping", `label mapping: ${z.prettifyError(checked.error)}`, {
      hint: mappingHint,
    });
  }
  const byKey = new Map<string, Label>();
  const expected: string[] = [];
  for (const label of LabelSchema.options) {
    for (const raw of mapping[label] ?? []) {
      const key = labelKey(raw) ?? raw;
      const other = byKey.get(key);
      if (other !== undefined && other !== label) {
        throw new InputError(
          "invalid_mapping",
          `label mapping: "${raw}" stands for both ${other} and ${label}`,
          {
            hint: mappingHint,
          },
        );
      }
      byKey.set(key, label);
      expected.push(`${JSON.stringify(raw)} (${label})`);
    }
  }
  return {
    mapping: checked.data,
    resolve: (raw) => {
      const key = labelKey(raw);
      return key === undefined ? undefined : byKey.get(key);
    },
    expected: expected.join(", "),
  };
}

/** The label of a record's raw value: `missing_field` when there is none, `unknown_label` when it maps to nothing. */
export function requireLabel(
  labels: LabelResolver,
  raw: unknown,
  field: string,
  at: RecordAt,
  hint?: string,
): Label {
  const resolved = labels.resolve(raw);
  if (resolved !== undefined) return resolved;
  const missing = raw === undefined || raw === null;
  throw recordError(missing ? "missing_field" : "unknown_label", at, {
    field,
    expected: `a label among ${labels.expected}`,
    found: raw,
    ...(missing || hint === undefined ? {} : { hint }),
  });
}
