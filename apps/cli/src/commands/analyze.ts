import { formatSkipReport } from "@profilekit/data";
import {
  formatDryRun,
  formatExtraction,
  formatSkippedFactors,
  formatUsage,
  renderProfileTable,
} from "@profilekit/report";
import {
  type AnalyzeRequest,
  analyze,
  attributionDefaults,
  estimateAnalyze,
  modelFreeFactorIds,
  createBuiltinRegistry,
  rescore,
} from "@profilekit/runner";
import { ProfilekitError } from "@profilekit/spec";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { addModelOptions, type ModelFlags } from "../model-options.js";
import { integerIn } from "../option-parsers.js";
import { addReadOptions, type ReadFlags, readOf } from "../pair-input.js";
import {
  addProfileOptions,
  type ExtractionFlags,
  type FactorFlags,
  type ScoringFlags,
  scoringOf,
} from "../profile-options.js";
import { createProgress } from "../progress.js";
import { defaultRunFolder, factorStageFieldsOf } from "../stage-command.js";

interface AnalyzeFlags extends ReadFlags, ScoringFlags, ModelFlags, ExtractionFlags, FactorFlags {
  run?: string;
  out?: string;
  quiet?: boolean;
  attributionMaxPairs: number;
  threads?: number;
}

/** The automatic threading of the runner, for the help text. */
const threading = "default: up to 4 for files over 16 MB, else 1";
const examples = `
Examples:
  # a canonical JSONL file of pairs ({"id","task","prompt","a","b","label"} per line)
  $ profilekit analyze pairs.jsonl

  # a shared dataset through its preset, length in characters
  $ profilekit analyze ../shared/data/summeval --preset summeval --factors length --option length.unit=chars

  # PROFILE's model-extracted factors, measured by a model (cached in .profilekit/cache.db)
  $ profilekit analyze ../shared/data/qa_feedback_dev --preset qa-feedback \
      --factors length,hallucination,source-coverage,helpfulness --extractor openai:gpt-4o-mini

  # the same through a local OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio)
  $ OPENAI_BASE_URL=http://127.0.0.1:8000/v1 profilekit analyze pairs.jsonl \
      --factors length,helpfulness --extractor openai:my-model --concurrency 32

  # score an earlier run again (another variant, B or seed) without reading the input or calling a model
  $ profilekit analyze --run runs/pairs --variant taub --bootstrap 2000

  # any CSV: say which columns hold what, and how labels are spelled
  $ profilekit analyze votes.csv --map prompt=instruction,a=response1,b=response2,label=winner \\
      --labels a=1,b=2,tie=0 --task instruction-following

Output (--out DIR, each file written atomically; docs/data-format.md): profile.json and
profile.csv (tau, 95% CI, counts, p-value per factor), manifestations.jsonl (valueA, valueB,
sign per pair and factor), labels.jsonl (label and cluster of every pair), groups.json (the
per-cluster counts the alignment resamples) and manifest.json (what ran).

How to read it: tau > 0 means the preferred response tends to show MORE of the
factor, tau < 0 less. tau14 = (C - D) / (C + D + factor ties) over pairs whose
label is not a tie (PROFILE, after Deutsch et al. 2023). See docs/methodology.md.

${modelRunExitCodes}`;

