import type {
  ModelCallRequest,
  ModelResponse,
  ModelWireFormat,
  StructuredOutputSupport,
} from "@profilekit/spec";
import { z } from "zod";
import { ModelCallError } from "../errors.js";
import { strictSchema } from "./strict-schema.js";

/** The chat completions path, as OpenAI batch files and vLLM's run-batch name it. */
export const CHAT_COMPLETIONS_ENDPOINT = "/v1/chat/completions";

export interface OpenAIWireSettings {
  readonly modelId: string;
  readonly structuredOutput: Extract<StructuredOutputSupport, "json-schema" | "text">;
  /**
   * OpenAI-compatible servers (vLLM, llama.cpp, Ollama) take `max_tokens`; OpenAI's own API
   * takes `max_completion_tokens` (which its reasoning models require).
   */
  readonly compatible: boolean;
}

const ChatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, "the response has no choices"),
  usage: z
    .object({
      prompt_tokens: z.number().int().nonnegative(),
      completion_tokens: z.number().int().nonnegative(),
      prompt_tokens_details: z.object({ cached_tokens: z.number().int().nonnegative().nullish() }).nullish(),
    })
    .nullish(),
});

/**
 * The chat-completions request for a call, and the reading of its answer: one
 * builder and one parser, used by the synchronous path (through the `openai`
 * SDK) and by any batch path. A response schema goes as
 * `response_format: json_schema`, strict when the schema allows it; a
 * message's `cacheBoundary` is not sent (OpenAI caches repeated prefixes of
 * 1,024 tokens or more by itself).
 */
export function openaiWire(settings: OpenAIWireSettings): ModelWireFormat {
  function buildRequest(request: ModelCallRequest) {
    const schema = settings.structuredOutput === "json-schema" ? request.responseSchema : undefined;
    const body: Record<string, unknown> = {
      model: settings.modelId,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.maxOutputTokens !== undefined) {
      body[settings.compatible ? "max_tokens" : "max_completion_tokens"] = request.maxOutputTokens;
    }
    if (schema) {
      body.response_format = {
        type: "json_schema",
        json_schema: { name: schema.name, ...strictSchema(schema.jsonSchema) },
      };
    }
    return { endpoint: CHAT_COMPLETIONS_ENDPOINT, body };
  }

  function parseResponse(body: unknown): ModelResponse {
    const parsed = ChatCompletionSchema.safeParse(body);
    if (!parsed.success) {
      throw new ModelCallError(
        `the chat completion is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; ")}`,
        { kind: "malformed" },
      );
    }
    const { choices, usage } = parsed.data;
    const choice = choices[0]!;
    const refused = typeof choice.message.refusal === "string" && choice.message.refusal !== "";
    const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
    return {
      text: choice.message.content ?? "",
      usage: {
        inputTokens: usage?.prompt_tokens ?? 0,
        outputTokens: usage?.completion_tokens ?? 0,
        ...(cached > 0 ? { cachedInputTokens: cached } : {}),
      },
      finishReason: refused ? "refusal" : (choice.finish_reason ?? "unknown"),
    };
  }

  return { buildRequest, parseResponse };
}
