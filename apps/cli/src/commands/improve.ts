import { estimateImprove, type ImproveRequest, improve } from "@profilekit/refine";
import { formatDryRun, renderImprovementFooter, renderImprovementSummary } from "@profilekit/report";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { addModelOptions, modelSpecOf } from "../model-options.js";
import { integerIn } from "../option-parsers.js";
import { addReadOptions } from "../pair-input.js";
import { addProfileOptions } from "../profile-options.js";
import { defaultRunFolder, type StageCommandFlags, stageProgress, stageRequestOf } from "../stage-command.js";

type Options = "method" | "human" | "levels" | "rounds" | "samples" | "from";
type ImproveFlags = StageCommandFlags & Pick<ImproveRequest, Options> & { readonly judge?: string };

export function improveCommand(io: CliIo): Command {
  const command = new Command("improve")
    .summary("improve generation with the model as evaluator, and measure whether it moved towards people")
    .argument("<inputs>", "pairs whose inputs are used: a file, or a dataset folder with --preset")
    .requiredOption("--method <m>", "guided, feedback, self-data, or after (a tuned model)")
    .requiredOption("--model <id>", "the generator (with --method after: the tuned model)")
    .requiredOption("--human <profile>", "the human profile: analyze's folder or its profile.json")
    .option("--task <id>", "the task of every pair (default: the pairs' own task)")
    .option("--judge <id>", "the evaluator of feedback and self-data (default: the generator itself)")
    .option("--levels <K>", "responses per input, aimed at scores 1..K", integerIn(2, 20), 5)
    .option("--rounds <R>", "feedback: the most critique-and-revise rounds", integerIn(1, 10), 2)
    .option("--samples <N>", "self-data: responses sampled per training input", integerIn(2, 20), 4)
    .option("--from <dir>", "after: the self-data run folder (its split and baseline)")
    .option("--out <dir>", "output folder (default: runs/<file name>-improve)")
    .option("-q, --quiet", "print nothing but errors");
  addProfileOptions(addReadOptions(command), "the human profile's");
  addModelOptions(command).addHelpText("after", `\n${modelRunExitCodes}\nDocs: docs/improvement.md`);
  return command.action(async (file: string, flags: ImproveFlags) => {
    const { method, human, levels, rounds, samples, from, judge } = flags;
    const request: ImproveRequest = {
      ...stageRequestOf(file, flags, io),
      ...{ method, human, levels, rounds, samples, ...(from ? { from } : {}) },
      ...(judge ? { evaluator: modelSpecOf(judge, flags) } : {}),
    };
    if (flags.dryRun) {
      const { inputs, dryRun } = await estimateImprove(request);
      return void io.stdout.write(
        `${formatDryRun(`dry run: improve --method ${method}, ${inputs} inputs`, dryRun)}\n`,
      );
    }
    const out = flags.out ?? defaultRunFolder(file, "improve");
    const { onProgress, progress } = stageProgress(io, flags);
    const result = await improve({ ...request, out, onProgress });
    progress.done();
    if (flags.quiet) return;
    io.stdout.write(`${renderImprovementSummary(result)}\n`);
    io.stderr.write(renderImprovementFooter(result, out));
  });
}
