import { setTimeout as delay } from "node:timers/promises";
import {
  type ModelCallRequest,
  type ModelRequest,
  type ModelResponse,
  ProfilekitError,
} from "@profilekit/spec";
import { type FailureKind, ModelCallError } from "./errors.js";
import { type FailureContext, failureSummary } from "./failures.js";
import { redactSecrets } from "./redact.js";
import { type BackoffOptions, classifyError, retryDelay } from "./retry.js";
import type { RequestScheduler } from "./scheduler.js";

/** One request to the model, with its signal and deadline: what a LanguageModel's generate takes. */
export type Attempt<Context> = (request: ModelRequest, context: Context) => Promise<ModelResponse>;

export interface RetryEvent {
  /** The attempt about to be made, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly kind: FailureKind;
  readonly status: number | undefined;
}

export interface RetryOptions<Context> {
  readonly scheduler: RequestScheduler;
  /** Per attempt. */
  readonly timeoutMs: number;
  /** Retries after a retryable failure; 0 means none. */
  readonly maxRetries: number;
  readonly backoff: BackoffOptions;
  /** Tokens reserved from the scheduler's tokens-per-minute budget before a request. */
  readonly estimateTokens: (request: ModelCallRequest) => number;
  /** Where requests go, for the summaries of errors that did not bring one (`provider:model`, base URL). */
  readonly target: { readonly modelName: string } & Omit<FailureContext, "status">;
  /** Told of each attempt as it starts (0 is the first). */
  readonly onAttempt?: (attempt: number, context: Context) => void;
  readonly onRetry?: (event: RetryEvent, context: Context) => void;
  readonly random?: () => number;
}

/**
 * The retry and scheduling layer: each attempt waits for a slot and the rate
 * budgets, runs under its own deadline, and on a retryable failure (429, 5xx,
 * timeout, connection, garbled body) waits the server's retry-after or a
 * jittered backoff and tries again, up to `maxRetries`. What it finally throws
 * is a ModelCallError with the retries counted in its message, a summary of
 * the cause, and no key; an error of profilekit's own (an exceeded budget, a
 * configuration error) and the caller's abort pass through at once.
 */
export function retrying<Context>(
  attempt: Attempt<Context>,
  options: RetryOptions<Context>,
): (request: ModelCallRequest, context: Context, signal?: AbortSignal) => Promise<ModelResponse> {
  const { scheduler, timeoutMs, maxRetries, backoff, target } = options;
  return async (request, context, signal) => {
    const tokens = options.estimateTokens(request);
    for (let retry = 0; ; retry += 1) {
      const lease = await scheduler.acquire(tokens, signal);
      options.onAttempt?.(retry, context);
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const response = await attempt(
          { ...request, signal: signal ? AbortSignal.any([signal, timeout]) : timeout, timeoutMs },
          context,
        );
        lease.release({ ok: true, tokens: response.usage.inputTokens + response.usage.outputTokens });
        return response;
      } catch (error) {
        if (signal?.aborted) {
          lease.release({});
          throw signal.reason;
        }
        if (error instanceof ProfilekitError && !(error instanceof ModelCallError)) {
          lease.release({});
          throw error;
        }
        // Our own deadline fired: whatever the SDK called it, it is a timeout.
        const thrown = timeout.aborted
          ? new ModelCallError(`${target.modelName} did not answer within ${timeoutMs} ms`, {
              kind: "timeout",
              summary: failureSummary("timeout", { ...target, timeoutMs }),
            })
          : error;
        const failure = classifyError(thrown);
        lease.release({ rateLimited: failure.kind === "rate-limit" });
        const wait =
          failure.retryable && retry < maxRetries
            ? retryDelay(failure, retry, backoff, options.random)
            : undefined;
        if (wait === undefined) throw finalError(thrown, retry, target);
        options.onRetry?.(
          {
            attempt: retry + 1,
            delayMs: wait,
            kind: failure.kind,
            status: thrown instanceof ModelCallError ? thrown.status : undefined,
          },
          context,
        );
        await delay(wait, undefined, signal ? { signal } : undefined);
      }
    }
  };
}

/** The error a call ends with: a ModelCallError with a summary, the retries named. */
function finalError(error: unknown, retries: number, target: Omit<FailureContext, "status">): ModelCallError {
  let base: ModelCallError;
  if (error instanceof ModelCallError) base = error;
  else {
    const { kind, refused } = classifyError(error);
    const status = (error as { status?: unknown } | null)?.status;
    base = new ModelCallError(redactSecrets(error instanceof Error ? error.message : String(error)), {
      kind,
      refused,
      ...(typeof status === "number" ? { status } : {}),
    });
  }
  const summary =
    base.summary ??
    failureSummary(base.failureCause, {
      ...target,
      ...(base.status === undefined ? {} : { status: base.status }),
    });
  if (retries === 0 && base.summary !== undefined) return base;
  return new ModelCallError(
    retries === 0
      ? base.message
      : `${base.message} (after ${retries} ${retries === 1 ? "retry" : "retries"})`,
    {
      kind: base.kind,
      status: base.status,
      hint: base.hint,
      refused: base.failureCause === "connection-refused",
      summary,
    },
  );
}
