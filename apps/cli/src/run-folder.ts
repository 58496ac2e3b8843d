import { basename, join } from "node:path";
import { writeFileAtomic, writeJsonl } from "@profilekit/data";
import type { Pair } from "@profilekit/spec";
import { canonicalPair } from "./pair-input.js";
import { toJsonFile } from "./run-files.js";

/** `runs/<file name without extensions>-<setting>`, the default --out of a model setting. */
export function defaultRunFolder(file: string, setting: string): string {
  const name = basename(file)
    .replace(/(\.gz)?$/, "")
    .replace(/\.[^.]+$/, "");
  return join("runs", `${name}-${setting}`);
}

/** Writes pairs.jsonl: the pairs in the canonical format, in order. */
export async function writePairsFile(outDir: string, pairs: Iterable<Pair>): Promise<string> {
  await writeJsonl(
    join(outDir, "pairs.jsonl"),
    (function* () {
      for (const pair of pairs) yield canonicalPair(pair);
    })(),
  );
  return "pairs.jsonl";
}

/** Writes `name` as JSON Lines, one record a line, in order. */
export async function writeRecordsFile(
  outDir: string,
  name: string,
  records: Iterable<unknown>,
): Promise<string> {
  await writeJsonl(join(outDir, name), records);
  return name;
}

/** Writes `name` as pretty JSON (no timestamps: the same run gives the same bytes). */
export async function writeJsonFile(outDir: string, name: string, value: unknown): Promise<string> {
  await writeFileAtomic(join(outDir, name), toJsonFile(value));
  return name;
}
