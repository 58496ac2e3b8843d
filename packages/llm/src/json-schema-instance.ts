import { createHash } from "node:crypto";

/**
 * Builds an instance of a JSON schema, as sent to a provider: the keywords zod's
 * `z.toJSONSchema` writes for plain objects, arrays, strings, numbers, booleans, enums,
 * `const`, `anyOf`, nulls and local `$ref`s. Every choice the schema leaves open goes to a
 * `Choices` strategy, so one walk serves a plausible placeholder (for dry-run plans) and
 * random instances (for a mock server that answers like any strict-output model).
 */
export type JsonSchemaNode = Readonly<Record<string, any>>;

export interface Choices {
  /** An array length in [min, max] (max may be Infinity). */
  length(min: number, max: number): number;
  integer(min: number, max: number): number;
  number(min: number, max: number): number;
  boolean(): boolean;
  string(): string;
  /** Which of `count` options (anyOf branches, type alternatives). */
  option(count: number): number;
  /** Which of an enum's `count` values. */
  enumValue(count: number): number;
  /** Whether to include a property the schema does not require. */
  includeOptional(): boolean;
}

const SAFE = Number.MAX_SAFE_INTEGER;

export function instanceOf(schema: JsonSchemaNode, choices: Choices, root: JsonSchemaNode = schema): unknown {
  const node = resolve(schema, root);
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum)) return node.enum[choices.enumValue(node.enum.length)];
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) return instanceOf(branches[choices.option(branches.length)], choices, root);
  if (Array.isArray(node.allOf) && node.allOf.length === 1) return instanceOf(node.allOf[0], choices, root);
  const type = Array.isArray(node.type) ? node.type[choices.option(node.type.length)] : node.type;
  switch (type) {
    case "object": {
      const required = new Set<string>(node.required ?? []);
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries<JsonSchemaNode>(node.properties ?? {})) {
        if (required.has(name) || choices.includeOptional()) out[name] = instanceOf(property, choices, root);
      }
      return out;
    }
    case "array": {
      const min = node.minItems ?? 0;
      const max = node.maxItems ?? Number.POSITIVE_INFINITY;
      const length = choices.length(min, max);
      if (Array.isArray(node.prefixItems)) {
        return node.prefixItems.map((item: JsonSchemaNode) => instanceOf(item, choices, root));
      }
      return Array.from({ length }, () => instanceOf(node.items ?? {}, choices, root));
    }
    case "string":
      return choices.string();
    case "boolean":
      return choices.boolean();
    case "integer": {
      const [min, max] = bounds(node, true);
      return choices.integer(min, max);
    }
    case "number": {
      const [min, max] = bounds(node, false);
      return choices.number(min, max);
    }
    case "null":
      return null;
    default:
      return choices.string();
  }
}

function bounds(node: JsonSchemaNode, integer: boolean): [number, number] {
  const step = integer ? 1 : 0;
  let min = typeof node.minimum === "number" ? node.minimum : -SAFE;
  let max = typeof node.maximum === "number" ? node.maximum : SAFE;
  if (typeof node.exclusiveMinimum === "number") min = Math.max(min, node.exclusiveMinimum + (step || 1e-9));
  if (typeof node.exclusiveMaximum === "number") max = Math.min(max, node.exclusiveMaximum - (step || 1e-9));
  return integer ? [Math.ceil(min), Math.floor(max)] : [min, max];
}

/** Follows a local `$ref` (`#/$defs/...`). */
function resolve(node: JsonSchemaNode, root: JsonSchemaNode): JsonSchemaNode {
  if (typeof node.$ref !== "string" || !node.$ref.startsWith("#")) return node;
  let target: any = root;
  for (const part of node.$ref.slice(2).split("/").filter(Boolean)) target = target?.[part];
  return target ?? {};
}

/**
 * Placeholder choices for planning: a few items per array (within its bounds), the smallest
 * allowed numbers, short strings, the first option. A plan's token counts are estimates.
 */
export const PLACEHOLDER_CHOICES: Choices = {
  length: (min, max) => Math.max(min, Math.min(3, max)),
  integer: (min, max) => Math.min(Math.max(min, 0), max),
  number: (min, max) => Math.min(Math.max(min, 0), max),
  boolean: () => false,
  string: () => "…",
  option: () => 0,
  enumValue: () => 0,
  includeOptional: () => false,
};

/**
 * The choices of a planned round's answer to the call with cache key `key`: the placeholder
 * choices, but each enum's value drawn from the key, so planned answers differ between calls as
 * real ones do (the planned verdicts of a pair's two orders agree only sometimes, and the calls
 * made on the pairs that agree are planned too).
 */
export function plannedChoices(key: string): Choices {
  let drawn = 0;
  return {
    ...PLACEHOLDER_CHOICES,
    enumValue: (count) => createHash("sha256").update(`${key}/${drawn++}`).digest().readUInt32BE(0) % count,
  };
}
