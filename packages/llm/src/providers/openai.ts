import {
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StructuredOutputSupport,
  specificationVersion,
} from "@profilekit/spec";
import type OpenAI from "openai";
import { redactSecrets } from "../redact.js";
import { openaiBatchApi } from "./openai-batch.js";
import { openaiWire } from "./openai-wire.js";
import { lazySdkConnection } from "./sdk-connection.js";
import { fromSdkError } from "./sdk-error.js";

/** The SDK's endpoint when no base URL is given. */
const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

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
 * own retries off (the client retries, and counts). The body comes from
 * `openaiWire` and the answer is read by it; `batch` sends the same bodies through the Batch API.
 */
export function createOpenAIModel(settings: OpenAIModelSettings): LanguageModel {
  const connect = lazySdkConnection<OpenAI>(() => import("openai"), settings);
  const wire = openaiWire({
    modelId: settings.modelId,
    structuredOutput: settings.structuredOutput,
    compatible: settings.provider === "openai-compatible",
  });
  const context = {
    provider: settings.provider,
    secrets: [settings.apiKey],
    keyEnvVar: settings.keyEnvVar,
    endpoint: redactSecrets(settings.baseURL ?? OPENAI_DEFAULT_BASE_URL),
    modelId: settings.modelId,
  };

  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const { body } = wire.buildRequest(request);
    const { sdk, classes } = await connect();
    try {
      const completion = await sdk.chat.completions.create(
        body as unknown as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
        {
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
        },
      );
      return wire.parseResponse(completion);
    } catch (error) {
      throw fromSdkError(error, { ...context, classes });
    }
  }

  return {
    specificationVersion,
    provider: settings.provider,
    modelId: settings.modelId,
    baseURL: settings.baseURL,
    structuredOutput: settings.structuredOutput,
    generate,
    wire,
    batch: openaiBatchApi(connect, context),
  };
}
