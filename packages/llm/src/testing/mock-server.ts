import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import type { ChatMessage, TokenUsage } from "@profilekit/spec";

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
}

export interface MockServerStats {
  /** Requests received. */
  requests: number;
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
  /** Every request received, in arrival order. */
  readonly log: readonly MockRequest[];
  /** Zeroes the counts and the log. */
  reset(): void;
  close(): Promise<void>;
}

function emptyStats(): MockServerStats {
  return {
    requests: 0,
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
 * (`POST /v1/messages`) for the official SDKs, with answers and faults
 * scripted by `handler`. It counts requests, answers, faults, and the most
 * requests it ever had in flight.
 */
export async function startMockServer(options: MockServerOptions): Promise<MockServer> {
  let stats = emptyStats();
  let log: MockRequest[] = [];
  const server = createServer((req, res) => {
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
    const body = JSON.parse(raw) as Record<string, unknown>;
    const request =
      api === "openai" ? openaiRequest(body, req, log.length) : anthropicRequest(body, req, log.length);
    log.push(request);
    const reply = await options.handler(request);
    if ("fault" in reply) stats.faults[reply.fault] += 1;
    if ("fault" in reply && reply.fault === "hang") return;
    const latency = reply.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) await delay(latency);
    if (res.destroyed) return;
    if (!("fault" in reply)) {
      stats.answered += 1;
      sendJson(res, 200, api === "openai" ? openaiAnswer(request, reply) : anthropicAnswer(request, reply));
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
  const url = `http://127.0.0.1:${port}`;
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
    reset() {
      stats = { ...emptyStats(), inFlight: stats.inFlight };
      log = [];
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function apiError(api: "openai" | "anthropic", type: string, message: string): unknown {
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

function keyOf(req: IncomingMessage): string | undefined {
  const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, "");
  const key = req.headers["x-api-key"];
  return bearer ?? (typeof key === "string" ? key : undefined);
}

function numberOr(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

function openaiRequest(body: Record<string, unknown>, req: IncomingMessage, index: number): MockRequest {
  const format = body.response_format as
    | { type?: string; json_schema?: { name: string; schema: unknown; strict?: boolean } }
    | undefined;
  const messages = ((body.messages as { role: ChatMessage["role"]; content: unknown }[]) ?? []).map(
    (message) => ({
      role: message.role,
      content: contentOf(message.content),
    }),
  );
  return {
    api: "openai",
    index,
    model: String(body.model),
    messages,
    responseSchema:
      format?.type === "json_schema" && format.json_schema
        ? {
            name: format.json_schema.name,
            jsonSchema: format.json_schema.schema,
            ...(format.json_schema.strict === undefined ? {} : { strict: format.json_schema.strict }),
          }
        : undefined,
    temperature: numberOr(body.temperature),
    seed: numberOr(body.seed),
    maxOutputTokens: numberOr(body.max_completion_tokens) ?? numberOr(body.max_tokens),
    apiKey: keyOf(req),
    body,
  };
}

function anthropicRequest(body: Record<string, unknown>, req: IncomingMessage, index: number): MockRequest {
  const system = contentOf(body.system);
  const messages: ChatMessage[] = [
    ...(system === "" ? [] : [{ role: "system" as const, content: system }]),
    ...((body.messages as { role: ChatMessage["role"]; content: unknown }[]) ?? []).map((message) => ({
      role: message.role,
      content: contentOf(message.content),
    })),
  ];
  const choice = body.tool_choice as { type?: string; name?: string } | undefined;
  const tool =
    choice?.type === "tool"
      ? (body.tools as { name: string; input_schema: unknown }[] | undefined)?.find(
          (entry) => entry.name === choice.name,
        )
      : undefined;
  return {
    api: "anthropic",
    index,
    model: String(body.model),
    messages,
    responseSchema: tool ? { name: tool.name, jsonSchema: tool.input_schema } : undefined,
    temperature: numberOr(body.temperature),
    seed: undefined,
    maxOutputTokens: numberOr(body.max_tokens),
    apiKey: keyOf(req),
    body,
  };
}

type ContentReply = Exclude<MockReply, { fault: string }>;

function usageOf(request: MockRequest, reply: ContentReply, answer: string): TokenUsage {
  const inputChars = request.messages.reduce((sum, message) => sum + message.content.length, 0);
  return {
    inputTokens: reply.usage?.inputTokens ?? Math.ceil(inputChars / 4),
    outputTokens: reply.usage?.outputTokens ?? Math.ceil(answer.length / 4),
  };
}

function openaiAnswer(request: MockRequest, reply: ContentReply): unknown {
  const content = "json" in reply ? JSON.stringify(reply.json) : reply.text;
  const usage = usageOf(request, reply, content);
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
    },
  };
}

function anthropicAnswer(request: MockRequest, reply: ContentReply): unknown {
  const asTool = "json" in reply && request.responseSchema !== undefined;
  const text = "json" in reply ? JSON.stringify(reply.json) : reply.text;
  const usage = usageOf(request, reply, text);
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
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
  };
}
