/**
 * OpenAI's strict structured outputs take a subset of JSON Schema: every
 * object lists all its properties as required and sets
 * `additionalProperties: false`, and only some keywords are allowed.
 * Keywords outside that subset (minLength, uniqueItems, ...) are dropped
 * rather than giving up strictness: the answer is validated against the full
 * zod schema afterwards anyway. A schema with optional properties cannot be
 * strict; it is sent as is, with `strict: false` (use `.nullable()` rather
 * than `.optional()` to keep strictness).
 */
const STRICT_KEYWORDS = new Set([
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "enum",
  "const",
  "anyOf",
  "description",
  "title",
  "$ref",
  "$defs",
  "definitions",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
]);

/** Keywords whose value is a map of names to subschemas. */
const SCHEMA_MAPS = new Set(["properties", "$defs", "definitions"]);
/** Keywords whose value is data, not a schema. */
const DATA_KEYWORDS = new Set(["enum", "const", "required"]);

export function strictSchema(schema: Readonly<Record<string, unknown>>): StrictSchema {
  const known = converted.get(schema);
  if (known) return known;
  const { $schema: _dialect, ...rest } = schema;
  const result = structureIsStrict(rest)
    ? { schema: prune(rest) as Record<string, unknown>, strict: true }
    : { schema: rest, strict: false };
  if (Object.isFrozen(schema)) converted.set(schema, result);
  return result;
}

export interface StrictSchema {
  readonly schema: Record<string, unknown>;
  readonly strict: boolean;
}

/** By (frozen, so unchanging) schema object: the client sends the same one with every call. */
const converted = new WeakMap<object, StrictSchema>();

function structureIsStrict(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(structureIsStrict);
  if (typeof node !== "object" || node === null) return true;
  const record = node as Record<string, unknown>;
  if (isObjectSchema(record)) {
    const properties = Object.keys((record.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(record.required) ? record.required : []);
    if (record.additionalProperties !== false || properties.some((name) => !required.has(name))) return false;
  }
  return Object.entries(record).every(([keyword, value]) =>
    DATA_KEYWORDS.has(keyword)
      ? true
      : SCHEMA_MAPS.has(keyword) && typeof value === "object" && value !== null
        ? Object.values(value).every(structureIsStrict)
        : structureIsStrict(value),
  );
}

function isObjectSchema(record: Record<string, unknown>): boolean {
  return record.type === "object" || (Array.isArray(record.type) && record.type.includes("object"));
}

function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (!STRICT_KEYWORDS.has(keyword)) continue;
    out[keyword] = DATA_KEYWORDS.has(keyword)
      ? value
      : SCHEMA_MAPS.has(keyword) && typeof value === "object" && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, subschema]) => [name, prune(subschema)]))
        : prune(value);
  }
  return out;
}
