import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { ChatMessage, TokenUsage } from "@profilekit/spec";
import {
  type MockBatchOptions,
  MockBatches,
  type MockBatchItem,
  type MockBatchStats,
} from "./mock-batches.js";
import { MockPromptCache, type PromptCacheOptions, tokensOf } from "./mock-prompt-cache.js";
import {
  type ChatCompletionRequest,
  ChatCompletionRequestSchema,
  describeIssues,
  type MessagesRequest,
  MessagesRequestSchema,
} from "./mock-requests.js";

/** One request as the mock server saw it, in a shape common to both APIs. */
export interface MockRequest {
  readonly api: "openai" | "anthropic";
  /** Arrival order, from 0. */
  readonly index: number;
  readonly model: string;
  /** Anthropic's `system` parameter comes first, as a system message. */
  readonly messages: readonly ChatMessage[];
  /** OpenAI's response_format json_schema, or Anthropic's forced tool. */
  readonly responseSchema:
    | { readonly name: string; readonly jsonSchema: unknown; readonly strict?: boolean }
    | undefined;
  readonly temperature: number | undefined;
  readonly seed: number | undefined;
  readonly maxOutputTokens: number | undefined;
  /** The key the SDK sent (Authorization bearer or x-api-key). */
  readonly apiKey: string | undefined;
  readonly body: Readonly<Record<string, unknown>>;
  /**
   * The prompt as the provider caches it: the schema or tools, the system prompt, then the
   * messages. Its length / 4 is the input tokens the server reports.
   */
  readonly prompt: string;
  /** Anthropic: where each prefix marked with cache_control ends, as offsets into `prompt`. */
  readonly cacheBreakpoints: readonly number[];
}

/** A request the server refused as the real API would: 400 invalid_request_error. */
export interface MockRejection {
  readonly api: "openai" | "anthropic";
  readonly index: number;
  readonly message: string;
  readonly body: unknown;
}

/** A scripted answer: content, or a fault. `latencyMs` overrides the server's latency. */
export type MockReply =
  | { readonly json: unknown; readonly usage?: Partial<TokenUsage>; readonly latencyMs?: number }
  | {
      readonly text: string;
      readonly usage?: Partial<TokenUsage>;
      readonly finishReason?: string;
      readonly latencyMs?: number;
    }
  | {
      readonly fault: "rate-limit";
      /** Sent as `retry-after: <seconds>`. */
      readonly retryAfterSeconds?: number;
      /** Sent as `retry-after-ms`. */
      readonly retryAfterMs?: number;
      /** Sent as `retry-after: <HTTP date>`. */
      readonly retryAfterDate?: Date;
      readonly latencyMs?: number;
    }
  | { readonly fault: "server-error"; readonly status?: number; readonly latencyMs?: number }
  /** 401 whose message echoes the key it was given, as careless servers do. */
  | { readonly fault: "unauthorized"; readonly latencyMs?: number }
  /** 404, as for an unknown model. */
  | { readonly fault: "not-found"; readonly latencyMs?: number }
  /** Never answers; the connection stays open until the client gives up. */
  | { readonly fault: "hang" }
  /** 200 with a body that is not JSON. */
  | { readonly fault: "malformed"; readonly latencyMs?: number }
  /** Destroys the socket without a response. */
  | { readonly fault: "reset"; readonly latencyMs?: number };

export type MockFault = Extract<MockReply, { fault: string }>["fault"];

export type MockHandler = (request: MockRequest) => MockReply | Promise<MockReply>;

export interface MockServerOptions {
  readonly handler: MockHandler;
  /** Delay before every reply, unless the reply sets its own. Default 0. */
  readonly latencyMs?: number;
  /** The providers' prompt caches as simulated (see MockPromptCache); `false`: no cached tokens. */
  readonly promptCache?: PromptCacheOptions | false;
  /** How the batch APIs behave (see MockBatches): when batches end, which requests error or expire. */
  readonly batches?: MockBatchOptions;
}

