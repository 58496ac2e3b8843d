import { type PluginRegistry, ProfileSchema } from "@profilekit/core";
import { formatSkipReport, readPairs } from "@profilekit/data";
import { UsageTracker } from "@profilekit/llm";
import { Command } from "commander";
import { z } from "zod";
import { runAnalysis } from "../analysis.js";
import {
  distinctInputs,
  formPairs,
  generateResponses,
  planGeneration,
  type ResponseRecord,
} from "../generation.js";
import type { CliIo } from "../io.js";
import { createExtraction } from "../model-extraction.js";
import { addModelOptions, createClient, type ModelFlags } from "../model-options.js";
import { integerIn } from "../option-parsers.js";
import { addReadOptions, type ReadFlags, readAllPairs, readOptionsFrom } from "../pair-input.js";
import { addProfileOptions, type ProfileFlags, scoringFrom } from "../profile-options.js";
import { renderProfileTable } from "../profile-table.js";
import { createProgress } from "../progress.js";
import { writeProfileFiles } from "../run-files.js";
import { defaultRunFolder, writeJsonFile, writePairsFile, writeRecordsFile } from "../run-folder.js";
import { describeRun } from "../run-manifest.js";
import { selfScorePrompt } from "../self-score-prompt.js";
import { resolveRunTask, selectRunFactors, taskPrompt } from "../task-selection.js";
import { formatEstimate, formatUsage } from "../usage-summary.js";
import { packageVersions } from "../versions.js";

interface GenerateFlags extends ReadFlags, ModelFlags, ProfileFlags {
  readonly model: string;
  readonly levels: number;
  readonly limit?: number;
  readonly selfCheck?: boolean;
  readonly delta: number;
  readonly out?: string;
  readonly quiet?: boolean;
}

const count = z.number().int().nonnegative();

/** profile.json's `generation`: what was written and kept. */
export const GenerationSummarySchema = z.object({
  /** Distinct inputs written for. */
  inputs: count,
  /** K: responses asked per input, aimed at scores 1..K. */
  levels: z.number().int().min(2),
  /** Responses written (calls that returned a non-empty text). */
  responses: count,
  /** Responses the self-check dropped (off target, or could not be scored); 0 without --self-check. */
  dropped: count,
  /** Pairs formed from the kept responses: C(kept, 2) per input. */
  pairs: count,
});

/** profile.json of the generation setting: the profile of the generated pairs, and what they came from. */
export const GenerationProfileSchema = ProfileSchema.extend({ generation: GenerationSummarySchema });

/** Output tokens assumed per self-score call by --dry-run. */
const selfScoreOutputTokens = 16;

const examples = `
Examples:
  # 5 summaries per document of the first 20 documents, aimed at scores 1..5
  $ profilekit generate ../shared/data/summ_news_pairwise_zhang2023 --preset summ-news \\
      --model openai:gpt-4o-mini --levels 5 --limit 20 --out runs/summ-news-gen

  # keep only responses the model itself scores within 1 of their target
  $ profilekit generate pairs.jsonl --model openai:gpt-4o-mini --self-check --delta 1

  # what it would cost, calling nothing
  $ profilekit generate pairs.jsonl --model openai:gpt-4o --levels 4 --dry-run

The generation setting (PROFILE): for every distinct input of the pairs (the
same source and prompt the humans judged), the model writes K responses with
the task's generation prompt, each aimed at a quality score s = 1..K (one call
per level, seeded by --seed, the input and the level). Every two responses of
an input form a pair, and the one written for the higher score is preferred.
Which of the two is shown as a is a seeded coin per pair, so labels are a and
b about equally often. With --self-check the model also scores each response
1..K; a response scored more than --delta away from its target (or that could
not be scored) is dropped, and pairs are formed from the rest.

Output (in --out DIR, default runs/<file>-generate):
  profile.json          the generation profile (as analyze's) plus
                        "generation": inputs, levels, responses, dropped, pairs
  profile.csv           the profile, one row per factor
  responses.jsonl       per input and level: the text, seed, self-score, kept or why not
  pairs.jsonl           the generated pairs, in the canonical format (meta: levelA, levelB)
  labels.jsonl          their labels (source "generation:<model>")
  manifestations.jsonl  the factors measured on every generated pair
  manifest.json         what ran: flags, seeds, models, prompt versions, counts, usage and cost

Exit codes: 0 ok, 2 bad usage or bad input, 3 the --max-cost budget was reached.
Docs: docs/settings.md`;

export function generateCommand(registry: PluginRegistry, io: CliIo): Command {
  const command = new Command("generate")
    .summary("a model writes responses at K quality levels: the factor profile of its own ranking")
    .description(
      "The generation setting: a model writes K responses to each input, aimed at scores 1..K;\n" +
        "pairs of them, the higher-aimed preferred, give the factor profile of what it thinks is better.",
    )
    .argument("<inputs>", "pairs whose inputs are used: a file, or a dataset folder with --preset")
    .requiredOption("--model <id>", "the writer, e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5")
    .option("--task <id>", "the task whose generation prompt is used (default: the pairs' task)")
    .option("--levels <K>", "responses per input, aimed at scores 1..K", integerIn(2, 20), 5)
    .option("--limit <N>", "only the first N distinct inputs", integerIn(1))
    .option("--self-check", "the model scores its own responses; drop those off their target")
    .option("--delta <d>", "with --self-check: the largest |self-score - target| kept", integerIn(0, 19), 1)
    .option("--out <dir>", "output folder (default: runs/<file name>-generate)")
    .option("-q, --quiet", "print nothing but errors");
  addReadOptions(command);
  addProfileOptions(command);
  addModelOptions(command);
  return command.addHelpText("after", examples).action(async (file: string, flags: GenerateFlags) => {
    await runGenerate(registry, io, file, flags);
  });
}

