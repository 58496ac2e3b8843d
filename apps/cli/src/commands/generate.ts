import { formatDryRun, renderGenerationSummary } from "@profilekit/report";
import { estimateGenerate, generate } from "@profilekit/runner";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { addModelOptions } from "../model-options.js";
import { integerIn } from "../option-parsers.js";
import { addReadOptions } from "../pair-input.js";
import { addProfileOptions } from "../profile-options.js";
import {
  defaultRunFolder,
  reportStage,
  type StageCommandFlags,
  stageProgress,
  stageRequestOf,
} from "../stage-command.js";

interface GenerateFlags extends StageCommandFlags {
  readonly levels: number;
  readonly limit?: number;
  readonly selfCheck?: boolean;
  readonly delta: number;
}

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

Output (--out DIR, default runs/<file>-generate; docs/settings.md): profile.json (with
"generation": inputs, levels, responses, dropped, pairs), profile.csv, responses.jsonl (every
text with its level, seed and self-score, kept or why not), pairs.jsonl, labels.jsonl,
manifestations.jsonl and manifest.json.

${modelRunExitCodes}
Docs: docs/settings.md`;

export function generateCommand(io: CliIo): Command {
  const command = new Command("generate")
    .summary("a model writes responses at K quality levels: the factor profile of its own ranking")
    .description(
      "The generation setting: a model writes K responses to each input, aimed at scores 1..K;\n" +
        "pairs of them, the higher-aimed preferred, give the factor profile of what it thinks is better.",
    )
    .argument("<inputs>", "pairs whose inputs are used: a file, or a dataset folder with --preset")
    .requiredOption("--model <id>", "the writer, e.g. openai:gpt-4o-mini, anthropic:claude-haiku-4-5")
    .option(
      "--task <id>",
      "the task of every pair, whose generation prompt is used (default: the pairs' own task)",
    )
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
    await runGenerate(io, file, flags);
  });
}

async function runGenerate(io: CliIo, file: string, flags: GenerateFlags): Promise<void> {
  const selfCheck = flags.selfCheck ? { delta: flags.delta } : undefined;
  const request = {
    ...stageRequestOf(file, flags, io),
    levels: flags.levels,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(selfCheck ? { selfCheck } : {}),
  };
  if (flags.dryRun) {
    const { inputs, levels, dryRun } = await estimateGenerate(request);
    io.stdout.write(`${formatDryRun(`dry run: ${inputs} inputs × ${levels} levels`, dryRun)}\n`);
    return;
  }
  const outDir = flags.out ?? defaultRunFolder(file, "generate");
  const { onProgress, progress } = stageProgress(io, flags);
  const result = await generate({ ...request, out: outDir, onProgress });
  progress.done();
  if (flags.quiet) return;
  io.stdout.write(`${renderGenerationSummary(result, selfCheck)}\n\n`);
  reportStage(io, result.skipped, result, outDir);
}