export interface MockServerStats {
  /** Requests received at the synchronous endpoints (chat completions, messages); batch endpoints are counted in `batches`. */
  requests: number;
  /** Requests refused as invalid (400), before the handler saw them. */
  rejected: number;
  /** Successful answers sent (json or text replies). */
  answered: number;
  faults: Record<MockFault, number>;
  inFlight: number;
  maxInFlight: number;
}

export interface MockServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** For OpenAI-style clients: `${url}/v1`. */
  readonly openaiBaseURL: string;
  /** For the Anthropic SDK (which adds /v1 itself): `url`. */
  readonly anthropicBaseURL: string;
  readonly stats: Readonly<MockServerStats>;
  /** Every valid request received, in arrival order. */
  readonly log: readonly MockRequest[];
  /** Every request refused as invalid, in arrival order. */
  readonly rejections: readonly MockRejection[];
  /** The batch APIs: their counts, and every request of every batch that ended, with its fate. */
  readonly batches: { readonly stats: Readonly<MockBatchStats>; readonly items: readonly MockBatchItem[] };
  /** Zeroes the counts and the logs, forgets the prompt caches and the batches. */
  reset(): void;
  close(): Promise<void>;
}

function emptyStats(): MockServerStats {
  return {
    requests: 0,
    rejected: 0,
    answered: 0,
    faults: {
      "rate-limit": 0,
      "server-error": 0,
      unauthorized: 0,
      "not-found": 0,
      hang: 0,
      malformed: 0,
      reset: 0,
    },
    inFlight: 0,
    maxInFlight: 0,
  };
}

/**
 * An HTTP server on 127.0.0.1 (random port) that speaks enough of OpenAI's
 * chat completions (`POST /v1/chat/completions`) and Anthropic's messages
 * (`POST /v1/messages`) for the official SDKs, and both providers' batch APIs
 * (mock-batches.ts: OpenAI files and batches, Anthropic message batches), with answers and faults
 * scripted by `handler`. It is as strict as the real APIs about what it
 * accepts (mock-requests.ts): a body they would refuse gets their 400 and
 * never reaches the handler. Usage is reported as the providers report it,
 * prompt-cache reads and writes included (mock-prompt-cache.ts). It counts
 * requests, refusals, answers, faults, and the most requests it ever had in
 * flight.
 */
