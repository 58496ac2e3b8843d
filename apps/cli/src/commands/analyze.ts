import { mkdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { type PluginRegistry, ProfileSchema } from "@profilekit/core";
import { formatSkipReport, type ReadPairsOptions, readPairs, writeFileAtomic } from "@profilekit/data";
import { type ExtractionStats, ExtractionStatsSchema, UsageTracker } from "@profilekit/llm";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { Command } from "commander";
import { isModelExtracted } from "../analysis-batch.js";
import { attributionDefaults, runAnalysis } from "../analysis.js";
import type { SelectedFactor } from "../factor-selection.js";
import {
  addExtractionOptions,
  createExtraction,
  type Extraction,
  type ExtractionFlags,
} from "../model-extraction.js";
import { addModelOptions, type ModelFlags } from "../model-options.js";
import { formatEstimate, formatUsage } from "../usage-summary.js";
import { deterministicFactorIds } from "../builtin-plugins.js";
import { parseFactorList, selectFactors } from "../factor-selection.js";
import { collect, integerIn } from "../option-parsers.js";
import { addReadOptions, type ReadFlags, readOptionsFrom } from "../pair-input.js";
import { addScoringOptions, type ScoringFlags, scoringFrom } from "../profile-options.js";
import { renderProfileTable } from "../profile-table.js";
import { rescoreRun } from "../rescore.js";
import { createProgress } from "../progress.js";
import { maxAutoThreads, threadedMinBytes } from "../threaded-analysis.js";
import { toJsonFile, writeProfileFiles } from "../run-files.js";
import type { CliIo } from "../io.js";
import { describeRun } from "../run-manifest.js";

interface AnalyzeFlags extends ReadFlags, ScoringFlags, ModelFlags, ExtractionFlags {
  run?: string;
  extractor?: string;
  factors?: string;
  option: string[];
  out?: string;
  quiet?: boolean;
  attributionMaxPairs: number;
  threads?: number;
}

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
    .option("--task <id>", "task of every pair when the file does not say (e.g. summarization)")
    .option(
      "--factors <ids>",
      `comma-separated factor ids (\`profilekit factors\` lists them; default: ${deterministicFactorIds.join(",")})`,
    )
    .option(
      "--option <factor.key=value>",
      "a factor option, repeatable, e.g. length.unit=chars",
      collect,
      [],
    );
  addScoringOptions(command)
    .option("--seed <n>", "seed for resampling and any randomised mapping", integerIn(0, 2 ** 31 - 1), 1)
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
      `threads that read and measure the rule-based factors of a canonical .jsonl, this one included (default: up to ${maxAutoThreads} for files over ${threadedMinBytes >> 20} MB, else 1; the outputs are the same bytes either way)`,
      integerIn(1, 64),
    )
    .option("-q, --quiet", "print nothing but errors")
    .option(
      "--extractor <model>",
      "the model that measures model-extracted factors, e.g. openai:gpt-4o-mini",
    );
  addExtractionOptions(command);
  addModelOptions(command);
  return command.addHelpText("after", examples).action((file: string | undefined, flags: AnalyzeFlags) => {
    if (flags.run !== undefined) {
      if (file !== undefined) {
        throw new ProfilekitError("invalid_option", "give either a file of pairs or --run <dir>, not both", {
          hint: "--run re-scores a run folder's own labels and manifestations",
        });
      }
      return rescore(io, flags.run, flags);
    }
    if (file === undefined) {
      throw new ProfilekitError("missing_argument", "analyze needs a file of pairs (or --run <dir>)", {
        hint: "e.g. profilekit analyze pairs.jsonl; see profilekit analyze --help",
      });
    }
    return analyze(registry, io, file, flags);
  });
}

/** --run: the profile of an existing run folder again, with this command's scoring flags. */
async function rescore(io: CliIo, runDir: string, flags: AnalyzeFlags): Promise<void> {
  const profile = await rescoreRun(
    runDir,
    scoringFrom(flags),
    flags.attributionMaxPairs === 0
      ? false
      : { maxPairs: flags.attributionMaxPairs, bootstrap: attributionDefaults.bootstrap },
  );
  const outDir = flags.out ?? runDir;
  await mkdir(outDir, { recursive: true });
  const files = await writeProfileFiles(outDir, profile, ProfileSchema.loose());
  if (flags.quiet) return;
  io.stdout.write(`${renderProfileTable(profile)}\n`);
  io.stderr.write(`re-scored ${runDir} without model calls; wrote ${files.join(", ")} to ${outDir}\n`);
}

