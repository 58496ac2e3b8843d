import { ProfilekitError } from "@profilekit/spec";

/**
 * A model was configured wrongly: unknown provider, missing key or base URL,
 * a structured-output mode the provider cannot do, a schema a provider cannot
 * take. Raised before any request is made.
 */
export class ModelConfigurationError extends ProfilekitError {
  override readonly name: string = "ModelConfigurationError";
}

/** Why a request failed, as far as retrying is concerned. */
export type FailureKind =
  | "rate-limit" // 429
  | "server" // 5xx
  | "timeout"
  | "connection" // reset, refused, DNS
  | "malformed" // a 2xx whose body was not the JSON it should be
  | "auth" // 401, 403
  | "not-found" // 404: wrong model or path
  | "bad-request" // other 4xx
  | "aborted" // the caller's signal
  | "other";

/**
 * One request to a model failed. The message never holds an API key: the
 * providers scrub it before this error exists, and the SDK error is not kept
 * as `cause` (its body may echo the key).
 */
export class ModelCallError extends ProfilekitError {
  override readonly name: string = "ModelCallError";
  readonly kind: FailureKind;
  readonly status: number | undefined;
  /** From retry-after-ms / retry-after, when the server said how long to wait. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { kind: FailureKind; status?: number; retryAfterMs?: number; hint?: string },
  ) {
    const fatal = options.kind === "auth" || options.kind === "not-found";
    super(codeOf(options.kind), message, { hint: options.hint, exitCode: fatal ? 2 : 1 });
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

function codeOf(kind: FailureKind): string {
  if (kind === "auth") return "model_auth_failed";
  if (kind === "not-found") return "model_not_found";
  return "model_call_failed";
}

/** The run spent its `maxCost`: no new request starts. Finished calls are in the cache. */
export class BudgetExceededError extends ProfilekitError {
  override readonly name: string = "BudgetExceededError";
  readonly costUsd: number;
  readonly maxCost: number;

  constructor(costUsd: number, maxCost: number) {
    super(
      "budget_exceeded",
      `The estimated cost so far, $${costUsd.toFixed(4)}, exceeds the budget of $${maxCost.toFixed(4)}; no new model calls were started.`,
      {
        hint: "Raise the budget (maxCost / --max-cost) and run again: every finished call is cached and will not be paid for twice.",
        exitCode: 3,
      },
    );
    this.costUsd = costUsd;
    this.maxCost = maxCost;
  }
}

/** The on-disk cache could not be opened, read or written. */
export class CacheError extends ProfilekitError {
  override readonly name: string = "CacheError";
}
