import { type FailureKind, ModelCallError } from "../errors.js";
import { redactSecrets } from "../redact.js";
import { type HeaderReader, kindOfStatus, retryAfterMs } from "../retry.js";

type ErrorClass = abstract new (...args: any[]) => Error;

/** The error classes an official SDK exports (OpenAI's and Anthropic's share the names). */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/**
 * Turns whatever an SDK threw into a ModelCallError: classified for retrying,
 * retry-after read from the response headers, the message scrubbed of the
 * key. The SDK error is not kept as `cause`, since its body may echo the key.
 */
export function fromSdkError(
  error: unknown,
  context: { provider: string; classes: SdkErrorClasses; secrets: readonly string[]; keyEnvVar: string },
): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const { classes } = context;
  let kind: FailureKind = "other";
  let status: number | undefined;
  let after: number | undefined;
  if (error instanceof classes.APIUserAbortError) kind = "aborted";
  else if (error instanceof classes.APIConnectionTimeoutError) kind = "timeout";
  else if (error instanceof classes.APIConnectionError) kind = "connection";
  else if (error instanceof classes.APIError) {
    const fields = error as Error & { status?: number; headers?: HeaderReader };
    status = fields.status;
    kind = status === undefined ? "other" : kindOfStatus(status);
    after = retryAfterMs(fields.headers);
  } else if (error instanceof SyntaxError) kind = "malformed";
  const detail = error instanceof Error ? error.message : String(error);
  const message = redactSecrets(`${context.provider} request failed: ${detail}`, context.secrets);
  return new ModelCallError(message, {
    kind,
    status,
    retryAfterMs: after,
    hint: hintFor(kind, context.keyEnvVar),
  });
}

function hintFor(kind: FailureKind, keyEnvVar: string): string | undefined {
  if (kind === "auth") return `Check the API key (${keyEnvVar}) and that it may use this model.`;
  if (kind === "not-found") return "Check the model id and the base URL.";
  if (kind === "malformed")
    return "The server's answer was not valid JSON; check the base URL points at the API.";
  return undefined;
}