async function runGenerate(
  registry: PluginRegistry,
  io: CliIo,
  file: string,
  flags: GenerateFlags,
): Promise<void> {
  const read = readOptionsFrom(flags);
  const reader = readPairs(file, read);
  const humanPairs = await readAllPairs(reader, file);
  const task = resolveRunTask(registry, humanPairs, file);
  const template = taskPrompt(task, "generation");
  const factors = selectRunFactors(registry, task, {
    factors: flags.factors,
    options: flags.option,
    extractor: flags.extractor,
  });
  const inputs = distinctInputs(humanPairs, flags.limit);
  const plan = planGeneration(inputs, template, { levels: flags.levels, seed: flags.seed });
  const selfCheck = flags.selfCheck ? { delta: flags.delta } : undefined;

  const usage = new UsageTracker();
  const client = createClient(flags.model, flags, { usage });
  const extraction = createExtraction(flags.extractor, flags, usage, flags.seed);
  try {
    if (flags.dryRun) {
      const estimate = client.estimate(plan.flat().map(({ call }) => call));
      io.stdout.write(
        `${formatEstimate(`dry run: ${inputs.length} inputs × ${flags.levels} levels`, estimate)}\n`,
      );
      if (selfCheck) {
        io.stdout.write(
          `--self-check adds up to ${estimate.requests} self-score calls (about ${selfScoreOutputTokens} output tokens each; ` +
            "their input is the responses, so they are not in this estimate)\n",
        );
      }
      if (extraction)
        io.stdout.write(
          "the --extractor calls are not in this estimate (they depend on the factors' prompts)\n",
        );
      return;
    }
    const outDir = flags.out ?? defaultRunFolder(file, "generate");
    const progress = createProgress(io.stderr, "responses", !flags.quiet);
    const responses = await generateResponses(
      plan,
      client,
      { levels: flags.levels, ...(selfCheck ? { selfCheck } : {}) },
      (done) => progress.update(done),
    );
    progress.done();
    const pairs = inputs.flatMap((input, i) => formPairs(input, responses[i]!, flags.seed));
    const scoring = scoringFrom(flags);
    const profiling = createProgress(io.stderr, "pairs profiled", !flags.quiet);
    const result = await runAnalysis({
      pairs,
      inputName: `pairs generated by ${client.modelName}`,
      labelSource: `generation:${client.modelName}`,
      factors,
      scoring,
      outDir,
      ...(extraction ? { modelExtractor: extraction.extractor } : {}),
      onProgress: (done) => profiling.update(done),
    });
    profiling.done();
    const tally = tallyResponses(responses.flat());
    const generation = {
      inputs: inputs.length,
      levels: flags.levels,
      responses: tally.written,
      dropped: tally.offTarget + tally.unscored,
      pairs: pairs.length,
    };
    const profile = { ...result.profile, generation };
    const files = [
      ...(await writeProfileFiles(outDir, profile, GenerationProfileSchema)),
      ...result.files,
      await writeRecordsFile(outDir, "responses.jsonl", responses.flat()),
      await writePairsFile(outDir, pairs),
    ];
    const base = describeRun({
      command: "generate",
      input: file,
      read,
      factors,
      scoring,
      profile: result.profile,
      skipped: reader.skipped,
    });
    files.push(
      await writeJsonFile(outDir, "manifest.json", {
        ...base,
        models: {
          generator: client.modelName,
          ...(extraction ? { extractor: extraction.client.modelName } : {}),
        },
        generation: {
          task: task.id,
          prompt: { id: template.id, version: template.version },
          levels: flags.levels,
          limit: flags.limit ?? null,
          selfCheck: selfCheck
            ? { delta: selfCheck.delta, prompt: { id: selfScorePrompt.id, version: selfScorePrompt.version } }
            : null,
          seeds:
            "per call: drawn from the seed, the input id and the level; a/b order: a coin per pair from the seed and the pair id",
        },
        counts: {
          ...base.counts,
          humanPairs: humanPairs.length,
          inputs: inputs.length,
          calls: inputs.length * flags.levels,
          ...tally,
          pairsFormed: pairs.length,
        },
        ...(extraction ? { extraction: extraction.extractor.stats() } : {}),
        usage: client.usage(),
        versions: packageVersions([
          "@profilekit/core",
          "@profilekit/data",
          "@profilekit/spec",
          "@profilekit/llm",
          `@profilekit/task-${task.id}`,
        ]),
      }),
    );
    if (flags.quiet) return;
    io.stdout.write(
      `${client.modelName} wrote ${tally.written} of ${inputs.length * flags.levels} responses ` +
        `(${inputs.length} inputs × ${flags.levels} levels, ${task.id}, prompt ${template.version}); ` +
        `${tally.failed} failed` +
        (selfCheck
          ? `; self-check (delta ${selfCheck.delta}) dropped ${tally.offTarget} off target and ${tally.unscored} unscored`
          : "") +
        `; ${pairs.length} pairs\n\n`,
    );
    io.stdout.write(`${renderProfileTable(result.profile)}\n\n${formatUsage(client.usage())}\n`);
    if (reader.skipped.count > 0) io.stderr.write(`${formatSkipReport(reader.skipped)}\n`);
    io.stderr.write(`wrote ${files.join(", ")} to ${outDir}\n`);
  } finally {
    await client.close();
    await extraction?.client.close();
  }
}

function tallyResponses(records: readonly ResponseRecord[]) {
  const of = (status: ResponseRecord["status"]) => records.filter((r) => r.status === status).length;
  const failed = of("failed");
  return {
    written: records.length - failed,
    failed,
    kept: of("kept"),
    offTarget: of("off-target"),
    unscored: of("unscored"),
  };
}
