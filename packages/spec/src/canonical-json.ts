import { createHash } from "node:crypto";

/** Canonical text of frozen objects (which cannot change), e.g. a schema sent with every call. */
const frozenText = new WeakMap<object, string>();

/**
 * JSON with object keys sorted at every depth and undefined members dropped, so two equal values
 * always give the same bytes. Arrays keep their order (an undefined item is null, as in JSON).
 * Non-finite numbers have no JSON form and are refused.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === "object" && Object.isFrozen(value)) {
    let text = frozenText.get(value);
    if (text === undefined) {
      text = canonicalText(value);
      frozenText.set(value, text);
    }
    return text;
  }
  return canonicalText(value);
}

function canonicalText(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    }
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(",")}}`;
}

/**
 * sha256 (hex) of a value's canonical JSON: the one fingerprint of profilekit, used for cache
 * keys, config hashes and the resume keys of stages. Equal values give equal hashes.
 */
export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
