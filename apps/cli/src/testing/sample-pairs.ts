import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs, writeJsonl } from "@profilekit/data";
import type { Pair } from "@profilekit/spec";

/** /work/shared, beside the repository; tests that read its data skip when it is absent. */
export const sharedDir = fileURLToPath(new URL("../../../../../shared/", import.meta.url));
export const hasSharedData = existsSync(join(sharedDir, "data"));

/** The first `count` pairs of a shared dataset, read through its preset. */
export async function samplePairs(preset: string, dataDir: string, count: number): Promise<Pair[]> {
  const pairs: Pair[] = [];
  for await (const pair of readPairs(join(sharedDir, "data", dataDir), { preset })) {
    pairs.push(pair);
    if (pairs.length === count) break;
  }
  return pairs;
}

/** Writes pairs as a canonical JSONL file and returns its path. */
export async function writeSample(path: string, pairs: readonly Pair[]): Promise<string> {
  await writeJsonl(path, pairs);
  return path;
}
