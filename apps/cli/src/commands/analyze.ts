import { basename, join } from "node:path";
import { defaultPermutations, KendallVariantSchema, type PluginRegistry } from "@profilekit/core";
import {
  formatSkipReport,
  parseColumnMapping,
  parseLabelMapping,
  presets,
  type ReadPairsOptions,
  readPairs,
  writeFileAtomic,
} from "@profilekit/data";
import { Command, Option } from "commander";
import { runAnalysis } from "../analysis.js";
import { deterministicFactorIds } from "../builtin-plugins.js";
import { parseFactorList, selectFactors } from "../factor-selection.js";
import { collect, integerIn } from "../option-parsers.js";
import { renderProfileTable } from "../profile-table.js";
import { createProgress } from "../progress.js";
import { toJsonFile, writeProfileFiles } from "../run-files.js";
import type { CliIo } from "../io.js";
import { describeRun } from "../run-manifest.js";

interface AnalyzeFlags {
  preset: string;
  format?: "jsonl" | "json" | "csv" | "tsv";
  map?: string;
  labels?: string;
  task?: string;
  factors: string;
  option: string[];
  variant: "tau14" | "taub" | "tau10" | "tau13" | "tau23" | "acc23";
  bootstrap: number;
  permutations: number;
  seed: number;
  out?: string;
  onInvalid: "fail" | "skip";
  quiet?: boolean;
}

const examples = `
Examples:
  # a canonical JSONL file of pairs ({"id","task","prompt","a","b","label"} per line)
  $ profilekit analyze pairs.jsonl

  # a shared dataset through its preset, length in characters
  $ profilekit analyze ../shared/data/summeval --preset summeval --factors length --option length.unit=chars

  # any CSV: say which columns hold what, and how labels are spelled
  $ profilekit analyze votes.csv --map prompt=instruction,a=response1,b=response2,label=winner \\
      --labels a=1,b=2,tie=0 --task instruction-following

Output (in --out DIR, each file written atomically):
  profile.json          the factor profile: tau, 95% CI, counts, p-value per factor
  profile.csv           the same, one row per factor
  manifestations.jsonl  one line per pair and factor: valueA, valueB, sign (or error)
  labels.jsonl          the preference label and resampling group of every pair
  manifest.json         what ran: input, factors and options, seeds, counts, versions

How to read it: tau > 0 means the preferred response tends to show MORE of the
factor, tau < 0 less. tau14 = (C - D) / (C + D + factor ties) over pairs whose
label is not a tie (PROFILE, after Deutsch et al. 2023). See docs/methodology.md.

Exit codes: 0 ok, 2 bad usage or bad input (the message names file:line and field).`;

export function analyzeCommand(registry: PluginRegistry, io: CliIo): Command {
  return new Command("analyze")
    .summary("which factors drive the preferences in a file of labelled pairs")
    .description(
      "Measure how strongly each factor drives the preference labels of a file of response pairs\n" +
        "(PROFILE's factor score), with clustered bootstrap intervals and a sign-flip test.\n" +
        "No model or API key is needed for the deterministic factors.",
    )
    .argument("<file>", "pairs: .jsonl, .json, .csv or .tsv (optionally .gz), or a dataset folder with --preset")
    .addOption(
      new Option("--preset <name>", "how to read the file").choices(presets.map((p) => p.name)).default("canonical"),
    )
    .addOption(new Option("--format <format>", "file format (default: from the extension)").choices(["jsonl", "json", "csv", "tsv"]))
    .option("--map <mapping>", "column mapping for other files, e.g. prompt=instruction,a=response1,b=response2,label=winner")
    .option("--labels <mapping>", "how raw labels map to a, b, tie, e.g. a=1,b=2,tie=0 (several values: tie=0|draw)")
    .option("--task <id>", "task of every pair when the file does not say (e.g. summarization)")
    .option("--factors <ids>", "comma-separated factor ids (`profilekit factors` lists them)", deterministicFactorIds.join(","))
    .option("--option <factor.key=value>", "a factor option, repeatable, e.g. length.unit=chars", collect, [])
    .addOption(
      new Option("--variant <variant>", "Kendall variant reported as tau").choices(KendallVariantSchema.options).default("tau14"),
    )
    .option("--bootstrap <B>", "bootstrap resamples for the 95% CI (0: none)", integerIn(0, 1_000_000), 1000)
    .option("--permutations <R>", "sign-flip permutations for the p-value (0: none)", integerIn(0, 1_000_000), defaultPermutations)
    .option("--seed <n>", "seed for resampling and any randomised mapping", integerIn(0, 2 ** 31 - 1), 1)
    .option("--out <dir>", "output folder (default: runs/<file name>)")
    .addOption(
      new Option("--on-invalid <policy>", "bad records: fail (exit 2) or skip and report them").choices(["fail", "skip"]).default("fail"),
    )
    .option("-q, --quiet", "print nothing but errors")
    .addHelpText("after", examples)
    .action(async (file: string, flags: AnalyzeFlags) => {
      const factors = selectFactors(registry, parseFactorList(flags.factors), flags.option);
      const read: ReadPairsOptions = {
        preset: flags.preset,
        onInvalid: flags.onInvalid,
        seed: flags.seed,
        ...(flags.format ? { format: flags.format } : {}),
        ...(flags.map ? { mapping: parseColumnMapping(flags.map) } : {}),
        ...(flags.labels ? { labels: parseLabelMapping(flags.labels) } : {}),
        ...(flags.task ? { task: flags.task } : {}),
      };
      const outDir = flags.out ?? join("runs", basename(file).replace(/(\.gz)?$/, "").replace(/\.[^.]+$/, ""));
      const progress = createProgress(io.stderr, "pairs", !flags.quiet);
      const started = performance.now();
      const reader = readPairs(file, read);
      const result = await runAnalysis({
        pairs: reader,
        inputName: file,
        factors,
        outDir,
        scoring: { variant: flags.variant, bootstrap: flags.bootstrap, permutations: flags.permutations, seed: flags.seed },
        onProgress: (done) => progress.update(done),
      });
      progress.done();
      const files = [...(await writeProfileFiles(outDir, result.profile)), ...result.files];
      await writeFileAtomic(
        join(outDir, "manifest.json"),
        toJsonFile(describeRun({ command: "analyze", input: file, read, factors, scoring: { variant: flags.variant, bootstrap: flags.bootstrap, permutations: flags.permutations, seed: flags.seed }, profile: result.profile, skipped: reader.skipped })),
      );
      files.push("manifest.json");
      if (flags.quiet) return;
      io.stdout.write(`${renderProfileTable(result.profile)}\n`);
      if (reader.skipped.count > 0) io.stderr.write(`${formatSkipReport(reader.skipped)}\n`);
      const seconds = (performance.now() - started) / 1000;
      io.stderr.write(`wrote ${files.join(", ")} to ${outDir} (${seconds.toFixed(1)} s)\n`);
    });
}
