import {
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StructuredOutputSupport,
  specificationVersion,
} from "@profilekit/spec";
import type OpenAI from "openai";
import { lazySdkConnection } from "./sdk-connection.js";
import { fromSdkError } from "./sdk-error.js";
import { strictSchema } from "./strict-schema.js";

export interface OpenAIModelSettings {
  /** `openai`, or `openai-compatible` for any server speaking chat completions. */
  readonly provider: "openai" | "openai-compatible";
  readonly modelId: string;
  readonly apiKey: string;
  /** Undefined: the SDK's default (api.openai.com). */
  readonly baseURL: string | undefined;
  readonly structuredOutput: Extract<StructuredOutputSupport, "json-schema" | "text">;
  readonly headers?: Readonly<Record<string, string>>;
  /** The env var the key came from, named in hints. */
  readonly keyEnvVar: string;
}

/**
 * A chat-completions model through the official `openai` SDK, with the SDK's
 * own retries off (the client retries, and counts). A response schema goes as
 * `response_format: json_schema`, strict when the schema allows it.
 */
export function createOpenAIModel(settings: OpenAIModelSettings): LanguageModel {
  const connect = lazySdkConnection<OpenAI>(() => import("openai"), settings);
  const secrets = [settings.apiKey];
  const compatible = settings.provider === "openai-compatible";

  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const schema = settings.structuredOutput === "json-schema" ? request.responseSchema : undefined;
    const { sdk, classes } = await connect();
    try {
      const completion = await sdk.chat.completions.create(
        {
          model: settings.modelId,
          messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.seed === undefined ? {} : { seed: request.seed }),
          ...(request.maxOutputTokens === undefined
            ? {}
            : compatible
              ? { max_tokens: request.maxOutputTokens }
              : { max_completion_tokens: request.maxOutputTokens }),
          ...(schema
            ? {
                response_format: {
                  type: "json_schema" as const,
                  json_schema: { name: schema.name, ...strictSchema(schema.jsonSchema) },
                },
              }
            : {}),
        },
        {
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
        },
      );
      const choice = completion.choices?.[0];
      if (!choice) throw new SyntaxError("the response has no choices");
      const refused = typeof choice.message.refusal === "string" && choice.message.refusal !== "";
      return {
        text: choice.message.content ?? "",
        usage: {
          inputTokens: completion.usage?.prompt_tokens ?? 0,
          outputTokens: completion.usage?.completion_tokens ?? 0,
        },
        finishReason: refused ? "refusal" : (choice.finish_reason ?? "unknown"),
      };
    } catch (error) {
      throw fromSdkError(error, {
        provider: settings.provider,
        classes,
        secrets,
        keyEnvVar: settings.keyEnvVar,
      });
    }
  }

  return {
    specificationVersion,
    provider: settings.provider,
    modelId: settings.modelId,
    baseURL: settings.baseURL,
    structuredOutput: settings.structuredOutput,
    generate,
  };
}
