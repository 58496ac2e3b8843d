import type { ChatMessage, ModelResponse, StructuredOutputSupport, TokenUsage } from "@profilekit/spec";
import { z } from "zod";
import { ModelConfigurationError } from "./errors.js";

/** What a structured call sends: the schema for the provider, or instructions in the text. */
export interface StructuredRequest {
  readonly messages: readonly ChatMessage[];
  readonly responseSchema:
    | { readonly name: string; readonly jsonSchema: Record<string, unknown> }
    | undefined;
}

/**
 * The JSON schema of a zod schema (zod 4's `z.toJSONSchema`, output side).
 * The root must be an object: OpenAI's json_schema and Anthropic's tool input
 * both require it.
 */
export function jsonSchemaOf(schema: z.ZodType, schemaName: string): Readonly<Record<string, unknown>> {
  const known = jsonSchemas.get(schema);
  if (known) return known;
  let jsonSchema: Record<string, unknown>;
  try {
    jsonSchema = z.toJSONSchema(schema, { io: "output" }) as Record<string, unknown>;
  } catch (error) {
    throw new ModelConfigurationError(
      "invalid_schema",
      `The schema "${schemaName}" has no JSON Schema form: ${(error as Error).message}`,
      { hint: "Use plain zod types (objects, strings, numbers, enums, arrays) without transforms." },
    );
  }
  if (jsonSchema.type !== "object") {
    throw new ModelConfigurationError(
      "invalid_schema",
      `The schema "${schemaName}" must be a z.object at its root.`,
      {
        hint: "Wrap the answer in an object, e.g. z.object({ answer: ... }).",
      },
    );
  }
  const frozen = deepFreeze(jsonSchema);
  jsonSchemas.set(schema, frozen);
  return frozen;
}

/**
 * A schema's JSON Schema is computed once and frozen: the same object then
 * goes with every call, and its canonical text (for the cache key) and
 * strict-mode form are computed once too.
 */
const jsonSchemas = new WeakMap<z.ZodType, Readonly<Record<string, unknown>>>();

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** Names sent to the APIs must match ^[a-zA-Z0-9_-]{1,64}$. */
export function apiSchemaName(schemaName: string): string {
  const name = schemaName.replace(/[^a-zA-Z0-9_-]+/g, "_").slice(0, 64);
  return name === "" ? "answer" : name;
}

/**
 * Builds the request for a structured answer. 'json-schema' and 'tool'
 * providers get the schema as such; 'text' providers get it in the last user
 * message, with the instruction to answer with one JSON object only.
 */
export function structuredRequest(
  messages: readonly ChatMessage[],
  jsonSchema: Record<string, unknown>,
  schemaName: string,
  mode: StructuredOutputSupport,
): StructuredRequest {
  if (mode !== "text") return { messages, responseSchema: { name: apiSchemaName(schemaName), jsonSchema } };
  const { $schema: _dialect, ...schema } = jsonSchema;
  const instructions = `Answer with one JSON object and nothing else (no prose, no code fence). It must follow this JSON schema:\n${JSON.stringify(schema)}`;
  const lastUser = messages.findLastIndex((message) => message.role === "user");
  if (lastUser < 0)
    return { messages: [...messages, { role: "user", content: instructions }], responseSchema: undefined };
  return {
    messages: messages.map((message, index) =>
      index === lastUser ? { ...message, content: `${message.content}\n\n${instructions}` } : message,
    ),
    responseSchema: undefined,
  };
}

/**
 * The first complete JSON object in a text (balanced braces, strings and
 * escapes respected), parsed; undefined when there is none. Tolerates prose
 * and code fences around it.
 */
export function extractFirstJsonObject(text: string): unknown {
  for (let start = text.indexOf("{"); start >= 0; start = text.indexOf("{", start + 1)) {
    const end = matchingBrace(text, start);
    if (end < 0) return undefined;
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      // Not JSON from this brace (e.g. prose in braces); try the next one.
    }
  }
  return undefined;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth += 1;
    else if (char === "}") {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

export type ParseOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/** Parses and validates an answer: JSON.parse of the whole text, else its first JSON object; then zod. */
export function parseStructured<S extends z.ZodType>(
  text: string,
  schema: S,
  finishReason: string,
): ParseOutcome<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = extractFirstJsonObject(text);
  }
  const truncated =
    finishReason === "length" || finishReason === "max_tokens"
      ? " (the answer was cut off at the token limit)"
      : "";
  if (json === undefined) {
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    return { ok: false, error: `the answer holds no JSON object${truncated}: ${JSON.stringify(shown)}` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    error: `the answer does not match the schema${truncated}:\n${z.prettifyError(result.error)}`,
  };
}

/** Longest invalid answer quoted back in a re-ask. */
const MAX_QUOTED_ANSWER = 8000;

/** The conversation for the one re-ask: the invalid answer, then what was wrong with it. */
export function reaskMessages(
  messages: readonly ChatMessage[],
  answer: string,
  error: string,
): ChatMessage[] {
  return [
    ...messages,
    // Anthropic refuses empty turns, and a refusal can leave the answer empty.
    { role: "assistant", content: answer === "" ? "(no answer)" : answer.slice(0, MAX_QUOTED_ANSWER) },
    {
      role: "user",
      content: `That answer is invalid: ${error}\nAnswer again with one JSON object that follows the schema exactly.`,
    },
  ];
}

export type StructuredOutcome<T> =
  | {
      readonly ok: true;
      readonly value: T;
      /** The valid answer; its usage is that of every request the call made (a re-ask's included). */
      readonly response: ModelResponse;
    }
  | { readonly ok: false; readonly error: string };

/**
 * The structured-output layer: asks, validates the answer against `accept`,
 * and re-asks once when it is invalid, quoting the answer and what was wrong
 * with it. `ask` sends one request (its failures propagate). Still invalid
 * after the re-ask, the outcome is `ok: false` with the last error.
 */
export async function askStructured<S extends z.ZodType>(
  ask: (messages: readonly ChatMessage[]) => Promise<ModelResponse>,
  messages: readonly ChatMessage[],
  accept: S,
  onInvalid: (error: string, willReask: boolean) => void,
): Promise<StructuredOutcome<z.output<S>>> {
  const first = await ask(messages);
  const parsed = parseStructured(first.text, accept, first.finishReason);
  if (parsed.ok) return { ok: true, value: parsed.value, response: first };
  onInvalid(parsed.error, true);
  const second = await ask(reaskMessages(messages, first.text, parsed.error));
  const reparsed = parseStructured(second.text, accept, second.finishReason);
  if (!reparsed.ok) {
    onInvalid(reparsed.error, false);
    return { ok: false, error: reparsed.error };
  }
  return {
    ok: true,
    value: reparsed.value,
    response: { ...second, usage: addUsage(first.usage, second.usage) },
  };
}

/** The sum of two usages; the cached counts appear only when some were reported. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  const written = (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
    ...(written > 0 ? { cacheWriteInputTokens: written } : {}),
  };
}
