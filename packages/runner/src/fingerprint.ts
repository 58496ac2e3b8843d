import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

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
