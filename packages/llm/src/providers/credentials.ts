import { ModelConfigurationError } from "../errors.js";

/** Sent to local servers that want no key; the SDKs refuse to start without one. */
export const LOCAL_DUMMY_KEY = "local-no-key";

/** True for loopback hosts (localhost, 127.x, ::1), where a server rarely checks keys. */
export function isLocalURL(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * The API key: the explicit option, else the first environment variable set.
 * A local base URL may go without one (a dummy is sent). Otherwise a missing
 * key is a `missing_api_key` error naming the variable to set; the error
 * never holds any key.
 */
export function resolveApiKey(input: {
  provider: string;
  explicit: string | undefined;
  envVars: readonly string[];
  baseURL: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}): string {
  if (input.explicit) return input.explicit;
  for (const name of input.envVars) {
    const value = input.env[name];
    if (value) return value;
  }
  if (isLocalURL(input.baseURL)) return LOCAL_DUMMY_KEY;
  const names = input.envVars.join(" or ");
  throw new ModelConfigurationError(
    "missing_api_key",
    `No API key for provider "${input.provider}": ${names} is not set.`,
    {
      hint: `Set ${names} in the environment (or pass apiKey in the model options). A server on localhost needs no key.`,
    },
  );
}

/** A base URL without trailing slashes, so equal endpoints share cache keys. */
export function normalizeBaseURL(url: string | undefined): string | undefined {
  if (url === undefined || url.trim() === "") return undefined;
  const trimmed = url.trim().replace(/\/+$/, "");
  try {
    new URL(trimmed);
  } catch {
    throw new ModelConfigurationError("invalid_base_url", `The base URL "${trimmed}" is not a URL.`, {
      hint: "Give an absolute URL such as http://localhost:8000/v1.",
    });
  }
  return trimmed;
}
