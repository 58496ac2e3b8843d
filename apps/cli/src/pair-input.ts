import {
  parseColumnMapping,
  parseLabelMapping,
  presets,
  type ReadPairsOptions,
  readPairs,
  type SkipReport,
} from "@profilekit/data";
import { type Pair, ProfilekitError } from "@profilekit/spec";
import { type Command, Option } from "commander";

/** The flags that say how to read a file of pairs, as `analyze` has them. */
export interface ReadFlags {
  readonly preset: string;
  readonly format?: "jsonl" | "json" | "csv" | "tsv";
  readonly map?: string;
  readonly labels?: string;
  readonly task?: string;
  readonly onInvalid: "fail" | "skip";
  readonly seed: number;
}

/** Adds --preset, --format, --map, --labels and --on-invalid (--task and --seed are each command's own). */
export function addReadOptions(command: Command): Command {
  return command
    .addOption(
      new Option("--preset <name>", "how to read the file")
        .choices(presets.map((p) => p.name))
        .default("canonical"),
    )
    .addOption(
      new Option("--format <format>", "file format (default: from the extension)").choices([
        "jsonl",
        "json",
        "csv",
        "tsv",
      ]),
    )
    .option(
      "--map <mapping>",
      "column mapping for other files, e.g. prompt=instruction,a=response1,b=response2,label=winner",
    )
    .option(
      "--labels <mapping>",
      "how raw labels map to a, b, tie, e.g. a=1,b=2,tie=0 (several values: tie=0|draw)",
    )
    .addOption(
      new Option("--on-invalid <policy>", "bad records: fail (exit 2) or skip and report them")
        .choices(["fail", "skip"])
        .default("fail"),
    );
}

/** The reader's options from the flags, parsed once here. */
export function readOptionsFrom(flags: ReadFlags): ReadPairsOptions {
  return {
    preset: flags.preset,
    onInvalid: flags.onInvalid,
    seed: flags.seed,
    ...(flags.format ? { format: flags.format } : {}),
    ...(flags.map ? { mapping: parseColumnMapping(flags.map) } : {}),
    ...(flags.labels ? { labels: parseLabelMapping(flags.labels) } : {}),
    ...(flags.task ? { task: flags.task } : {}),
  };
}

/**
 * Every pair of a reader, in file order, for the settings that call a model
 * per pair and write their results in input order. Ids must be unique: the
 * results are keyed by them.
 */
export async function readAllPairs(reader: AsyncIterable<Pair>, inputName: string): Promise<Pair[]> {
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for await (const pair of reader) {
    if (seen.has(pair.id)) {
      throw new ProfilekitError("duplicate_pair_id", `pair id "${pair.id}" appears twice in ${inputName}`, {
        location: { file: inputName, pairId: pair.id },
        hint: "pair ids must be unique within a file; fix the ids or map another column with --map id=...",
      });
    }
    seen.add(pair.id);
    pairs.push(pair);
  }
  return pairs;
}

/** The pairs of a model stage, read in full and in file order, with how they were read. */
export interface StagePairs {
  /** The input as manifest.json records it: the path as the user wrote it. */
  readonly path: string;
  readonly pairs: readonly Pair[];
  readonly read: ReadPairsOptions;
  readonly skipped: SkipReport;
}

/** Reads every pair of `file` for a model stage; `path` names it in manifest.json (default: `file`). */
export async function readStagePairs(
  file: string,
  read: ReadPairsOptions,
  path: string = file,
): Promise<StagePairs> {
  const reader = readPairs(file, read);
  const pairs = await readAllPairs(reader, file);
  return { path, pairs, read, skipped: reader.skipped };
}

/** A pair with its fields in the canonical order, absent ones left out: one line of pairs.jsonl. */
export function canonicalPair(pair: Pair): Pair {
  return {
    id: pair.id,
    task: pair.task,
    ...(pair.source === undefined ? {} : { source: pair.source }),
    ...(pair.prompt === undefined ? {} : { prompt: pair.prompt }),
    a: pair.a,
    b: pair.b,
    label: pair.label,
    ...(pair.group === undefined ? {} : { group: pair.group }),
    ...(pair.meta === undefined ? {} : { meta: pair.meta }),
  };
}
