import { parseColumnMapping, parseLabelMapping, presets } from "@profilekit/data";
import { type Command, Option } from "commander";

/** The flags that say how to read a file of pairs. */
export interface ReadFlags {
  readonly preset: string;
  readonly format?: "jsonl" | "json" | "csv" | "tsv";
  readonly map?: string;
  readonly labels?: string;
  readonly task?: string;
  readonly onInvalid: "fail" | "skip";
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

/** The reading options of a request, from the flags (the run's seed is added by the runner). */
export function readOf(flags: ReadFlags) {
  return {
    preset: flags.preset,
    onInvalid: flags.onInvalid,
    ...(flags.format ? { format: flags.format } : {}),
    ...(flags.map ? { mapping: parseColumnMapping(flags.map) } : {}),
    ...(flags.labels ? { labels: parseLabelMapping(flags.labels) } : {}),
    ...(flags.task ? { task: flags.task } : {}),
  };
}
