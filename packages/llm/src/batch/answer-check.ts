import type { ModelResponse, ModelWireFormat } from "@profilekit/spec";
import { z } from "zod";
import { parseStructured } from "../structured-output.js";
import type { StoredItem } from "./journal.js";

/** Any JSON object: the check of a structured answer whose schema has no JSON Schema form. */
const AnyObject = z.record(z.string(), z.unknown());

/** zod schemas rebuilt from the journal's JSON Schemas, once per schema object. */
const rebuilt = new WeakMap<object, z.ZodType>();

function schemaOf(item: StoredItem): z.ZodType {
  if (!item.schema) return AnyObject;
  let schema = rebuilt.get(item.schema);
  if (!schema) {
    schema = z.fromJSONSchema(item.schema as z.core.JSONSchema.JSONSchema);
    rebuilt.set(item.schema, schema);
  }
  return schema;
}

/**
 * A batch answer, checked as a synchronous one is before it is cached: read by the model's own
 * response parser (`wire.parseResponse`), then, for a structured call, parsed as the synchronous
 * path parses it (the whole text, else its first JSON object; an answer cut off at the token limit
 * says so) and validated against the call's answer schema, rebuilt from the JSON Schema the
 * journal kept; a text call's answer must not be empty. A stage that reads the cached answer
 * checks it once more with its own zod schema, as it does every cached answer.
 */
export function checkBatchAnswer(
  wire: ModelWireFormat,
  body: unknown,
  item: StoredItem,
): { readonly ok: true; readonly response: ModelResponse } | { readonly ok: false; readonly error: string } {
  let response: ModelResponse;
  try {
    response = wire.parseResponse(body);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (item.checked === "text") {
    return response.text === "" ? { ok: false, error: "the answer is empty" } : { ok: true, response };
  }
  const parsed = parseStructured(response.text, schemaOf(item), response.finishReason);
  return parsed.ok ? { ok: true, response } : { ok: false, error: parsed.error };
}
