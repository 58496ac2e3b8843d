import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { MockPromptCache } from "./mock-prompt-cache.js";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  describeIssues,
  type MessagesRequest,
  MessagesRequestSchema,
} from "./mock-requests.js";
import {
  anthropicAnswer,
  anthropicRequest,
  apiError,
  type ContentReply,
  keyOf,
  type MockHandler,
  type MockReply,
  type MockRequest,
  openaiAnswer,
  openaiRequest,
  readBody,
  sendJson,
} from "./mock-server.js";

/** What becomes of one request of a batch. */
export type MockBatchOutcome = "answer" | "error" | "expire";

/** How the mock's batch APIs behave; every default is a well-behaved provider. */
export interface MockBatchOptions {
  /** Retrieves that see a batch still running before it ends (its requests are run then). Default 1. */
  readonly pollsToEnd?: number;
  /**
   * The fate of each request: answered by the handler (default), errored by the provider (a 500
   * for it), or expired (its batch's window ended first). `index`: its place in its batch, from 0;
   * `attempt`: how many batches before this one held the same custom_id, from 0.
   */
  readonly outcome?: (item: {
    readonly api: "openai" | "anthropic";
    readonly customId: string;
    readonly index: number;
    readonly attempt: number;
  }) => MockBatchOutcome;
  /** Results in input order; default false: in an order shuffled by a hash of the custom ids, as providers do. */
  readonly inOrder?: boolean;
  /**
   * The first results download sends `lines` lines, then hangs (to kill the collecting process part
   * way) or resets the connection (the download fails).
   */
  readonly interruptResults?: { readonly lines: number; readonly how: "hang" | "reset" };
}

export interface MockBatchStats {
  /** Files uploaded (OpenAI) and batches created (both APIs). */
  files: number;
  created: number;
  /** Batch retrieves, cancels and results downloads. */
  retrieves: number;
  cancels: number;
  downloads: number;
  /** Requests of ended batches, by what became of them. */
  answered: number;
  errored: number;
  expired: number;
  cancelled: number;
  /** Batches refused (400) or failed in validation. */
  refused: number;
}

/** One request of a batch, as the mock ran it. */
export interface MockBatchItem {
  readonly api: "openai" | "anthropic";
  readonly batchId: string;
  readonly customId: string;
  readonly outcome: MockBatchOutcome | "cancelled" | "invalid";
  /** The request as the handler saw it (absent when it never ran). */
  readonly request?: MockRequest;
}

const emptyStats = (): MockBatchStats => ({
  files: 0,
  created: 0,
  retrieves: 0,
  cancels: 0,
  downloads: 0,
  answered: 0,
  errored: 0,
  expired: 0,
  cancelled: 0,
  refused: 0,
});

/** OpenAI: 50,000 requests and 200 MB per batch file; Anthropic: 100,000 requests and 256 MB. */
const LIMITS = {
  openai: { requests: 50_000, bytes: 200 * 1024 * 1024 },
  anthropic: { requests: 100_000, bytes: 256 * 1024 * 1024 },
} as const;

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const CHAT_COMPLETIONS = "/v1/chat/completions";

const OpenAIBatchCreateSchema = z
  .object({
    input_file_id: z.string().min(1),
    endpoint: z.literal(CHAT_COMPLETIONS, { error: "the mock serves the /v1/chat/completions endpoint" }),
    completion_window: z.literal("24h", { error: "completion_window must be 24h" }),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((metadata) => Object.keys(metadata).length <= 16, "metadata holds at most 16 keys")
      .nullish(),
    output_expires_after: z.object({ anchor: z.literal("created_at"), seconds: z.number().int() }).optional(),
  })
  .strict();

const OpenAIInputLineSchema = z
  .object({
    custom_id: z.string().min(1),
    method: z.literal("POST"),
    url: z.string(),
    body: z.record(z.string(), z.unknown()),
  })
  .strict();

