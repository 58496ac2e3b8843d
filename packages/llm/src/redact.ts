/**
 * API keys must never reach a log, an error message, the cache or an output
 * file. Providers redact the exact key they hold; every message also passes
 * through the patterns below, which catch keys of the common shapes (OpenAI
 * `sk-…`, Anthropic `sk-ant-…`, bearer tokens, a password in a URL) that we
 * were not told about.
 */
const REDACTED = "[redacted]";

const KEY_PATTERNS: readonly RegExp[] = [
  // Credentials in a URL: https://user:password@host/...
  /(\/\/)[^/@\s:]+:[^/@\s]+(?=@)/g,
  /sk-[A-Za-z0-9_-]{8,}/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /((?:x-api-key|api[_-]?key)["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}/gi,
];

export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // Very short strings (a dummy key such as "x") would shred ordinary text.
    if (secret !== undefined && secret.length >= 6) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (_match, prefix: unknown) =>
      typeof prefix === "string" ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return out;
}
