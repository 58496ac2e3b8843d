import type Anthropic from "@anthropic-ai/sdk";
import {
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StructuredOutputSupport,
  specificationVersion,
} from "@profilekit/spec";
import { redactSecrets } from "../redact.js";
import { anthropicBatchApi } from "./anthropic-batch.js";
import { anthropicWire } from "./anthropic-wire.js";
import { lazySdkConnection } from "./sdk-connection.js";
import { fromSdkError } from "./sdk-error.js";

/** The SDK's endpoint when no base URL is given. */
const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

export interface AnthropicModelSettings {
  readonly modelId: string;
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  readonly structuredOutput: Extract<StructuredOutputSupport, "tool" | "text">;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A Claude model through the official `@anthropic-ai/sdk` Messages API, SDK
 * retries off. The body comes from `anthropicWire` (system parameter, forced
 * tool, cache_control on the marked prefix) and the answer is read by it; `batch` sends the
 * same bodies through Message Batches.
 */
export function createAnthropicModel(settings: AnthropicModelSettings): LanguageModel {
  const connect = lazySdkConnection<Anthropic>(() => import("@anthropic-ai/sdk"), settings);
  const wire = anthropicWire({ modelId: settings.modelId, structuredOutput: settings.structuredOutput });
  const context = {
    provider: "anthropic",
    secrets: [settings.apiKey],
    keyEnvVar: "ANTHROPIC_API_KEY",
    endpoint: redactSecrets(settings.baseURL ?? ANTHROPIC_DEFAULT_BASE_URL),
    modelId: settings.modelId,
  };

  async function generate(request: ModelRequest): Promise<ModelResponse> {
    const { body } = wire.buildRequest(request);
    const { sdk, classes } = await connect();
    try {
      const message = await sdk.messages.create(
        body as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming,
        {
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.timeoutMs === undefined ? {} : { timeout: request.timeoutMs }),
        },
      );
      return wire.parseResponse(message);
    } catch (error) {
      throw fromSdkError(error, { ...context, classes });
    }
  }

  return {
    specificationVersion,
    provider: "anthropic",
    modelId: settings.modelId,
    baseURL: settings.baseURL,
    structuredOutput: settings.structuredOutput,
    generate,
    wire,
    batch: anthropicBatchApi(connect, context),
  };
}