export function analyzeCommand(io: CliIo): Command {
  const command = addReadOptions(
    new Command("analyze")
      .summary("which factors drive the preferences in a file of labelled pairs")
      .description(
        "Measure how strongly each factor drives the preference labels of a file of response pairs " +
          "(PROFILE's factor score), with clustered bootstrap intervals and a sign-flip test. " +
          "No model or API key is needed for the deterministic factors; model-extracted factors need --extractor.",
      )
      .argument(
        "[file]",
        "pairs: .jsonl, .json, .csv or .tsv (optionally .gz), or a dataset folder with --preset",
      ),
  )
    .option("--task <id>", "the task of every pair, whatever the file says (e.g. summarization)")
    .option("--out <dir>", "output folder (default: runs/<file name>; with --run, the run folder itself)")
    .option(
      "--run <dir>",
      "re-score an existing run folder (its labels.jsonl and manifestations.jsonl) without any model call",
    )
    .option(
      "--attribution-max-pairs <n>",
      "joint regression and length-controlled scores up to this many pairs (0: off)",
      integerIn(0),
      attributionDefaults.maxPairs,
    )
    .option(
      "--threads <n>",
      `threads that read and measure the rule-based factors of a canonical .jsonl, this one included (${threading}; the outputs are the same bytes either way)`,
      integerIn(1, 64),
    )
    .option("-q, --quiet", "print nothing but errors");
  addProfileOptions(command, modelFreeFactorIds(createBuiltinRegistry()).join(","));
  addModelOptions(command);
  return command.addHelpText("after", examples).action((file: string | undefined, flags: AnalyzeFlags) => {
    if (flags.run !== undefined) {
      if (file !== undefined) {
        throw new ProfilekitError("invalid_option", "give either a file of pairs or --run <dir>, not both", {
          hint: "--run re-scores a run folder's own labels and manifestations",
        });
      }
      return rescoreFolder(io, flags.run, flags);
    }
    if (file === undefined) {
      throw new ProfilekitError("missing_argument", "analyze needs a file of pairs (or --run <dir>)", {
        hint: "e.g. profilekit analyze pairs.jsonl; see profilekit analyze --help",
      });
    }
    return analyzeFile(io, file, flags);
  });
}

/** --run: the profile of an existing run folder again, with this command's scoring flags. */
async function rescoreFolder(io: CliIo, runDir: string, flags: AnalyzeFlags): Promise<void> {
  if (flags.cluster !== undefined) {
    throw new ProfilekitError(
      "invalid_option",
      "--cluster does not apply to --run: a run folder's clusters are in its labels.jsonl",
      {
        hint: "to resample by another unit, run analyze again on the pairs with --cluster",
      },
    );
  }
  const outDir = flags.out ?? runDir;
  const { profile, files } = await rescore({
    run: runDir,
    out: outDir,
    ...scoringOf(flags),
    attribution: attributionOf(flags),
  });
  if (flags.quiet) return;
  io.stdout.write(`${renderProfileTable(profile)}\n`);
  io.stderr.write(`re-scored ${runDir} without model calls; wrote ${files.join(", ")} to ${outDir}\n`);
}

function attributionOf(flags: AnalyzeFlags) {
  return flags.attributionMaxPairs === 0
    ? (false as const)
    : { ...attributionDefaults, maxPairs: flags.attributionMaxPairs };
}

/** The analyze request of the flags: the same object a library caller builds. */
function requestOf(file: string, flags: AnalyzeFlags, io: CliIo): AnalyzeRequest {
  return {
    pairs: file,
    read: readOf(flags),
    ...scoringOf(flags),
    ...factorStageFieldsOf(flags, io),
    withoutExtractor: "skip",
    attribution: attributionOf(flags),
    ...(flags.threads === undefined ? {} : { threads: flags.threads }),
  };
}

async function analyzeFile(io: CliIo, file: string, flags: AnalyzeFlags): Promise<void> {
  const request = requestOf(file, flags, io);
  if (flags.dryRun) {
    const { pairs, dryRun } = await estimateAnalyze(request);
    io.stdout.write(`${formatDryRun(`dry run: ${pairs} pairs`, dryRun)}\n`);
    return;
  }
  const out = flags.out ?? defaultRunFolder(file);
  const progress = createProgress(io.stderr, "pairs", !flags.quiet);
  const started = performance.now();
  const result = await analyze({
    ...request,
    out,
    onProgress: ({ done, total }) => progress.update(done, total),
  });
  progress.done();
  io.stderr.write(formatSkippedFactors(result.skippedFactors));
  if (flags.quiet) return;
  io.stdout.write(`${renderProfileTable(result.profile)}\n`);
  if (result.extraction && result.usage) {
    io.stdout.write(`\n${formatExtraction(result.extraction)}\n${formatUsage(result.usage)}\n`);
  }
  if (result.skipped.count > 0) io.stderr.write(`${formatSkipReport(result.skipped)}\n`);
  const seconds = (performance.now() - started) / 1000;
  const threads = result.threads > 1 ? `, ${result.threads} threads` : "";
  io.stderr.write(`wrote ${result.files.join(", ")} to ${out} (${seconds.toFixed(1)} s${threads})\n`);
}
