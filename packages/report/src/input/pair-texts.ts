import { readdir, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { readPairs } from "@profilekit/data";
import { openRunFolder, type RunFolder } from "@profilekit/runner";
import { type Pair, ProfilekitError } from "@profilekit/spec";
import type { SourceManifest } from "./file-schemas.js";

// The texts of a stage's pairs, for the drill-downs. The runner reads a folder's own pairs.jsonl;
// what it does not have is the search when a folder has none (analyze writes none): the sibling
// stage folders, the other folders given, then the input file named in manifest.json.

/** The texts of a pair: what was asked, the source document, and both responses. */
export interface PairText {
  readonly prompt?: string | undefined;
  readonly source?: string | undefined;
  readonly a: string;
  readonly b: string;
}

/** The texts found for some pair ids, and where from (display paths), or why some are missing. */
export interface PairTexts {
  readonly texts: ReadonlyMap<string, PairText>;
  /** The files they were read from, as display paths. */
  readonly from: readonly string[];
  /** Why some or all are missing; undefined when every id was found. */
  readonly unavailable: string | undefined;
}

/** A stage folder whose pair texts are looked for. */
export interface TextSource {
  readonly run: RunFolder;
  readonly manifest: SourceManifest | undefined;
  /** The study folder it belongs to and the study's config file (relative to the study folder). */
  readonly study: { readonly dir: string; readonly configFile: string } | undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The folders beside `dir`, sorted by name, that the runner's reader opens; others are not searched. */
async function siblingFolders(dir: string): Promise<RunFolder[]> {
  const parent = dirname(dir);
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((e) => e.isDirectory() && e.name !== basename(dir)).map((e) => e.name);
  const folders: RunFolder[] = [];
  for (const name of names.sort()) {
    try {
      folders.push(await openRunFolder(join(parent, name)));
    } catch (error) {
      if (!(error instanceof ProfilekitError)) throw error;
    }
  }
  return folders;
}

/** Where the input file named in a manifest may be: as given, from the study's config, the folder. */
async function inputFileOf(source: TextSource): Promise<string | undefined> {
  const given = source.manifest?.input.path;
  if (given === undefined) return undefined;
  if (isAbsolute(given)) return (await exists(given)) ? given : undefined;
  const bases: string[] = [];
  if (source.study !== undefined) bases.push(dirname(resolve(source.study.dir, source.study.configFile)));
  bases.push(process.cwd(), source.run.dir, dirname(source.run.dir));
  for (const base of bases) {
    const candidate = resolve(base, given);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The texts of `ids`: from the stage's own pairs.jsonl, then those of its sibling folders (a
 * sibling the runner's reader refuses is passed over), then those of the `others` given, then
 * the input file named in manifest.json, read again with the read options recorded there. A
 * pairs.jsonl of a folder given that the reader refuses fails with the reader's error; missing
 * texts do not: `unavailable` says why.
 */
export async function findPairTexts(
  source: TextSource,
  others: readonly RunFolder[],
  ids: ReadonlySet<string>,
  display: (path: string) => string,
): Promise<PairTexts> {
  const texts = new Map<string, PairText>();
  const from: string[] = [];
  const complete = () => texts.size === ids.size;
  const take = (pair: Pair, file: string) => {
    if (!ids.has(pair.id) || texts.has(pair.id)) return;
    texts.set(pair.id, { prompt: pair.prompt, source: pair.source, a: pair.a, b: pair.b });
    const shown = display(file);
    if (!from.includes(shown)) from.push(shown);
  };
  const searched = new Set<string>();
  const search = async (run: RunFolder) => {
    if (complete() || searched.has(resolve(run.dir)) || !(await run.has("pairs.jsonl"))) return;
    searched.add(resolve(run.dir));
    for await (const { record } of run.pairs()) {
      take(record, join(run.dir, "pairs.jsonl"));
      if (complete()) break;
    }
  };
  await search(source.run);
  if (!complete()) {
    for (const sibling of await siblingFolders(source.run.dir)) {
      try {
        await search(sibling);
      } catch (error) {
        if (!(error instanceof ProfilekitError)) throw error;
      }
    }
  }
  for (const other of others) await search(other);
  if (complete()) return { texts, from, unavailable: undefined };
  const recorded = source.manifest?.input;
  const input = await inputFileOf(source);
  let problem: string | undefined;
  if (recorded === undefined || input === undefined) {
    problem =
      recorded === undefined
        ? "no pairs.jsonl holds these pairs and manifest.json names no input file"
        : `no pairs.jsonl holds these pairs and the input file ${recorded.path} named in manifest.json cannot be found`;
  } else {
    const { path: _path, ...read } = recorded;
    try {
      for await (const pair of readPairs(input, read)) {
        take(pair, input);
        if (complete()) break;
      }
    } catch (error) {
      problem = `the input file ${input} could not be read again: ${(error as Error).message}`;
    }
  }
  return {
    texts,
    from,
    unavailable: complete() ? undefined : (problem ?? "the files read do not hold every pair"),
  };
}