const AnthropicBatchCreateSchema = z
  .object({
    requests: z
      .array(
        z
          .object({
            custom_id: z.string().regex(CUSTOM_ID, "custom_id must match ^[a-zA-Z0-9_-]{1,64}$"),
            params: z.record(z.string(), z.unknown()),
          })
          .strict(),
      )
      .min(1, "requests must hold at least one request")
      .max(LIMITS.anthropic.requests, `a batch holds at most ${LIMITS.anthropic.requests} requests`),
  })
  .strict();

interface BatchRecord {
  readonly api: "openai" | "anthropic";
  readonly id: string;
  readonly createdAt: number;
  readonly apiKey: string | undefined;
  readonly metadata: Record<string, string> | null;
  readonly inputFileId: string | null;
  readonly lines: readonly { readonly customId: string; readonly body: Record<string, unknown> }[];
  polls: number;
  cancelling: boolean;
  /** Set when the batch ends: the result lines (output and error files for OpenAI), in the order served. */
  ended?: {
    readonly status: "completed" | "expired" | "cancelled";
    readonly at: number;
    readonly output: string[];
    readonly errors: string[];
    readonly counts: { answered: number; errored: number; expired: number; cancelled: number };
    readonly usage: { input: number; output: number; cached: number };
  };
  /** OpenAI: a file that did not validate fails the batch. */
  failed?: { readonly code: string; readonly line: number | null; readonly message: string }[];
}

/**
 * The batch APIs of the mock server, as strict as the real ones: OpenAI's files and batches
 * (`POST /v1/files` with purpose batch, `POST /v1/batches`, `GET /v1/batches/{id}`, `POST
 * /v1/batches/{id}/cancel`, `GET /v1/files/{id}/content`) and Anthropic's message batches (`POST
 * /v1/messages/batches`, `GET .../{id}`, `GET .../{id}/results`, `POST .../{id}/cancel`). An
 * OpenAI file whose lines are not batch lines, repeat a custom_id, mix models or exceed the limits
 * fails its batch in validation; a line whose body the chat completions API would refuse gets that
 * 400 in the error file. Anthropic refuses a malformed batch at once (400, 413 above 256 MB) and
 * checks each request's parameters only as the batch runs, returning the refused ones as errored.
 * A batch runs when it has been retrieved `pollsToEnd` times: every request goes to the server's
 * handler in input order (the prompt cache sees them as it sees synchronous ones) and is
 * answered with the usage the provider reports; the results come back shuffled.
 */
export class MockBatches {
  stats: MockBatchStats = emptyStats();
  items: MockBatchItem[] = [];
  readonly #options: MockBatchOptions;
  readonly #handler: MockHandler;
  readonly #cache: MockPromptCache | undefined;
  readonly #url: () => string;
  #files = new Map<string, { readonly text: string; readonly purpose: string; readonly bytes: number }>();
  #batches = new Map<string, BatchRecord>();
  #attempts = new Map<string, number>();
  #stalled = false;
  #next = 0;

  constructor(options: {
    readonly options: MockBatchOptions;
    readonly handler: MockHandler;
    readonly cache: MockPromptCache | undefined;
    readonly url: () => string;
  }) {
    this.#options = options.options;
    this.#handler = options.handler;
    this.#cache = options.cache;
    this.#url = options.url;
  }

  /** Whether a request is for a batch endpoint. */
  claims(req: IncomingMessage): boolean {
    const path = req.url?.split("?")[0] ?? "";
    return /^\/v1\/(files|batches)(\/|$)/.test(path) || /^\/v1\/messages\/batches(\/|$)/.test(path);
  }

