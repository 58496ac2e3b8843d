import { z } from "zod";

/**
 * Request bodies as the real APIs check them, so the mock server refuses what
 * they would (400 invalid_request_error) rather than answering it: unknown
 * top-level parameters, missing or malformed required ones, out-of-range
 * values, and the rules of strict structured output and prompt caching.
 * They cover the parameters profilekit and the official SDKs send; a
 * parameter the real API takes but these do not know is refused, so adding
 * one to a request means adding it here (and checking the API's reference).
 */

const API_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const jsonObject = z.record(z.string(), z.unknown());

const OpenAIContentPartSchema = z.object({ type: z.literal("text"), text: z.string() }).strict();

const OpenAIMessageSchema = z
  .object({
    role: z.enum(["system", "developer", "user", "assistant"]),
    content: z.union([z.string(), z.array(OpenAIContentPartSchema).min(1)]),
    name: z.string().optional(),
  })
  .strict();

const JsonSchemaFormatSchema = z
  .object({
    type: z.literal("json_schema"),
    json_schema: z
      .object({
        name: z.string().regex(API_NAME, "json_schema.name must match ^[a-zA-Z0-9_-]{1,64}$"),
        description: z.string().optional(),
        schema: jsonObject.optional(),
        strict: z.boolean().nullable().optional(),
      })
      .strict(),
  })
  .strict();

/** POST /v1/chat/completions, as OpenAI checks it (the parameters that can reach it from profilekit). */
export const ChatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(OpenAIMessageSchema).min(1, "messages must hold at least one message"),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    max_tokens: z.number().int().positive().optional(),
    max_completion_tokens: z.number().int().positive().optional(),
    stream: z.literal(false).optional(),
    n: z.literal(1).optional(),
    user: z.string().optional(),
    response_format: z
      .union([
        z.object({ type: z.literal("text") }).strict(),
        z.object({ type: z.literal("json_object") }).strict(),
        JsonSchemaFormatSchema,
      ])
      .optional(),
  })
  .strict()
  .superRefine((body, context) => {
    const format = body.response_format;
    if (format?.type !== "json_schema" || format.json_schema.strict !== true) return;
    for (const problem of strictSchemaProblems(format.json_schema.schema ?? {}, "schema", true)) {
      context.addIssue({
        code: "custom",
        path: ["response_format", "json_schema", "schema"],
        message: problem,
      });
    }
  });

/** Keywords OpenAI's strict structured outputs accept. */
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

/**
 * What OpenAI refuses in a strict schema: a root that is not an object, an
 * object without `additionalProperties: false` or with a property missing from
 * `required`, and keywords outside the supported subset.
 */
function strictSchemaProblems(node: unknown, path: string, root = false): string[] {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return [];
  const schema = node as Record<string, unknown>;
  const problems: string[] = [];
  if (root && schema.type !== "object")
    problems.push(`${path}: the root of a strict schema must be an object`);
  for (const keyword of Object.keys(schema)) {
    if (!STRICT_KEYWORDS.has(keyword) && !(root && keyword === "$schema")) {
      problems.push(`${path}: "${keyword}" is not supported in strict mode`);
    }
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes("object")) {
    const properties = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    if (schema.additionalProperties !== false) {
      problems.push(`${path}: additionalProperties must be false in strict mode`);
    }
    const missing = properties.filter((name) => !required.has(name));
    if (missing.length > 0)
      problems.push(`${path}: required must list every property (missing ${missing.join(", ")})`);
  }
  const children: [string, unknown][] = [];
  for (const map of ["properties", "$defs", "definitions"]) {
    const entries = schema[map];
    if (typeof entries === "object" && entries !== null) {
      for (const [name, child] of Object.entries(entries)) children.push([`${path}.${map}.${name}`, child]);
    }
  }
  if (schema.items !== undefined) children.push([`${path}.items`, schema.items]);
  if (Array.isArray(schema.anyOf)) {
    for (const [i, child] of schema.anyOf.entries()) children.push([`${path}.anyOf[${i}]`, child]);
  }
  for (const [childPath, child] of children) problems.push(...strictSchemaProblems(child, childPath));
  return problems;
}

