import { type PluginRegistry, ProfileSchema } from "@profilekit/core";
import { formatSkipReport, readPairs } from "@profilekit/data";
import { UsageTracker } from "@profilekit/llm";
import { Command } from "commander";
import { runAnalysis } from "../analysis.js";
import type { CliIo } from "../io.js";
import {
  type Judgement,
  type JudgeAgreement,
  JudgeAgreementSchema,
  judgeAgreement,
  judgeEstimateRequests,
  judgePairs,
  planJudgeCalls,
  relabel,
} from "../judging.js";
import { createExtraction } from "../model-extraction.js";
import { addModelOptions, createClient, type ModelFlags } from "../model-options.js";
import { addReadOptions, type ReadFlags, readAllPairs, readOptionsFrom } from "../pair-input.js";
import { addProfileOptions, type ProfileFlags, scoringFrom } from "../profile-options.js";
import { renderProfileTable } from "../profile-table.js";
import { createProgress } from "../progress.js";
import { writeProfileFiles } from "../run-files.js";
import { defaultRunFolder, writeJsonFile, writePairsFile, writeRecordsFile } from "../run-folder.js";
import { describeRun } from "../run-manifest.js";
import { resolveRunTask, selectRunFactors, taskPrompt } from "../task-selection.js";
import { formatEstimate, formatUsage } from "../usage-summary.js";
import { packageVersions } from "../versions.js";

interface JudgeFlags extends ReadFlags, ModelFlags, ProfileFlags {
  readonly model: string;
  readonly allowTies?: boolean;
  readonly out?: string;
  readonly quiet?: boolean;
}

/** profile.json of the evaluation setting: the model's profile, and its agreement with the human labels. */
export const JudgeProfileSchema = ProfileSchema.extend({ agreement: JudgeAgreementSchema });

/** Output tokens assumed per judge call by --dry-run: the answer is one small JSON object. */
const judgeOutputTokens = 16;

const examples = `
Examples:
  # judge a shared dataset through its preset (OPENAI_API_KEY set)
  $ profilekit judge ../shared/data/summ_news_pairwise_zhang2023 --preset summ-news \\
      --model openai:gpt-4o-mini --out runs/summ-news-judge

  # with ties allowed, and the model factors measured by a fixed extractor
  $ profilekit judge pairs.jsonl --task summarization --model anthropic:claude-haiku-4-5 \\
      --allow-ties --extractor openai:gpt-4o-mini

  # what it would cost, calling nothing
  $ profilekit judge pairs.jsonl --model openai:gpt-4o --dry-run

The evaluation setting (PROFILE): the model judges every pair with the task's
judge prompt, which names no factor. Each pair is asked in both orders, (a, b)
and (b, a); which order is asked first is drawn from --seed and the pair id.
Once the second verdict is turned back, two agreeing verdicts give the label,
two disagreeing ones a tie (the choice followed the position). A tie verdict is
possible only with --allow-ties. A pair whose call failed has no model label: it
is counted, and left out of the agreement and the profile.

Output (in --out DIR, default runs/<file>-judge):
  profile.json          the model's factor profile (as analyze's) plus
                        "agreement": accuracy (without ties), kappa, positionConsistency, tieRate
  profile.csv           the profile, one row per factor
  judgements.jsonl      per pair: first order, the verdict of each order, the label kept
  labels.jsonl          the model's labels (source "judge:<model>")
  manifestations.jsonl  the factors measured on every pair the model labelled
  pairs.jsonl           the input pairs, in the canonical format
  manifest.json         what ran: flags, seeds, models, prompt versions, counts, usage and cost

Factors (default): the task's factors that need no model and its classical
measures; with --extractor, also the task's model-extracted factors, measured by
that model. Their calls show no label, so they come from the cache when analyze
has measured the same pairs with the same extractor.

Exit codes: 0 ok, 2 bad usage or bad input, 3 the --max-cost budget was reached.
Docs: docs/settings.md`;

export function judgeCommand(registry: PluginRegistry, io: CliIo): Command {
  const command = new Command("judge")
    .summary("a model judges the pairs: its agreement with the humans, and its factor profile")
    .description(
      "The evaluation setting: a model picks the better response of every pair, in both orders.\n" +
        "Reports its agreement with the human labels and the factor profile of its own labels.",
    )
    .argument(
      "<data>",
      "pairs: .jsonl, .json, .csv or .tsv (optionally .gz), or a dataset folder with --preset",
    )
    .requiredOption("--model <id>", "the judge, e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5")
    .option("--task <id>", "the task whose judge prompt is used (default: the pairs' task)")
    .option("--allow-ties", "let the model answer tie")
    .option("--out <dir>", "output folder (default: runs/<file name>-judge)")
    .option("-q, --quiet", "print nothing but errors");
  addReadOptions(command);
  addProfileOptions(command);
  addModelOptions(command);
  return command.addHelpText("after", examples).action(async (file: string, flags: JudgeFlags) => {
    await runJudge(registry, io, file, flags);
  });
}

