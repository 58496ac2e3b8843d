import { formatDryRun, renderJudgeSummary } from "@profilekit/report";
import { estimateJudge, judge } from "@profilekit/runner";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { addModelOptions } from "../model-options.js";
import { addReadOptions } from "../pair-input.js";
import { addProfileOptions } from "../profile-options.js";
import {
  defaultRunFolder,
  reportStage,
  type StageCommandFlags,
  stageProgress,
  stageRequestOf,
} from "../stage-command.js";

interface JudgeFlags extends StageCommandFlags {
  readonly allowTies?: boolean;
}

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

Output (--out DIR, default runs/<file>-judge; docs/settings.md): profile.json (the model's
profile with "agreement" and "agreementStatistics": counts, intervals, single-factor
baselines), profile.csv, judgements.jsonl (both verdicts of every pair), labels.jsonl,
manifestations.jsonl, pairs.jsonl and manifest.json (flags, seeds, models, usage and cost).

Factors (default): the task's factors that need no model and its classical
measures; with --extractor, also the task's model-extracted factors, measured by
that model. Their calls show no label, so they come from the cache when analyze
has measured the same pairs with the same extractor.

${modelRunExitCodes}
Docs: docs/settings.md`;

export function judgeCommand(io: CliIo): Command {
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
    .option(
      "--task <id>",
      "the task of every pair, whose judge prompt is used (default: the pairs' own task)",
    )
    .option("--allow-ties", "let the model answer tie")
    .option("--out <dir>", "output folder (default: runs/<file name>-judge)")
    .option("-q, --quiet", "print nothing but errors");
  addReadOptions(command);
  addProfileOptions(command);
  addModelOptions(command);
  return command.addHelpText("after", examples).action(async (file: string, flags: JudgeFlags) => {
    await runJudge(io, file, flags);
  });
}

async function runJudge(io: CliIo, file: string, flags: JudgeFlags): Promise<void> {
  const request = { ...stageRequestOf(file, flags, io), allowTies: flags.allowTies === true };
  if (flags.dryRun) {
    const { pairs, dryRun } = await estimateJudge(request);
    io.stdout.write(`${formatDryRun(`dry run: judging ${pairs} pairs in both orders`, dryRun)}\n`);
    return;
  }
  const outDir = flags.out ?? defaultRunFolder(file, "judge");
  const { onProgress, progress } = stageProgress(io, flags);
  const result = await judge({ ...request, out: outDir, onProgress });
  progress.done();
  if (flags.quiet) return;
  io.stdout.write(`${renderJudgeSummary(result)}\n\n`);
  reportStage(io, result.skipped, result, outDir);
}