const CacheControlSchema = z
  .object({ type: z.literal("ephemeral"), ttl: z.enum(["5m", "1h"]).optional() })
  .strict();

const AnthropicTextBlockSchema = z
  .object({
    type: z.literal("text"),
    text: z.string().min(1, "text content blocks must be non-empty"),
    cache_control: CacheControlSchema.optional(),
  })
  .strict();

const AnthropicMessageSchema = z
  .object({
    role: z.enum(["user", "assistant"], { error: 'a message role must be "user" or "assistant"' }),
    content: z.union([
      z.string().min(1, "a message's content must be non-empty"),
      z.array(AnthropicTextBlockSchema).min(1),
    ]),
  })
  .strict();

const AnthropicToolSchema = z
  .object({
    name: z.string().regex(API_NAME, "a tool name must match ^[a-zA-Z0-9_-]{1,64}$"),
    description: z.string().optional(),
    input_schema: jsonObject.refine((schema) => schema.type === "object", "input_schema.type must be object"),
    cache_control: CacheControlSchema.optional(),
  })
  .strict();

/** At most this many blocks may carry cache_control in one Messages request. */
const ANTHROPIC_MAX_CACHE_CONTROL = 4;

/** POST /v1/messages, as Anthropic checks it (the parameters that can reach it from profilekit). */
export const MessagesRequestSchema = z
  .object({
    model: z.string().min(1),
    max_tokens: z.number().int().positive(),
    messages: z.array(AnthropicMessageSchema).min(1, "messages must hold at least one message"),
    system: z.union([z.string(), z.array(AnthropicTextBlockSchema)]).optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
    stop_sequences: z.array(z.string()).optional(),
    stream: z.literal(false).optional(),
    metadata: z.object({ user_id: z.string().optional() }).strict().optional(),
    tools: z.array(AnthropicToolSchema).optional(),
    tool_choice: z
      .union([
        z.object({ type: z.enum(["auto", "any", "none"]) }).strict(),
        z.object({ type: z.literal("tool"), name: z.string() }).strict(),
      ])
      .optional(),
  })
  .strict()
  .superRefine((body, context) => {
    const choice = body.tool_choice;
    if (choice?.type === "tool" && !body.tools?.some((tool) => tool.name === choice.name)) {
      context.addIssue({
        code: "custom",
        path: ["tool_choice"],
        message: `tool_choice names no tool "${choice.name}"`,
      });
    }
    const marked =
      (body.tools ?? []).filter((tool) => tool.cache_control).length +
      (Array.isArray(body.system) ? body.system.filter((block) => block.cache_control).length : 0) +
      body.messages
        .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
        .filter((block) => block.cache_control).length;
    if (marked > ANTHROPIC_MAX_CACHE_CONTROL) {
      context.addIssue({
        code: "custom",
        path: [],
        message: `A maximum of ${ANTHROPIC_MAX_CACHE_CONTROL} blocks with cache_control may be provided. Found ${marked}.`,
      });
    }
  });

export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

/** The first problems of a refused body, in the APIs' `path: message` style. */
export function describeIssues(error: z.ZodError): string {
  return flatten(error.issues, [])
    .slice(0, 5)
    .map(({ issue, path }) =>
      issue.code === "unrecognized_keys"
        ? `Unrecognized request argument supplied: ${issue.keys.join(", ")}${path.length > 0 ? ` (in ${path.join(".")})` : ""}`
        : `${path.length > 0 ? `${path.join(".")}: ` : ""}${issue.message}`,
    )
    .join("; ");
}

type Issue = z.core.$ZodIssue;

/** Issues with full paths; a union's own are those of the alternative that got furthest. */
function flatten(
  issues: readonly Issue[],
  prefix: readonly PropertyKey[],
): { issue: Issue; path: PropertyKey[] }[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [{ issue, path }];
    const depth = (branch: readonly Issue[]) => Math.max(0, ...branch.map((entry) => entry.path.length));
    const furthest = issue.errors.reduce((best, branch) => (depth(branch) > depth(best) ? branch : best));
    return flatten(furthest, path);
  });
}
