import { z } from "zod";
import type { FailureCause } from "./errors.js";
import { redactSecrets } from "./redact.js";

export const FailureCauseSchema = z.enum([
  "connection-refused",
  "connection",
  "timeout",
  "auth",
  "not-found",
  "rate-limit",
  "server",
  "bad-request",
  "malformed",
  "invalid-answer",
  "other",
]) satisfies z.ZodType<FailureCause>;

/** Failed calls of one model and stage that failed the same way. */
export const FailureGroupSchema = z.object({
  model: z.string(),
  stage: z.string(),
  cause: FailureCauseSchema,
  /** Calls that ended without an answer this way. */
  count: z.number().int().positive(),
  /** The cause in a few words: "connection refused at http://127.0.0.1:8000/v1". */
  summary: z.string(),
  /** Up to three distinct error messages, as the calls ended (keys scrubbed). */
  examples: z.array(z.string()).max(3),
});
export type FailureGroup = z.infer<typeof FailureGroupSchema>;

/** At most this many example messages are kept per group, each cut to MAX_EXAMPLE_CHARS. */
const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_CHARS = 300;

/** What is known about where a call went, to say what failed in a summary. */
export interface FailureContext {
  /** The base URL, or a phrase for the provider's default endpoint. */
  readonly endpoint: string;
  readonly modelId?: string;
  readonly status?: number;
  /** The env var(s) the key came from, e.g. "OPENAI_API_KEY". */
  readonly keyEnvVar?: string;
  readonly timeoutMs?: number;
}

/** The cause in a few words, the same for every call that failed this way. */
export function failureSummary(cause: FailureCause, context: FailureContext): string {
  const { endpoint, status } = context;
  switch (cause) {
    case "connection-refused":
      return `connection refused at ${endpoint}`;
    case "connection":
      return `connection failed at ${endpoint} (reset, DNS or network error)`;
    case "timeout":
      return context.timeoutMs === undefined
        ? `timeouts at ${endpoint}`
        : `timeouts (no answer within ${context.timeoutMs} ms) at ${endpoint}`;
    case "auth": {
      const what = status === 403 ? "403 forbidden" : `${status ?? 401} unauthorized`;
      return `${what} (check ${context.keyEnvVar ?? "the API key"})`;
    }
    case "not-found":
      return `model not found${context.modelId ? ` ("${context.modelId}")` : ""} at ${endpoint} (check the model id and the base URL)`;
    case "rate-limit":
      return `rate limited (429) at ${endpoint}, still after the retries`;
    case "server":
      return `server errors (5xx) at ${endpoint}`;
    case "bad-request":
      return `${status ?? 400} bad request: the server refused the request`;
    case "malformed":
      return `garbled answers (not the API's JSON) from ${endpoint}`;
    case "invalid-answer":
      return "invalid answers (not valid for the schema, still after one re-ask)";
    case "other":
      return `other errors at ${endpoint}`;
  }
}

/** Failed calls grouped by model, stage and cause, with a few example messages. */
export class FailureLog {
  readonly #groups = new Map<string, { group: Omit<FailureGroup, "examples">; examples: string[] }>();

  record(
    model: string,
    stage: string,
    failure: { cause: FailureCause; summary: string; message: string },
  ): void {
    const id = JSON.stringify([model, stage, failure.cause]);
    let entry = this.#groups.get(id);
    if (!entry) {
      entry = {
        group: { model, stage, cause: failure.cause, count: 0, summary: redactSecrets(failure.summary) },
        examples: [],
      };
      this.#groups.set(id, entry);
    }
    entry.group.count += 1;
    const example = redactSecrets(failure.message).slice(0, MAX_EXAMPLE_CHARS);
    if (entry.examples.length < MAX_EXAMPLES && !entry.examples.includes(example))
      entry.examples.push(example);
  }

  /** Groups by model, stage, then the most frequent cause first. */
  report(): FailureGroup[] {
    return [...this.#groups.values()]
      .map(({ group, examples }) => ({ ...group, examples: [...examples] }))
      .sort(
        (x, y) =>
          compare(x.model, y.model) ||
          compare(x.stage, y.stage) ||
          y.count - x.count ||
          compare(x.cause, y.cause),
      );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A failure summary for people: the failed calls in all, then one line per
 * cause (summed over stages) with its count, the models and one example, the
 * most frequent first. Empty when nothing failed.
 *
 *   2,640 model calls failed:
 *     2,640  connection refused at http://127.0.0.1:8000/v1 (openai-compatible:m; e.g. "openai-compatible request failed: Connection error.")
 */
export function describeFailures(groups: readonly FailureGroup[]): string {
  if (groups.length === 0) return "";
  const bySummary = new Map<string, { count: number; models: Set<string>; example: string | undefined }>();
  for (const group of groups) {
    const entry = bySummary.get(group.summary) ?? { count: 0, models: new Set(), example: group.examples[0] };
    entry.count += group.count;
    entry.models.add(group.model);
    bySummary.set(group.summary, entry);
  }
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  const count = (n: number) => n.toLocaleString("en-US");
  const lines = [...bySummary.entries()]
    .sort(([, x], [, y]) => y.count - x.count)
    .map(
      ([summary, entry]) =>
        `  ${count(entry.count)}  ${summary} (${[...entry.models].sort().join(", ")}${entry.example ? `; e.g. ${JSON.stringify(entry.example)}` : ""})`,
    );
  return [`${count(total)} model ${total === 1 ? "call" : "calls"} failed:`, ...lines].join("\n");
}
