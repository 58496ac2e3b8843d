import { defaultPermutations } from "@profilekit/core";
import {
  bundledValidationNames,
  estimateValidate,
  qaFeedbackMappings,
  summevalMappings,
  type ValidateRequest,
  validate,
  validationDatasetOf,
} from "@profilekit/runner";
import { formatDryRun, formatSkippedFactors, formatUsage, renderValidation } from "@profilekit/report";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { addModelOptions, type ModelFlags } from "../model-options.js";
import { collect, integerIn } from "../option-parsers.js";
import { addFactorOptions, type ExtractionFlags, type FactorFlags } from "../profile-options.js";
import { factorStageFieldsOf, stageProgress } from "../stage-command.js";

interface ValidateFlags extends ModelFlags, ExtractionFlags, FactorFlags {
  readonly dataset?: string[];
  readonly mappings?: string;
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
  readonly out?: string;
  readonly quiet?: boolean;
}

const describe = (m: (typeof summevalMappings)[number]) =>
  `  ${`${m.factor}${m.role === "proxy" ? " (proxy)" : ""}`.padEnd(24)} ~ ${m.labels.join(" + ")}${m.direction === "reversed" ? ", reversed" : ""}`;

const guide = `
Mappings (a factor's value on each response against what people rated or marked):
 summeval: experts' mean ratings, 1-5; summary-level (within each article, averaged)
${summevalMappings.map(describe).join("\n")}
 qa-feedback: people's error spans and missing information on answer 1; item-level
${qaFeedbackMappings.map(describe).join("\n")}
 reversed: more of the factor should mean less of the label, so its value is negated
 and a positive figure always means agreement. (proxy): a factor that needs no model
 standing in under its own name; it measures something else (docs/validation.md).

How to read the figures (summary-level Spearman, item-level tau_b and AUC, their intervals, the
reference figures) and the caveats per mapping: docs/validation.md.

Examples:
  $ profilekit validate                               # the rule factors' proxies, no model
  $ profilekit validate --extractor openai:gpt-4o-mini --dataset summeval --out runs/validate
  $ profilekit validate --dataset mine.jsonl --mappings summeval --factors readability

Output (with --out DIR): validation.json (figures, intervals, counts and notes per mapping),
measurements.jsonl, evidence.jsonl (what a model read) and manifest.json.
${modelRunExitCodes}`;

export function validateCommand(io: CliIo): Command {
  const command = new Command("validate")
    .summary("check factor extractors against human factor-level labels (SummEval, QA-Feedback)")
    .description(
      "Measure each factor on responses people rated or marked, and report how well its values agree " +
        "with their labels, with clustered 95% intervals, before a study relies on it.",
    )
    .option(
      "--dataset <name|file>",
      `${bundledValidationNames.join(", ")} (bundled), or a file of validation items; repeatable (default: both bundled)`,
      collect,
    )
    .option(
      "--mappings <name|file>",
      "for a --dataset file: the table of a bundled dataset, or a JSON file of mappings",
    )
    .option("--bootstrap <B>", "bootstrap resamples for the 95% CI (0: none)", integerIn(0, 1_000_000), 1000)
    .option(
      "--permutations <R>",
      "sign-flip patterns for the CI with 6 to 29 clusters",
      integerIn(1, 1_000_000),
      defaultPermutations,
    )
    .option("--seed <n>", "seed of every random choice", integerIn(0, 2 ** 31 - 1), 1)
    .option("--out <dir>", "write validation.json, measurements.jsonl and manifest.json there")
    .option("-q, --quiet", "print nothing but errors");
  addFactorOptions(command, "every mapped factor; the model ones with --extractor");
  addModelOptions(command);
  return command.addHelpText("after", guide).action((flags: ValidateFlags) => runValidate(io, flags));
}

async function runValidate(io: CliIo, flags: ValidateFlags): Promise<void> {
  const datasets = flags.dataset?.map((name) => validationDatasetOf(name, flags.mappings));
  const request: ValidateRequest = {
    ...(datasets === undefined ? {} : { datasets }),
    ...factorStageFieldsOf(flags, io),
    bootstrap: flags.bootstrap,
    permutations: flags.permutations,
    seed: flags.seed,
    ...(flags.out === undefined ? {} : { out: flags.out }),
  };
  if (flags.dryRun) {
    const { items, modelFactors, dryRun } = await estimateValidate(request);
    io.stdout.write(`${formatDryRun(`dry run: ${items} items x ${modelFactors} model factors`, dryRun)}\n`);
    return;
  }
  const { onProgress, progress } = stageProgress(io, flags);
  const result = await validate({ ...request, onProgress });
  progress.done();
  io.stderr.write(formatSkippedFactors(result.skippedFactors));
  if (flags.quiet) return;
  io.stdout.write(`${renderValidation(result.validation)}\n`);
  if (result.usage) io.stdout.write(`\n${formatUsage(result.usage)}\n`);
  if (flags.out !== undefined) io.stderr.write(`wrote ${result.files.join(", ")} to ${flags.out}\n`);
}
