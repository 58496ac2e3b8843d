import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** JSON with object keys sorted at every level, so equal values give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : inner,
  );
}

/** sha256 (hex) of a value's stable JSON. */
export function hashValue(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex");
}

async function feed(hash: Hash, path: string, name: string): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const entries = (await readdir(path)).sort();
    for (const entry of entries) await feed(hash, join(path, entry), `${name}/${entry}`);
    return;
  }
  hash.update(`${name}\0${info.size}\0`);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/**
 * sha256 (hex) of a file's bytes, or of a folder's files (names and bytes, in name order):
 * a data file that changed in any way, or was replaced, gets another fingerprint.
 */
export async function hashPath(path: string): Promise<string> {
  const hash = createHash("sha256");
  await feed(hash, path, ".");
  return hash.digest("hex");
}