async function analyze(
  registry: PluginRegistry,
  io: CliIo,
  file: string,
  flags: AnalyzeFlags,
): Promise<void> {
  const chosen = selectFactors(
    registry,
    parseFactorList(flags.factors ?? deterministicFactorIds.join(",")),
    flags.option,
  );
  const { factors, skipped: skippedFactors } = withoutModelFactorsUnlessModel(chosen, flags.extractor);
  if (skippedFactors.length > 0) {
    io.stderr.write(
      `skipping ${skippedFactors.join(", ")}: measured by a language model, and none is configured. ` +
        "Add --extractor openai:gpt-4o-mini (or anthropic:claude-sonnet-4-5; for a local server set " +
        "OPENAI_BASE_URL=http://127.0.0.1:8000/v1 and use --extractor openai:<model>).\n",
    );
  }
  if (factors.length === 0) {
    throw new ProfilekitError("no_factors", "no factor is left to measure", {
      hint: "add a factor that needs no model (e.g. --factors length), or configure a model with --extractor",
    });
  }
  const read = readOptionsFrom(flags);
  const scoring = scoringFrom(flags);
  const usage = new UsageTracker();
  const extraction = createExtraction(flags.extractor, flags, usage, flags.seed);
  try {
    if (flags.dryRun) {
      await dryRun(io, file, read, factors, extraction);
      return;
    }
    const outDir =
      flags.out ??
      join(
        "runs",
        basename(file)
          .replace(/(\.gz)?$/, "")
          .replace(/\.[^.]+$/, ""),
      );
    const progress = createProgress(io.stderr, "pairs", !flags.quiet);
    const started = performance.now();
    const reader = readPairs(file, read);
    const result = await runAnalysis({
      pairs: reader,
      inputName: file,
      factors,
      outDir,
      scoring,
      attribution:
        flags.attributionMaxPairs === 0
          ? false
          : { maxPairs: flags.attributionMaxPairs, bootstrap: attributionDefaults.bootstrap },
      ...(extraction ? { modelExtractor: extraction.extractor, batchSize: modelBatchSize } : {}),
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
      onProgress: (done) => progress.update(done),
    });
    progress.done();
    const profile = {
      ...result.profile,
      ...(skippedFactors.length > 0 ? { skippedFactors } : {}),
      ...(extraction ? { extraction: extractionSummary(extraction.extractor.stats()) } : {}),
    };
    const files = [...(await writeProfileFiles(outDir, profile, AnalyzeProfileSchema)), ...result.files];
    const manifest = {
      ...describeRun({
        command: "analyze",
        input: file,
        read,
        factors,
        scoring,
        profile: result.profile,
        skipped: reader.skipped,
      }),
      ...(skippedFactors.length > 0 ? { skippedFactors } : {}),
      ...(extraction
        ? {
            models: { extractor: extraction.client.modelName },
            extraction: extraction.extractor.stats(),
            usage: usage.report(),
          }
        : {}),
    };
    await writeFileAtomic(join(outDir, "manifest.json"), toJsonFile(manifest));
    files.push("manifest.json");
    if (flags.quiet) return;
    io.stdout.write(`${renderProfileTable(result.profile)}\n`);
    if (extraction)
      io.stdout.write(
        `\n${formatExtraction(extraction.extractor.stats())}\n${formatUsage(usage.report())}\n`,
      );
    if (reader.skipped.count > 0) io.stderr.write(`${formatSkipReport(reader.skipped)}\n`);
    const seconds = (performance.now() - started) / 1000;
    const threads = result.threads > 1 ? `, ${result.threads} threads` : "";
    io.stderr.write(`wrote ${files.join(", ")} to ${outDir} (${seconds.toFixed(1)} s${threads})\n`);
  } finally {
    await extraction?.client.close();
  }
}

/**
 * Pairs per batch when a model extracts: every call of a batch is issued at once and the
 * client's scheduler bounds concurrency, so a large batch keeps the scheduler full.
 */
const modelBatchSize = 2048;

/** How the model extracted, without the figures that depend on what the cache held (those are in manifest.json). */
const ExtractionSummarySchema = ExtractionStatsSchema.pick({
  mode: true,
  bothOrders: true,
  sourcesCut: true,
  factors: true,
});
const extractionSummary = (stats: ExtractionStats) => ExtractionSummarySchema.parse(stats);

/** profile.json of analyze: the shared schema plus what was skipped and how the model extracted. */
const AnalyzeProfileSchema = ProfileSchema.extend({
  skippedFactors: z.array(z.string()).optional(),
  extraction: ExtractionSummarySchema.optional(),
});

/** Model factors stay only when a model will measure them; the rest are reported, never dropped silently. */
function withoutModelFactorsUnlessModel(chosen: readonly SelectedFactor[], extractor: string | undefined) {
  if (extractor !== undefined) return { factors: [...chosen], skipped: [] as string[] };
  return {
    factors: chosen.filter(({ plugin }) => !isModelExtracted(plugin)),
    skipped: chosen.filter(({ plugin }) => isModelExtracted(plugin)).map(({ plugin }) => plugin.id),
  };
}

/** --dry-run: reads the pairs and prices the extraction calls; nothing is called or written. */
async function dryRun(
  io: CliIo,
  file: string,
  read: ReadPairsOptions,
  factors: readonly SelectedFactor[],
  extraction: Extraction | undefined,
): Promise<void> {
  const pairs = [];
  for await (const pair of readPairs(file, read)) pairs.push(pair);
  const modelFactors = factors.filter(({ plugin }) => isModelExtracted(plugin)).map(({ plugin }) => plugin);
  if (!extraction || modelFactors.length === 0) {
    io.stdout.write(`dry run: ${pairs.length} pairs; no factor calls a model, so the run costs nothing\n`);
    return;
  }
  const requests = await extraction.plan(modelFactors, pairs);
  io.stdout.write(
    `${formatEstimate(`dry run: ${pairs.length} pairs x ${modelFactors.length} model factors`, extraction.client.estimate(requests))}\n`,
  );
}

/** One line on how extraction went: calls, cache, failures, cut sources, position consistency. */
function formatExtraction(stats: ExtractionStats): string {
  const consistency = Object.entries(stats.factors)
    .filter(([, factor]) => factor.positionConsistency?.rate != null)
    .map(([id, factor]) => `${id} ${(factor.positionConsistency!.rate! * 100).toFixed(0)}%`);
  return [
    `extraction (${stats.mode}${stats.bothOrders ? ", both orders" : ""}): ${stats.calls} calls, ${stats.cacheHits} from the cache, ${stats.failures} failed` +
      (stats.sourcesCut.count > 0
        ? `; ${stats.sourcesCut.count} sources cut to ${stats.sourcesCut.maxChars} chars`
        : ""),
    ...(consistency.length > 0 ? [`position consistency: ${consistency.join(", ")}`] : []),
  ].join("\n");
}