  reset(): void {
    this.stats = emptyStats();
    this.items = [];
    this.#files = new Map();
    this.#batches = new Map();
    this.#attempts = new Map();
    this.#stalled = false;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = req.url?.split("?")[0] ?? "";
    const method = req.method ?? "GET";
    for (const [verb, pattern, serve] of this.#routes) {
      const match = pattern.exec(path);
      if (verb === method && match) {
        await serve(req, res, raw, match[1] ?? "");
        return;
      }
    }
    const api = path.startsWith("/v1/messages/") ? "anthropic" : "openai";
    sendJson(res, 404, apiError(api, "not_found_error", `mock server: no route for ${method} ${path}`));
  }

  /** Method, path and handler of every batch endpoint; a path's one group is the batch or file id. */
  readonly #routes: readonly (readonly [
    string,
    RegExp,
    (req: IncomingMessage, res: ServerResponse, raw: string, id: string) => void | Promise<void>,
  ])[] = [
    ["POST", /^\/v1\/files$/, (req, res, raw) => this.#upload(req, res, raw)],
    ["GET", /^\/v1\/files\/([^/]+)\/content$/, (_req, res, _raw, id) => this.#content(res, id)],
    ["POST", /^\/v1\/batches$/, (req, res, raw) => this.#createOpenAI(req, res, raw)],
    ["GET", /^\/v1\/batches\/([^/]+)$/, (_req, res, _raw, id) => this.#retrieve(res, "openai", id)],
    ["POST", /^\/v1\/batches\/([^/]+)\/cancel$/, (_req, res, _raw, id) => this.#cancel(res, "openai", id)],
    ["POST", /^\/v1\/messages\/batches$/, (req, res, raw) => this.#createAnthropic(req, res, raw)],
    [
      "GET",
      /^\/v1\/messages\/batches\/([^/]+)\/results$/,
      (_req, res, _raw, id) => this.#anthropicResults(res, id),
    ],
    [
      "GET",
      /^\/v1\/messages\/batches\/([^/]+)$/,
      (_req, res, _raw, id) => this.#retrieve(res, "anthropic", id),
    ],
    [
      "POST",
      /^\/v1\/messages\/batches\/([^/]+)\/cancel$/,
      (_req, res, _raw, id) => this.#cancel(res, "anthropic", id),
    ],
  ];

  #id(prefix: string): string {
    this.#next += 1;
    return `${prefix}${String(this.#next).padStart(6, "0")}`;
  }

  #refuse(res: ServerResponse, api: "openai" | "anthropic", status: number, message: string): void {
    this.stats.refused += 1;
    const type = status === 413 ? "request_too_large" : "invalid_request_error";
    sendJson(res, status, apiError(api, type, message));
  }

  #upload(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const parts = multipartFields(req.headers["content-type"], raw);
    if (!parts) {
      this.#refuse(res, "openai", 400, "The request must be multipart/form-data with a file.");
      return;
    }
    const purpose = parts.get("purpose");
    const file = parts.get("file");
    if (purpose === undefined || file === undefined) {
      this.#refuse(res, "openai", 400, "Missing required parameter: 'file' and 'purpose' are required.");
      return;
    }
    if (purpose !== "batch") {
      this.#refuse(res, "openai", 400, `The mock takes files with purpose "batch", not "${purpose}".`);
      return;
    }
    const bytes = Buffer.byteLength(file, "utf8");
    if (bytes > LIMITS.openai.bytes) {
      this.#refuse(res, "openai", 400, "The file is larger than 200 MB.");
      return;
    }
    const id = this.#id("file-mock");
    this.#files.set(id, { text: file, purpose, bytes });
    this.stats.files += 1;
    sendJson(res, 200, {
      id,
      object: "file",
      bytes,
      created_at: Math.floor(Date.now() / 1000),
      filename: "batch.jsonl",
      purpose,
      status: "processed",
      expires_at: null,
      status_details: null,
    });
  }

  #createOpenAI(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const parsed = OpenAIBatchCreateSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      this.#refuse(res, "openai", 400, describeIssues(parsed.error));
      return;
    }
    const file = this.#files.get(parsed.data.input_file_id);
    if (!file) {
      sendJson(
        res,
        404,
        apiError("openai", "not_found_error", `No such File object: ${parsed.data.input_file_id}`),
      );
      return;
    }
    const lines: { customId: string; body: Record<string, unknown> }[] = [];
    const failed: NonNullable<BatchRecord["failed"]> = [];
    const seen = new Set<string>();
    const models = new Set<string>();
    const texts = file.text.split("\n").filter((line) => line.trim() !== "");
    if (texts.length > LIMITS.openai.requests) {
      failed.push({
        code: "too_many_requests",
        line: null,
        message: `The file holds more than ${LIMITS.openai.requests} requests.`,
      });
    }
    texts.forEach((text, index) => {
      const line = index + 1;
      const entry = OpenAIInputLineSchema.safeParse(safeJson(text));
      if (!entry.success) {
        failed.push({
          code: "invalid_json_line",
          line,
          message: `This line is not a batch request: ${describeIssues(entry.error)}`,
        });
        return;
      }
      if (entry.data.url !== parsed.data.endpoint) {
        failed.push({
          code: "mismatched_endpoint",
          line,
          message: `The url ${entry.data.url} is not the batch's endpoint ${parsed.data.endpoint}.`,
        });
      }
      if (seen.has(entry.data.custom_id)) {
        failed.push({
          code: "duplicate_custom_id",
          line,
          message: `The custom_id ${entry.data.custom_id} is not unique.`,
        });
      }
      seen.add(entry.data.custom_id);
      models.add(String(entry.data.body.model));
      lines.push({ customId: entry.data.custom_id, body: entry.data.body });
    });
    if (models.size > 1) {
      failed.push({
        code: "mismatched_model",
        line: null,
        message: "All requests of a batch must use the same model.",
      });
    }
    if (failed.length > 0) this.stats.refused += 1;
    const record: BatchRecord = {
      api: "openai",
      id: this.#id("batch_mock"),
      createdAt: Date.now(),
      apiKey: keyOf(req),
      metadata: parsed.data.metadata ?? null,
      inputFileId: parsed.data.input_file_id,
      lines,
      polls: 0,
      cancelling: false,
      ...(failed.length > 0 ? { failed } : {}),
    };
    this.#batches.set(record.id, record);
    this.stats.created += 1;
    sendJson(res, 200, this.#openaiView(record));
  }

  #createAnthropic(req: IncomingMessage, res: ServerResponse, raw: string): void {
    if (Buffer.byteLength(raw, "utf8") > LIMITS.anthropic.bytes) {
      this.#refuse(res, "anthropic", 413, "The batch is larger than 256 MB.");
      return;
    }
    const parsed = AnthropicBatchCreateSchema.safeParse(safeJson(raw));
    if (!parsed.success) {
      this.#refuse(res, "anthropic", 400, describeIssues(parsed.error));
      return;
    }
    const ids = parsed.data.requests.map((request) => request.custom_id);
    const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
    if (repeated !== undefined) {
      this.#refuse(res, "anthropic", 400, `custom_id "${repeated}" is used twice in the batch.`);
      return;
    }
    const record: BatchRecord = {
      api: "anthropic",
      id: this.#id("msgbatch_mock"),
      createdAt: Date.now(),
      apiKey: keyOf(req),
      metadata: null,
      inputFileId: null,
      lines: parsed.data.requests.map((request) => ({ customId: request.custom_id, body: request.params })),
      polls: 0,
      cancelling: false,
    };
    this.#batches.set(record.id, record);
    this.stats.created += 1;
    sendJson(res, 200, this.#anthropicView(record));
  }

  #find(res: ServerResponse, api: "openai" | "anthropic", id: string): BatchRecord | undefined {
    const record = this.#batches.get(id);
    if (record?.api === api) return record;
    sendJson(res, 404, apiError(api, "not_found_error", `No batch ${id}.`));
    return undefined;
  }

  async #retrieve(res: ServerResponse, api: "openai" | "anthropic", id: string): Promise<void> {
    const record = this.#find(res, api, id);
    if (!record) return;
    this.stats.retrieves += 1;
    record.polls += 1;
    if (
      !record.ended &&
      !record.failed &&
      (record.cancelling || record.polls > (this.#options.pollsToEnd ?? 1))
    ) {
      await this.#run(record);
    }
    sendJson(res, 200, api === "openai" ? this.#openaiView(record) : this.#anthropicView(record));
  }

  async #cancel(res: ServerResponse, api: "openai" | "anthropic", id: string): Promise<void> {
    const record = this.#find(res, api, id);
    if (!record) return;
    this.stats.cancels += 1;
    if (!record.ended && !record.failed) record.cancelling = true;
    sendJson(res, 200, api === "openai" ? this.#openaiView(record) : this.#anthropicView(record));
  }

  /** Runs a batch: each request in input order, as the handler answers it; cancelled ones not at all. */
  async #run(record: BatchRecord): Promise<void> {
    const output: string[] = [];
    const errors: string[] = [];
    const counts = { answered: 0, errored: 0, expired: 0, cancelled: 0 };
    const usage = { input: 0, output: 0, cached: 0 };
    for (const [index, line] of record.lines.entries()) {
      const attempt = this.#attempts.get(line.customId) ?? 0;
      this.#attempts.set(line.customId, attempt + 1);
      const fate = record.cancelling
        ? "cancelled"
        : (this.#options.outcome?.({ api: record.api, customId: line.customId, index, attempt }) ?? "answer");
      const item = (outcome: MockBatchItem["outcome"], request?: MockRequest) =>
        this.items.push({
          api: record.api,
          batchId: record.id,
          customId: line.customId,
          outcome,
          ...(request ? { request } : {}),
        });
      if (fate === "cancelled" || fate === "expire") {
        counts[fate === "cancelled" ? "cancelled" : "expired"] += 1;
        item(fate === "cancelled" ? "cancelled" : "expire");
        if (record.api === "openai") {
          const code = fate === "cancelled" ? "batch_cancelled" : "batch_expired";
          errors.push(
            openaiErrorLine(line.customId, null, { code, message: `This request was not run: ${code}.` }),
          );
        } else {
          output.push(
            JSON.stringify({
              custom_id: line.customId,
              result: { type: fate === "cancelled" ? "canceled" : "expired" },
            }),
          );
        }
        continue;
      }
      const schema = record.api === "openai" ? ChatCompletionRequestSchema : MessagesRequestSchema;
      const parsed = schema.safeParse(line.body);
      if (!parsed.success) {
        counts.errored += 1;
        item("invalid");
        const message = describeIssues(parsed.error);
        if (record.api === "openai") {
          errors.push(
            openaiErrorLine(line.customId, { status: 400, type: "invalid_request_error", message }, null),
          );
        } else {
          output.push(anthropicErrorLine(line.customId, "invalid_request_error", message));
        }
        continue;
      }
      const request =
        record.api === "openai"
          ? openaiRequest(parsed.data as ChatCompletionRequest, line.body, record.apiKey, this.items.length)
          : anthropicRequest(parsed.data as MessagesRequest, line.body, record.apiKey, this.items.length);
      const reply: MockReply = fate === "error" ? { fault: "server-error" } : await this.#handler(request);
      if ("fault" in reply) {
        counts.errored += 1;
        item("error", request);
        const message = `The request failed (mock ${reply.fault}).`;
        if (record.api === "openai") {
          errors.push(openaiErrorLine(line.customId, { status: 500, type: "server_error", message }, null));
        } else {
          output.push(anthropicErrorLine(line.customId, "api_error", message));
        }
        continue;
      }
      counts.answered += 1;
      item("answer", request);
      if (record.api === "openai") {
        const body = openaiAnswer(request, reply as ContentReply, this.#cache) as {
          usage: {
            prompt_tokens: number;
            completion_tokens: number;
            prompt_tokens_details: { cached_tokens: number };
          };
        };
        usage.input += body.usage.prompt_tokens;
        usage.output += body.usage.completion_tokens;
        usage.cached += body.usage.prompt_tokens_details.cached_tokens;
        output.push(
          JSON.stringify({
            id: `batch_req_${createHash("sha256").update(line.customId).digest("hex").slice(0, 24)}`,
            custom_id: line.customId,
            response: { status_code: 200, request_id: `req_mock_${this.items.length}`, body },
            error: null,
          }),
        );
      } else {
        const message = anthropicAnswer(request, reply as ContentReply, this.#cache);
        output.push(JSON.stringify({ custom_id: line.customId, result: { type: "succeeded", message } }));
      }
    }
    this.stats.answered += counts.answered;
    this.stats.errored += counts.errored;
    this.stats.expired += counts.expired;
    this.stats.cancelled += counts.cancelled;
    const status = record.cancelling ? "cancelled" : counts.expired > 0 ? "expired" : "completed";
    record.ended = {
      status,
      at: Date.now(),
      output: this.#options.inOrder ? output : shuffled(output),
      errors: this.#options.inOrder ? errors : shuffled(errors),
      counts,
      usage,
    };
  }

  #openaiView(record: BatchRecord): Record<string, unknown> {
    const created = Math.floor(record.createdAt / 1000);
    const ended = record.ended;
    const status = record.failed
      ? "failed"
      : ended
        ? ended.status
        : record.cancelling
          ? "cancelling"
          : record.polls === 0
            ? "validating"
            : "in_progress";
    const total = record.lines.length;
    const outputId =
      ended && ended.output.length > 0 ? this.#resultFile(`${record.id}-output`, ended.output) : null;
    const errorId =
      ended && ended.errors.length > 0 ? this.#resultFile(`${record.id}-errors`, ended.errors) : null;
    return {
      id: record.id,
      object: "batch",
      endpoint: CHAT_COMPLETIONS,
      errors: record.failed
        ? { object: "list", data: record.failed.slice(0, 10).map((entry) => ({ ...entry, param: null })) }
        : null,
      input_file_id: record.inputFileId,
      completion_window: "24h",
      status,
      output_file_id: outputId,
      error_file_id: errorId,
      created_at: created,
      in_progress_at: record.polls > 0 ? created : null,
      expires_at: created + 24 * 3600,
      completed_at: ended?.status === "completed" ? Math.floor(ended.at / 1000) : null,
      expired_at: ended?.status === "expired" ? Math.floor(ended.at / 1000) : null,
      cancelled_at: ended?.status === "cancelled" ? Math.floor(ended.at / 1000) : null,
      failed_at: record.failed ? created : null,
      request_counts: {
        total: record.failed ? 0 : total,
        completed: ended?.counts.answered ?? 0,
        failed: ended ? ended.counts.errored + ended.counts.expired + ended.counts.cancelled : 0,
      },
      metadata: record.metadata,
      ...(ended
        ? {
            usage: {
              input_tokens: ended.usage.input,
              input_tokens_details: { cached_tokens: ended.usage.cached },
              output_tokens: ended.usage.output,
              output_tokens_details: { reasoning_tokens: 0 },
              total_tokens: ended.usage.input + ended.usage.output,
            },
          }
        : {}),
    };
  }

  #anthropicView(record: BatchRecord): Record<string, unknown> {
    const ended = record.ended;
    const created = new Date(record.createdAt);
    return {
      id: record.id,
      type: "message_batch",
      processing_status: ended ? "ended" : record.cancelling ? "canceling" : "in_progress",
      request_counts: {
        processing: ended ? 0 : record.lines.length,
        succeeded: ended?.counts.answered ?? 0,
        errored: ended?.counts.errored ?? 0,
        canceled: ended?.counts.cancelled ?? 0,
        expired: ended?.counts.expired ?? 0,
      },
      ended_at: ended ? new Date(ended.at).toISOString() : null,
      created_at: created.toISOString(),
      expires_at: new Date(record.createdAt + 24 * 3600 * 1000).toISOString(),
      archived_at: null,
      cancel_initiated_at: record.cancelling ? created.toISOString() : null,
      results_url: ended ? `${this.#url()}/v1/messages/batches/${record.id}/results` : null,
    };
  }

  /** An output or error file of an ended OpenAI batch, made once. */
  #resultFile(id: string, lines: readonly string[]): string {
    if (!this.#files.has(id)) {
      const text = lines.map((line) => `${line}\n`).join("");
      this.#files.set(id, { text, purpose: "batch_output", bytes: Buffer.byteLength(text, "utf8") });
    }
    return id;
  }

  #content(res: ServerResponse, id: string): void {
    const file = this.#files.get(id);
    if (!file) {
      sendJson(res, 404, apiError("openai", "not_found_error", `No such File object: ${id}`));
      return;
    }
    this.stats.downloads += 1;
    this.#stream(
      res,
      "application/jsonl",
      file.text.split("\n").filter((line) => line !== ""),
    );
  }

  #anthropicResults(res: ServerResponse, id: string): void {
    const record = this.#find(res, "anthropic", id);
    if (!record) return;
    if (!record.ended) {
      sendJson(res, 400, apiError("anthropic", "invalid_request_error", `Batch ${id} has not ended.`));
      return;
    }
    this.stats.downloads += 1;
    this.#stream(res, "application/binary", record.ended.output);
  }

  /** Sends result lines; the first download is cut short when `interruptResults` says so. */
  #stream(res: ServerResponse, type: string, lines: readonly string[]): void {
    const interrupt = this.#options.interruptResults;
    if (interrupt !== undefined && !this.#stalled) {
      this.#stalled = true;
      res.writeHead(200, { "content-type": type });
      res.write(
        lines
          .slice(0, interrupt.lines)
          .map((line) => `${line}\n`)
          .join(""),
      );
      // A hang never ends: the client is killed or gives up.
      if (interrupt.how === "reset") setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    res.writeHead(200, { "content-type": type });
    res.end(lines.map((line) => `${line}\n`).join(""));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function openaiErrorLine(
  customId: string,
  response: { status: number; type: string; message: string } | null,
  error: { code: string; message: string } | null,
): string {
  return JSON.stringify({
    id: `batch_req_${createHash("sha256").update(customId).digest("hex").slice(0, 24)}`,
    custom_id: customId,
    response: response
      ? {
          status_code: response.status,
          request_id: "req_mock_error",
          body: { error: { message: response.message, type: response.type, code: null, param: null } },
        }
      : null,
    error,
  });
}

function anthropicErrorLine(customId: string, type: string, message: string): string {
  return JSON.stringify({
    custom_id: customId,
    result: { type: "errored", error: { type: "error", error: { type, message } } },
  });
}

/** The lines in an order drawn from a hash of each: not the input order, the same every time. */
function shuffled(lines: readonly string[]): string[] {
  const rank = (line: string) => createHash("sha256").update(line).digest("hex");
  return [...lines].sort((a, b) => (rank(a) < rank(b) ? -1 : 1));
}

/** The fields of a multipart/form-data body, by name (their text). */
function multipartFields(contentType: string | undefined, raw: string): Map<string, string> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  if (!contentType?.startsWith("multipart/form-data") || !boundary) return undefined;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const fields = new Map<string, string>();
  for (const part of raw.split(marker).slice(1)) {
    if (part.startsWith("--")) break;
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const name = /name="([^"]+)"/i.exec(part.slice(0, split))?.[1];
    if (name !== undefined) fields.set(name, part.slice(split + 4).replace(/\r\n$/, ""));
  }
  return fields;
}
