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
 * Why a call ended without an answer, as a failure summary groups calls: the
 * failure kinds, with a refused connection told apart from other network
 * errors, and answers still invalid after their re-ask.
 */
export type FailureCause =
  | "connection-refused" // nothing listening at the base URL
  | "connection" // reset, DNS, other network errors
  | "timeout"
  | "auth"
  | "not-found"
  | "rate-limit"
  | "server"
  | "bad-request"
  | "malformed"
  | "invalid-answer" // still invalid after the one re-ask
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
  /** The cause, for failure summaries: the kind, or `connection-refused`. */
  readonly failureCause: FailureCause;
  /**
   * The cause in a few words, the same for every call that failed the same way
   * ("connection refused at http://127.0.0.1:8000/v1", "401 unauthorized (check
   * OPENAI_API_KEY)"), when the thrower knew it. Never holds a key.
   */
  readonly summary: string | undefined;

  constructor(
    message: string,
    options: {
      kind: FailureKind;
      status?: number;
      retryAfterMs?: number;
      hint?: string;
      /** Nothing was listening (ECONNREFUSED); `kind` is then `connection`. */
      refused?: boolean;
      summary?: string;
    },
  ) {
    const fatal = options.kind === "auth" || options.kind === "not-found";
    super(codeOf(options.kind), message, { hint: options.hint, exitCode: fatal ? 2 : 1 });
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.failureCause = options.refused ? "connection-refused" : causeOfKind(options.kind);
    this.summary = options.summary;
  }
}

function causeOfKind(kind: FailureKind): FailureCause {
  return kind === "aborted" ? "other" : kind;
}

function codeOf(kind: FailureKind): string {
  if (kind === "auth") return "model_auth_failed";
  if (kind === "not-found") return "model_not_found";
  return "model_call_failed";
}

/**
 * A call would have crossed the run's `maxCost`, counting what was spent and
 * what calls in flight have reserved: it was not started, nor will any other.
 * Finished calls are in the cache.
 */
export class BudgetExceededError extends ProfilekitError {
  override readonly name: string = "BudgetExceededError";
  /** Spent so far (USD), by the calls that had answered when this call was refused. */
  readonly costUsd: number;
  readonly maxCost: number;
  /** Reserved by calls in flight at the time. */
  readonly reservedUsd: number;
  /** The refused call's estimated cost. */
  readonly nextCallUsd: number;

  constructor(
    costUsd: number,
    maxCost: number,
    pending: { reservedUsd?: number; nextCallUsd?: number } = {},
  ) {
    const reservedUsd = pending.reservedUsd ?? 0;
    const nextCallUsd = pending.nextCallUsd ?? 0;
    const reserved = reservedUsd > 0 ? ` and $${usd(reservedUsd)} reserved by calls in flight` : "";
    super(
      "budget_exceeded",
      `The budget of $${usd(maxCost)} is reached: $${usd(costUsd)} spent${reserved}, and the next call (about $${usd(nextCallUsd)}) could cross it; no new model calls were started.`,
      {
        hint: "Raise the budget (--max-cost, or maxCost in the config) and run the same command again: every finished call is cached and costs nothing the second time.",
        exitCode: 3,
      },
    );
    this.costUsd = costUsd;
    this.maxCost = maxCost;
    this.reservedUsd = reservedUsd;
    this.nextCallUsd = nextCallUsd;
  }
}

/** Dollars with four decimals, or more significant digits when smaller. */
function usd(value: number): string {
  return value > 0 && value < 0.0001 ? value.toPrecision(2) : value.toFixed(4);
}

/** The on-disk cache could not be opened, read or written. */
export class CacheError extends ProfilekitError {
  override readonly name: string = "CacheError";
}
