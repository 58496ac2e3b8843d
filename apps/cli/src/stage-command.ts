import type { PluginRegistry, Profile } from "@profilekit/core";
import { formatSkipReport } from "@profilekit/data";
import type { UsageReport } from "@profilekit/llm";
import type { TaskAdapter } from "@profilekit/spec";
import type { SelectedFactor } from "./factor-selection.js";
import type { CliIo } from "./io.js";
import type { ModelStageRequest } from "./model-stage.js";
import type { ModelFlags } from "./model-options.js";
import { type ReadFlags, readOptionsFrom, readStagePairs, type StagePairs } from "./pair-input.js";
import { type ProfileFlags, scoringFrom } from "./profile-options.js";
import { renderProfileTable } from "./profile-table.js";
import { createStepProgress, type StepProgress } from "./progress.js";
import { resolveRunTask, selectRunFactors } from "./task-selection.js";
import { formatUsage } from "./usage-summary.js";

/** The flags every model-stage command (`judge`, `generate`) has. */
export interface StageCommandFlags extends ReadFlags, ModelFlags, ProfileFlags {
  readonly model: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

/** A model-stage command's input: its pairs, their task and the factors to profile. */
export interface StageCommandInput {
  readonly input: StagePairs;
  readonly task: TaskAdapter;
  readonly factors: SelectedFactor[];
}

/** Reads the pairs of `file` in full, resolves their task and selects the factors of the flags. */
export async function readStageCommandInput(
  registry: PluginRegistry,
  file: string,
  flags: StageCommandFlags,
): Promise<StageCommandInput> {
  const input = await readStagePairs(file, readOptionsFrom(flags));
  const task = resolveRunTask(registry, input.pairs, file);
  const factors = selectRunFactors(registry, task, {
    factors: flags.factors,
    options: flags.option,
    extractor: flags.extractor,
  });
  return { input, task, factors };
}

/** What a --dry-run estimate leaves out when --extractor is given. */
export const extractorNotEstimated =
  "the --extractor calls are not in this estimate (they depend on the factors' prompts)\n";

/**
 * The request fields every model stage takes from its command's flags, with a progress
 * line on stderr (none with --quiet); call `progress.done()` when the stage has finished.
 */
export function stageRequestFrom(
  io: CliIo,
  { input, task, factors }: StageCommandInput,
  flags: StageCommandFlags,
  outDir: string,
): { request: ModelStageRequest; progress: StepProgress } {
  const progress = createStepProgress(io.stderr, !flags.quiet);
  const request: ModelStageRequest = {
    input,
    task,
    factors,
    scoring: scoringFrom(flags),
    model: { id: flags.model, flags },
    ...(flags.extractor !== undefined ? { extractor: { id: flags.extractor, flags } } : {}),
    outDir,
    onProgress: progress.update,
  };
  return { request, progress };
}

/** Prints a finished stage: its profile table and usage on stdout, skipped records and the files written on stderr. */
export function reportStage(
  io: CliIo,
  input: StagePairs,
  stage: { readonly profile: Profile; readonly usage: UsageReport; readonly files: readonly string[] },
  outDir: string,
): void {
  io.stdout.write(`${renderProfileTable(stage.profile)}\n\n${formatUsage(stage.usage)}\n`);
  if (input.skipped.count > 0) io.stderr.write(`${formatSkipReport(input.skipped)}\n`);
  io.stderr.write(`wrote ${stage.files.join(", ")} to ${outDir}\n`);
}
