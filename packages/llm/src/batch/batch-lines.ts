import type { BatchRequest, BatchResult } from "@profilekit/spec";
import { z } from "zod";

/**
 * One line of an OpenAI batch input file, the format OpenAI's Batch API and vLLM's `run-batch`
 * read: `{custom_id, method: "POST", url, body}`, the body being the synchronous request's.
 */
export function batchInputLine(request: BatchRequest): string {
  return JSON.stringify({
    custom_id: request.customId,
    method: "POST",
    url: request.request.endpoint,
    body: request.request.body,
  });
}

const ErrorSchema = z.looseObject({ code: z.string().nullish(), message: z.string().nullish() });

/**
 * One line of an OpenAI batch output or error file. The response is `{status_code, request_id,
 * body}` (OpenAI, and vLLM's newer run-batch), or the chat completion itself (older vLLM
 * run-batch); an error file's line has `error` and no response.
 */
export const BatchOutputLineSchema = z.looseObject({
  custom_id: z.string().min(1),
  response: z
    .looseObject({ status_code: z.number().int().optional(), body: z.unknown().optional() })
    .nullish(),
  /** An object with code and message (OpenAI), or any value, e.g. a string (vLLM). */
  error: z.union([ErrorSchema, z.string()]).nullish(),
});
export type BatchOutputLine = z.infer<typeof BatchOutputLineSchema>;

/** OpenAI's error codes for requests a batch did not run: its window ended, or it was cancelled. */
const EXPIRED = "batch_expired";
const CANCELLED = "batch_cancelled";

/** A batch output line as a result: the response body of a 200, else why there is none. */
export function resultOfOutputLine(line: BatchOutputLine): BatchResult {
  const customId = line.custom_id;
  if (typeof line.error === "string") return { customId, type: "errored", error: line.error };
  if (line.error) {
    if (line.error.code === EXPIRED) return { customId, type: "expired" };
    if (line.error.code === CANCELLED) return { customId, type: "cancelled" };
    return { customId, type: "errored", error: describeError(line.error) };
  }
  const response = line.response;
  if (!response) return { customId, type: "errored", error: "the line has neither a response nor an error" };
  if (response.status_code === undefined) {
    // Older vLLM: the chat completion itself.
    const { status_code: _none, body: _body, ...completion } = response;
    return { customId, type: "succeeded", body: completion };
  }
  if (response.status_code !== 200) {
    const nested = (response.body as { error?: unknown } | undefined)?.error;
    const parsed = ErrorSchema.safeParse(nested);
    const detail = parsed.success ? describeError(parsed.data) : "no error message";
    return { customId, type: "errored", error: `status ${response.status_code}: ${detail}` };
  }
  return { customId, type: "succeeded", body: response.body };
}

function describeError(error: z.infer<typeof ErrorSchema>): string {
  const message = error.message ?? "no message";
  return error.code ? `${error.code}: ${message}` : message;
}