export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  let stats = emptyStats();
  let log: MockRequest[] = [];
  let rejections: MockRejection[] = [];
  let arrivals = 0;
  const cache = options.promptCache === false ? undefined : new MockPromptCache(options.promptCache);
  let url = "";
  const batches = new MockBatches({
    options: options.batches ?? {},
    handler: options.handler,
    cache,
    url: () => url,
  });
  const server = createServer((req, res) => {
    if (batches.claims(req)) {
      batches.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: { message: `mock server: ${String(error)}` } });
      });
      return;
    }
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      stats.inFlight -= 1;
    };
    res.on("close", finish);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock server: ${String(error)}` } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const api =
      req.method === "POST" && req.url?.startsWith("/v1/chat/completions")
        ? "openai"
        : req.method === "POST" && req.url?.startsWith("/v1/messages")
          ? "anthropic"
          : undefined;
    if (!api) {
      sendJson(res, 404, { error: { message: `mock server: no route for ${req.method} ${req.url}` } });
      return;
    }
    const index = arrivals++;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const parsed = (api === "openai" ? ChatCompletionRequestSchema : MessagesRequestSchema).safeParse(json);
    if (!parsed.success) {
      const message =
        json === undefined ? "The request body is not valid JSON." : describeIssues(parsed.error);
      stats.rejected += 1;
      rejections.push({ api, index, message, body: json });
      sendJson(res, 400, apiError(api, "invalid_request_error", message));
      return;
    }
    const body = json as Record<string, unknown>;
    const request =
      api === "openai"
        ? openaiRequest(parsed.data as ChatCompletionRequest, body, keyOf(req), index)
        : anthropicRequest(parsed.data as MessagesRequest, body, keyOf(req), index);
    log.push(request);
    const reply = await options.handler(request);
    if ("fault" in reply) stats.faults[reply.fault] += 1;
    if ("fault" in reply && reply.fault === "hang") return;
    const latency = reply.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) await delay(latency);
    if (res.destroyed) return;
    if (!("fault" in reply)) {
      stats.answered += 1;
      sendJson(
        res,
        200,
        api === "openai" ? openaiAnswer(request, reply, cache) : anthropicAnswer(request, reply, cache),
      );
      return;
    }
    switch (reply.fault) {
      case "rate-limit": {
        const headers: Record<string, string> = {};
        if (reply.retryAfterSeconds !== undefined) headers["retry-after"] = String(reply.retryAfterSeconds);
        if (reply.retryAfterMs !== undefined) headers["retry-after-ms"] = String(reply.retryAfterMs);
        if (reply.retryAfterDate !== undefined) headers["retry-after"] = reply.retryAfterDate.toUTCString();
        sendJson(res, 429, apiError(api, "rate_limit_error", "Rate limit reached (mock)."), headers);
        return;
      }
      case "server-error":
        sendJson(res, reply.status ?? 500, apiError(api, "api_error", "Internal server error (mock)."));
        return;
      case "unauthorized":
        sendJson(
          res,
          401,
          apiError(api, "authentication_error", `Incorrect API key provided: ${request.apiKey ?? "(none)"}.`),
        );
        return;
      case "not-found":
        sendJson(
          res,
          404,
          apiError(api, "not_found_error", `The model ${request.model} does not exist (mock).`),
        );
        return;
      case "malformed":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id": "broken", "choices": [{"message": ');
        return;
      case "reset":
        req.socket.destroy();
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    get stats() {
      return stats;
    },
    get log() {
      return log;
    },
    get rejections() {
      return rejections;
    },
    batches: {
      get stats() {
        return batches.stats;
      },
      get items() {
        return batches.items;
      },
    },
    reset() {
      batches.reset();
      stats = { ...emptyStats(), inFlight: stats.inFlight };
      log = [];
      rejections = [];
      arrivals = 0;
      cache?.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export function apiError(api: "openai" | "anthropic", type: string, message: string): unknown {
  return api === "openai"
    ? { error: { message, type, code: type } }
    : { type: "error", error: { type, message } };
}

function contentOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
  }
  return "";
}

export function keyOf(req: IncomingMessage): string | undefined {
  const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, "");
  const key = req.headers["x-api-key"];
  return bearer ?? (typeof key === "string" ? key : undefined);
}

export function openaiRequest(
  parsed: ChatCompletionRequest,
  body: Record<string, unknown>,
  apiKey: string | undefined,
  index: number,
): MockRequest {
  const format =
    parsed.response_format?.type === "json_schema" ? parsed.response_format.json_schema : undefined;
  const messages = parsed.messages.map((message) => ({
    role: message.role === "developer" ? ("system" as const) : message.role,
    content: contentOf(message.content),
  }));
  const prompt =
    (format?.schema ? JSON.stringify(format.schema) : "") +
    messages.map((message) => message.content).join("");
  return {
    api: "openai",
    index,
    model: parsed.model,
    messages,
    responseSchema: format
      ? {
          name: format.name,
          jsonSchema: format.schema,
          ...(format.strict === undefined || format.strict === null ? {} : { strict: format.strict }),
        }
      : undefined,
    temperature: parsed.temperature,
    seed: parsed.seed,
    maxOutputTokens: parsed.max_completion_tokens ?? parsed.max_tokens,
    apiKey,
    body,
    prompt,
    cacheBreakpoints: [],
  };
}

export function anthropicRequest(
  parsed: MessagesRequest,
  body: Record<string, unknown>,
  apiKey: string | undefined,
  index: number,
): MockRequest {
  // The prompt in the order Anthropic caches it: tools, system, messages.
  let prompt = "";
  const breakpoints: number[] = [];
  const append = (text: string, marked: boolean) => {
    prompt += text;
    if (marked) breakpoints.push(prompt.length);
  };
  for (const tool of parsed.tools ?? []) {
    append(
      JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.input_schema }),
      Boolean(tool.cache_control),
    );
  }
  const systemBlocks = typeof parsed.system === "string" ? [{ text: parsed.system }] : (parsed.system ?? []);
  for (const block of systemBlocks)
    append(block.text, "cache_control" in block && Boolean(block.cache_control));
  const system = systemBlocks.map((block) => block.text).join("");
  for (const message of parsed.messages) {
    if (typeof message.content === "string") append(message.content, false);
    else for (const block of message.content) append(block.text, Boolean(block.cache_control));
  }
  const messages: ChatMessage[] = [
    ...(system === "" ? [] : [{ role: "system" as const, content: system }]),
    ...parsed.messages.map((message) => ({ role: message.role, content: contentOf(message.content) })),
  ];
  const choice = parsed.tool_choice;
  const tool =
    choice?.type === "tool" ? parsed.tools?.find((entry) => entry.name === choice.name) : undefined;
  return {
    api: "anthropic",
    index,
    model: parsed.model,
    messages,
    responseSchema: tool ? { name: tool.name, jsonSchema: tool.input_schema } : undefined,
    temperature: parsed.temperature,
    seed: undefined,
    maxOutputTokens: parsed.max_tokens,
    apiKey,
    body,
    prompt,
    cacheBreakpoints: breakpoints,
  };
}

export type ContentReply = Exclude<MockReply, { fault: string }>;

/** Input and output tokens, prompt-cache reads and writes: the reply's own figures, else simulated. */
function usageOf(
  request: MockRequest,
  reply: ContentReply,
  answer: string,
  cache: MockPromptCache | undefined,
): Required<TokenUsage> {
  const inputTokens = reply.usage?.inputTokens ?? tokensOf(request.prompt.length);
  const outputTokens = reply.usage?.outputTokens ?? tokensOf(answer.length);
  let cached = { read: 0, written: 0 };
  if (cache && request.api === "openai")
    cached = { read: cache.openai(request.model, request.prompt), written: 0 };
  if (cache && request.api === "anthropic") {
    cached = cache.anthropic(request.model, request.prompt, request.cacheBreakpoints);
  }
  const read = Math.min(inputTokens, reply.usage?.cachedInputTokens ?? cached.read);
  const written = Math.min(inputTokens - read, reply.usage?.cacheWriteInputTokens ?? cached.written);
  return { inputTokens, outputTokens, cachedInputTokens: read, cacheWriteInputTokens: written };
}

export function openaiAnswer(
  request: MockRequest,
  reply: ContentReply,
  cache: MockPromptCache | undefined,
): unknown {
  const content = "json" in reply ? JSON.stringify(reply.json) : reply.text;
  const usage = usageOf(request, reply, content, cache);
  return {
    id: `chatcmpl-mock-${request.index}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        finish_reason: "finishReason" in reply && reply.finishReason ? reply.finishReason : "stop",
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: usage.inputTokens,
      completion_tokens: usage.outputTokens,
      total_tokens: usage.inputTokens + usage.outputTokens,
      prompt_tokens_details: { cached_tokens: usage.cachedInputTokens, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
  };
}

export function anthropicAnswer(
  request: MockRequest,
  reply: ContentReply,
  cache: MockPromptCache | undefined,
): unknown {
  const asTool = "json" in reply && request.responseSchema !== undefined;
  const text = "json" in reply ? JSON.stringify(reply.json) : reply.text;
  const usage = usageOf(request, reply, text, cache);
  return {
    id: `msg_mock_${request.index}`,
    type: "message",
    role: "assistant",
    model: request.model,
    content: asTool
      ? [
          {
            type: "tool_use",
            id: `toolu_mock_${request.index}`,
            name: request.responseSchema!.name,
            input: reply.json,
          },
        ]
      : [{ type: "text", text }],
    stop_reason: asTool
      ? "tool_use"
      : "finishReason" in reply && reply.finishReason
        ? reply.finishReason
        : "end_turn",
    stop_sequence: null,
    usage: {
      // Anthropic's input_tokens are those after the last cache breakpoint.
      input_tokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteInputTokens,
      cache_creation_input_tokens: usage.cacheWriteInputTokens,
      cache_read_input_tokens: usage.cachedInputTokens,
      output_tokens: usage.outputTokens,
    },
  };
}
