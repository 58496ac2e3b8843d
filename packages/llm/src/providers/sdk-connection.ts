import type { SdkErrorClasses } from "./sdk-error.js";

/** The client options both official SDKs take the same way. */
interface SdkClientOptions {
  apiKey: string;
  baseURL: string | null;
  maxRetries: number;
  logLevel: "off";
  defaultHeaders: Readonly<Record<string, string>> | undefined;
}

/** What the `openai` and `@anthropic-ai/sdk` modules both export. */
type SdkModule<Client> = SdkErrorClasses & { default: new (options: SdkClientOptions) => Client };

export interface SdkConnection<Client> {
  readonly sdk: Client;
  readonly classes: SdkErrorClasses;
}

/**
 * An SDK client made on the first request, so that a command which calls no model never
 * loads the SDK. Its own retries are off (the caller retries, and counts) and it logs nothing.
 * The key stays in this closure: no object the caller can print or serialise holds it.
 */
export function lazySdkConnection<Client>(
  load: () => Promise<SdkModule<Client>>,
  settings: { apiKey: string; baseURL: string | undefined; headers?: Readonly<Record<string, string>> },
): () => Promise<SdkConnection<Client>> {
  let connection: Promise<SdkConnection<Client>> | undefined;
  return () =>
    (connection ??= load().then((sdk) => ({
      sdk: new sdk.default({
        apiKey: settings.apiKey,
        baseURL: settings.baseURL ?? null,
        maxRetries: 0,
        logLevel: "off",
        defaultHeaders: settings.headers,
      }),
      classes: sdk,
    })));
}
