import { createHash } from "node:crypto";
import { type Choices, instanceOf, type JsonSchemaNode } from "../json-schema-instance.js";
import { extractFirstJsonObject } from "../structured-output.js";
import type { MockHandler, MockReply, MockRequest } from "./mock-server.js";

export interface SchemaRandomModelOptions {
  /** Mixed into every answer's seed with the request's content. Default 0. */
  readonly seed?: number;
  /** Most items an array gets beyond its minItems (within its maxItems). Default 6. */
  readonly extraItems?: number;
}

/** Strings the generator draws from: empty, blank, quotes and escapes, non-Latin text, long text. */
const STRINGS = [
  "",
  " ",
  "a",
  "The answer is stated in the second paragraph.",
  'She said "no" \\ and left.',
  "行政区划 — Ελληνικά — עברית — 🙂",
  "line one\nline two\ttabbed",
  "supported",
  "a".repeat(300),
];

/** A small seeded generator (mulberry32): the same seed gives the same sequence. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Random choices that favour the edges a schema allows: bounds, empty lists, optional fields left out. */
function randomChoices(random: () => number, extraItems: number): Choices {
  const pick = <T>(options: readonly T[]): T => options[Math.floor(random() * options.length)]!;
  const inRange = (min: number, max: number) => {
    const low = Math.max(min, -1e6);
    const high = Math.min(max, 1e6);
    return pick([low, high, low + (high - low) * random()]);
  };
  return {
    length: (min, max) => min + Math.floor(random() * (Math.min(max, min + extraItems) - min + 1)),
    integer: (min, max) => Math.min(max, Math.max(min, Math.round(inRange(min, max)))),
    number: (min, max) => inRange(min, max),
    boolean: () => random() < 0.5,
    string: () => pick(STRINGS),
    option: (count) => Math.floor(random() * count),
    enumValue: (count) => Math.floor(random() * count),
    includeOptional: () => random() < 0.5,
  };
}

const SCHEMA_IN_TEXT = "JSON schema:\n";

/**
 * A mock model that answers every structured request with a random instance of the JSON schema
 * it was sent, as a server with strict structured output (OpenAI strict mode, vLLM guided
 * decoding, llama.cpp grammars) may: any value the schema allows, and nothing it does not. The
 * schema is read from the request as sent (OpenAI's json_schema after strict pruning, Anthropic's
 * tool, or the schema quoted in the text by profilekit's `text` mode). The answer is seeded by
 * the request's content, so the same request gets the same answer. Free-text requests get one
 * of a few fixed sentences.
 */
export function createSchemaRandomModel(options: SchemaRandomModelOptions = {}): MockHandler {
  const seed = options.seed ?? 0;
  const extraItems = options.extraItems ?? 6;
  return (request: MockRequest): MockReply => {
    const digest = createHash("sha256")
      .update(
        `${seed}\u0000${JSON.stringify(request.messages)}\u0000${JSON.stringify(request.responseSchema ?? null)}`,
      )
      .digest();
    const choices = randomChoices(generator(digest.readUInt32BE(0)), extraItems);
    const schema = request.responseSchema?.jsonSchema ?? quotedSchema(request);
    if (schema && typeof schema === "object") {
      const json = instanceOf(schema as JsonSchemaNode, choices);
      return request.responseSchema ? { json } : { text: JSON.stringify(json) };
    }
    return { text: ["A short answer.", "Another answer, in two parts.", ""][digest[4]! % 3]! };
  };
}

function quotedSchema(request: MockRequest): unknown {
  const withSchema = request.messages.find((message) => message.content.includes(SCHEMA_IN_TEXT))?.content;
  return withSchema
    ? extractFirstJsonObject(withSchema.slice(withSchema.indexOf(SCHEMA_IN_TEXT)))
    : undefined;
}