async function runJudge(registry: PluginRegistry, io: CliIo, file: string, flags: JudgeFlags): Promise<void> {
  const allowTies = flags.allowTies === true;
  const read = readOptionsFrom(flags);
  const reader = readPairs(file, read);
  const pairs = await readAllPairs(reader, file);
  const task = resolveRunTask(registry, pairs, file);
  const template = taskPrompt(task, "judge");
  const factors = selectRunFactors(registry, task, {
    factors: flags.factors,
    options: flags.option,
    extractor: flags.extractor,
  });
  const plan = planJudgeCalls(pairs, template, { allowTies, seed: flags.seed });

  const usage = new UsageTracker();
  const client = createClient(flags.model, flags, { usage });
  const extraction = createExtraction(flags.extractor, flags, usage, flags.seed);
  try {
    if (flags.dryRun) {
      const estimate = client.estimate(judgeEstimateRequests(plan), {
        outputTokensPerCall: judgeOutputTokens,
      });
      io.stdout.write(
        `${formatEstimate(`dry run: judging ${pairs.length} pairs in both orders`, estimate)}\n`,
      );
      if (extraction)
        io.stdout.write(
          "the --extractor calls are not in this estimate (they depend on the factors' prompts)\n",
        );
      return;
    }
    const outDir = flags.out ?? defaultRunFolder(file, "judge");
    const progress = createProgress(io.stderr, "pairs judged", !flags.quiet);
    const judgements = await judgePairs(plan, client, (done) => progress.update(done));
    progress.done();
    const { agreement, detail } = judgeAgreement(judgements);
    const modelLabels = relabel(pairs, judgements);
    const scoring = scoringFrom(flags);
    const profiling = createProgress(io.stderr, "pairs profiled", !flags.quiet);
    const result = await runAnalysis({
      pairs: modelLabels,
      inputName: `${file} (labels of ${client.modelName})`,
      labelSource: `judge:${client.modelName}`,
      factors,
      scoring,
      outDir,
      ...(extraction ? { modelExtractor: extraction.extractor } : {}),
      onProgress: (done) => profiling.update(done),
    });
    profiling.done();
    const profile = { ...result.profile, agreement };
    const counts = judgeCounts(judgements);
    const files = [
      ...(await writeProfileFiles(outDir, profile, JudgeProfileSchema)),
      ...result.files,
      await writeRecordsFile(outDir, "judgements.jsonl", judgements),
      await writePairsFile(outDir, pairs),
    ];
    const base = describeRun({
      command: "judge",
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
          judge: client.modelName,
          ...(extraction ? { extractor: extraction.client.modelName } : {}),
        },
        judge: {
          task: task.id,
          prompt: { id: template.id, version: template.version },
          allowTies,
          temperature: 0,
          orders: "both; the first drawn per pair from the seed and the pair id",
        },
        counts: { ...base.counts, ...counts },
        agreement: { ...agreement, ...detail },
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
    io.stdout.write(`${summarize(client.modelName, task.id, template.version, counts, agreement)}\n\n`);
    io.stdout.write(`${renderProfileTable(result.profile)}\n\n${formatUsage(client.usage())}\n`);
    if (reader.skipped.count > 0) io.stderr.write(`${formatSkipReport(reader.skipped)}\n`);
    io.stderr.write(`wrote ${files.join(", ")} to ${outDir}\n`);
  } finally {
    await client.close();
    await extraction?.client.close();
  }
}

/** The counts of manifest.json's judge run. */
function judgeCounts(judgements: readonly Judgement[]) {
  const labelled = judgements.filter((j) => j.label !== null);
  return {
    inputPairs: judgements.length,
    judged: labelled.length,
    failed: judgements.length - labelled.length,
    modelTies: labelled.filter((j) => j.label === "tie").length,
    inconsistent: labelled.filter((j) => j.consistent === false).length,
    firstOrder: {
      original: judgements.filter((j) => j.firstOrder === "original").length,
      swapped: judgements.filter((j) => j.firstOrder === "swapped").length,
    },
  };
}

const figure = (value: number | null): string => (value === null ? "—" : value.toFixed(4));

function summarize(
  model: string,
  task: string,
  promptVersion: string,
  counts: ReturnType<typeof judgeCounts>,
  agreement: JudgeAgreement,
): string {
  return [
    `${model} judged ${counts.inputPairs} pairs (${task}, prompt ${promptVersion}) in both orders: ` +
      `${counts.judged} labelled, ${counts.failed} without a label (a call failed)`,
    "agreement with the human labels:",
    `  accuracy without ties  ${figure(agreement.accuracy)}`,
    `  Cohen's kappa          ${figure(agreement.kappa)}`,
    `  position consistency   ${figure(agreement.positionConsistency)}  (${counts.inconsistent} pairs whose orders disagreed became ties)`,
    `  tie rate (model)       ${figure(agreement.tieRate)}`,
  ].join("\n");
}
