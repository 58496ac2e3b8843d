import type Anthropic from "@anthropic-ai/sdk";
import {
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StructuredOutputSupport,
  specificationVersion,
} from "@profilekit/spec";
import { lazySdkConnection } from "./sdk-connection.js";
import { fromSdkError } from "./sdk-error.js";

/** Anthropic requires max_tokens; used when the request sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicModelSettings {
  readonly modelId: string;
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  readonly structuredOutput: Extract<StructuredOutputSupport, "tool" | "text">;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A Claude model through the official `@anthropic-ai/sdk` Messages API, SDK
 * retries off. System messages become the `system` parameter. A response
 * schema becomes one tool whose input is the schema, forced with
 * `tool_choice: {type: 'tool', name}`; the answer is that tool call's input.
 * `seed` has no Anthropic equivalent and is not sent (it still keys the cache).
 */
export function createAnthropicModel(settings: AnthropicModelSettings): LanguageModel {
  const connect = lazySdkConnection<Anthropic>(() => import("@anthropic-ai/sdk"), settings);
  const secrets = [settings.apiKey];

  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const schema = settings.structuredOutput === "tool" ? request.responseSchema : undefined;
    const system = request.messages
      .filter((message) => message.role === "system")
      .map((message) => message.content)
      .join("\n\n");
    const { sdk, classes } = await connect();
    try {
      const message = await sdk.messages.create(
        {
          model: settings.modelId,
          max_tokens: request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
          messages: request.messages
            .filter((entry) => entry.role !== "system")
            .map((entry) => ({ role: entry.role as "user" | "assistant", content: entry.content })),
          ...(system === "" ? {} : { system }),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(schema
            ? {
                tools: [
                  {
                    name: schema.name,
                    description: `Record the answer, following the ${schema.name} schema.`,
                    input_schema: toolInputSchema(schema.jsonSchema),
                  },
                ],
                tool_choice: { type: "tool" as const, name: schema.name },
              }
            : {}),
        },
        {
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
        },
      );
      const content = message.content ?? [];
      const toolCall = schema
        ? content.find((block) => block.type === "tool_use" && block.name === schema.name)
        : undefined;
      const text =
        toolCall && toolCall.type === "tool_use"
          ? JSON.stringify(toolCall.input)
          : content.map((block) => (block.type === "text" ? block.text : "")).join("");
      const usage = message.usage;
      return {
        text,
        usage: {
          inputTokens:
            (usage?.input_tokens ?? 0) +
            (usage?.cache_creation_input_tokens ?? 0) +
            (usage?.cache_read_input_tokens ?? 0),
          outputTokens: usage?.output_tokens ?? 0,
        },
        finishReason: message.stop_reason ?? "unknown",
      };
    } catch (error) {
      throw fromSdkError(error, {
        provider: "anthropic",
        classes,
        secrets,
        keyEnvVar: "ANTHROPIC_API_KEY",
      });
    }
  }

  return {
    specificationVersion,
    provider: "anthropic",
    modelId: settings.modelId,
    baseURL: settings.baseURL,
    structuredOutput: settings.structuredOutput,
    generate,
  };
}

function toolInputSchema(jsonSchema: Record<string, unknown>): Anthropic.Messages.Tool.InputSchema {
  const { $schema: _dialect, ...schema } = jsonSchema;
  return { ...schema, type: "object" };
}
