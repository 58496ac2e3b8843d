import { type FailureKind, ModelCallError } from "../errors.js";
import { failureSummary } from "../failures.js";
import { redactSecrets } from "../redact.js";
import { type HeaderReader, isConnectionRefused, kindOfStatus, retryAfterMs } from "../retry.js";

type ErrorClass = abstract new (...args: any[]) => Error;

/** The error classes an official SDK exports (OpenAI's and Anthropic's share the names). */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/** Where the request went and how it was authorised, for messages and summaries. */
export interface SdkErrorContext {
  readonly provider: string;
  readonly classes: SdkErrorClasses;
  readonly secrets: readonly string[];
  readonly keyEnvVar: string;
  /** The base URL requests went to (the SDK's default when none was given). */
  readonly endpoint: string;
  readonly modelId: string;
}

/**
 * Turns whatever an SDK threw into a ModelCallError: classified for retrying,
 * retry-after read from the response headers, the message scrubbed of the
 * key, and a summary of the cause (a refused connection names the base URL, a
 * 401 the key's env var). The SDK error is not kept as `cause`, since its body
 * may echo the key.
 */
export function fromSdkError(error: unknown, context: SdkErrorContext): ModelCallError {
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
  const refused = kind === "connection" && isConnectionRefused(error);
  const detail = error instanceof Error ? error.message : String(error);
  const message = redactSecrets(
    `${context.provider} request failed: ${detail}${refused ? ` (connection refused at ${context.endpoint})` : ""}`,
    context.secrets,
  );
  const cause = refused ? "connection-refused" : kind === "aborted" ? "other" : kind;
  return new ModelCallError(message, {
    kind,
    status,
    retryAfterMs: after,
    refused,
    summary: redactSecrets(failureSummary(cause, { ...context, status }), context.secrets),
    hint: hintFor(kind, context.keyEnvVar),
  });
}

function hintFor(kind: FailureKind, keyEnvVar: string): string | undefined {
  if (kind === "auth") return `Check the API key (${keyEnvVar}) and that it may use this model.`;
  if (kind === "not-found") return "Check the model id and the base URL.";
  if (kind === "malformed")
    return "The server's answer was not valid JSON; check the base URL points at the API.";
  if (kind === "connection") return "Check that the server is running and that the base URL is right.";
  return undefined;
}
