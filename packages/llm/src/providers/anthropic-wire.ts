import type {
  ChatMessage,
  ModelCallRequest,
  ModelResponse,
  ModelWireFormat,
  StructuredOutputSupport,
} from "@profilekit/spec";
import { z } from "zod";
import { ModelCallError } from "../errors.js";

/** The Messages path, as Anthropic's API and batch requests name it. */
export const MESSAGES_ENDPOINT = "/v1/messages";

/** Anthropic requires max_tokens; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic takes at most four cache_control breakpoints per request. */
const MAX_CACHE_BREAKPOINTS = 4;

export interface AnthropicWireSettings {
  readonly modelId: string;
  readonly structuredOutput: Extract<StructuredOutputSupport, "tool" | "text">;
}

const EPHEMERAL = { type: "ephemeral" } as const;

const MessageSchema = z.object({
  content: z.array(
    z.union([
      z.object({ type: z.literal("text"), text: z.string() }),
      z.object({ type: z.literal("tool_use"), name: z.string(), input: z.unknown() }),
      z.object({ type: z.string() }),
    ]),
  ),
  stop_reason: z.string().nullish(),
  usage: z
    .object({
      input_tokens: z.number().int().nonnegative(),
      output_tokens: z.number().int().nonnegative(),
      cache_creation_input_tokens: z.number().int().nonnegative().nullish(),
      cache_read_input_tokens: z.number().int().nonnegative().nullish(),
    })
    .nullish(),
});

type TextBlock = { type: "text"; text: string; cache_control?: typeof EPHEMERAL };

/**
 * The Messages request for a call, and the reading of its answer: one builder
 * and one parser, used by the synchronous path (through `@anthropic-ai/sdk`)
 * and by any batch path. System messages become the `system` parameter. A
 * response schema becomes one tool whose input is the schema, forced with
 * `tool_choice: {type: 'tool', name}`; the answer is that tool call's input.
 * `seed` has no Anthropic equivalent and is not sent (it still keys the cache).
 *
 * Prompt caching: every message marked `cacheBoundary` (the last four, if more
 * are) gets `cache_control: {type: 'ephemeral'}` on its content, so the
 * prefix up to and including it (tools, system, messages) is cached and read
 * back at the cache-read rate by the next request that shares it.
 */
export function anthropicWire(settings: AnthropicWireSettings): ModelWireFormat {
  function buildRequest(request: ModelCallRequest) {
    const schema = settings.structuredOutput === "tool" ? request.responseSchema : undefined;
    const boundaries = new Set(
      request.messages
        .flatMap((message, index) => (message.cacheBoundary ? [index] : []))
        .slice(-MAX_CACHE_BREAKPOINTS),
    );
    const block = (message: ChatMessage, index: number): TextBlock =>
      boundaries.has(index)
        ? { type: "text", text: message.content, cache_control: EPHEMERAL }
        : { type: "text", text: message.content };
    const indexed = request.messages.map((message, index) => ({ message, index }));
    const systemMessages = indexed.filter(({ message }) => message.role === "system");
    const body: Record<string, unknown> = {
      model: settings.modelId,
      max_tokens: request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
      messages: indexed
        .filter(({ message }) => message.role !== "system")
        .map(({ message, index }) => ({
          role: message.role,
          content: boundaries.has(index) ? [block(message, index)] : message.content,
        })),
    };
    if (systemMessages.some(({ index }) => boundaries.has(index))) {
      // Blocks, one per system message, so the breakpoint sits on the marked one.
      body.system = systemMessages
        .filter(({ message }) => message.content !== "")
        .map(({ message, index }) => block(message, index));
    } else {
      const system = systemMessages.map(({ message }) => message.content).join("\n\n");
      if (system !== "") body.system = system;
    }
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (schema) {
      const { $schema: _dialect, ...inputSchema } = schema.jsonSchema;
      body.tools = [
        {
          name: schema.name,
          description: `Record the answer, following the ${schema.name} schema.`,
          input_schema: { ...inputSchema, type: "object" },
        },
      ];
      body.tool_choice = { type: "tool", name: schema.name };
    }
    return { endpoint: MESSAGES_ENDPOINT, body };
  }

  /** Reads a Message. A (forced) tool call's input is the answer, as JSON text; else the text blocks. */
  function parseResponse(body: unknown): ModelResponse {
    const parsed = MessageSchema.safeParse(body);
    if (!parsed.success) {
      throw new ModelCallError(
        `the message is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ")}`,
        { kind: "malformed" },
      );
    }
    const { content, usage, stop_reason: stopReason } = parsed.data;
    const toolCall = content.find((entry) => entry.type === "tool_use") as { input: unknown } | undefined;
    const text = toolCall
      ? JSON.stringify(toolCall.input)
      : content.map((entry) => (entry.type === "text" ? (entry as { text: string }).text : "")).join("");
    const read = usage?.cache_read_input_tokens ?? 0;
    const written = usage?.cache_creation_input_tokens ?? 0;
    return {
      text,
      usage: {
        inputTokens: (usage?.input_tokens ?? 0) + read + written,
        outputTokens: usage?.output_tokens ?? 0,
        ...(read > 0 ? { cachedInputTokens: read } : {}),
        ...(written > 0 ? { cacheWriteInputTokens: written } : {}),
      },
      finishReason: stopReason ?? "unknown",
    };
  }

  return { buildRequest, parseResponse };
}
