import { formatSkipReport } from "@profilekit/data";
import { basename, join } from "node:path";
import type { Profile } from "@profilekit/core";
import type { JudgeRequest, StageProgress } from "@profilekit/runner";
import type { UsageReport } from "@profilekit/llm";
import { formatUsage, renderProfileTable } from "@profilekit/report";
import type { CliIo } from "./io.js";
import { batchOf, cacheOf, type ModelFlags, modelSpecOf } from "./model-options.js";
import { type ReadFlags, readOf } from "./pair-input.js";
import {
  type ExtractionFlags,
  extractionOf,
  type FactorFlags,
  factorsOf,
  type ScoringFlags,
  scoringOf,
} from "./profile-options.js";
import { createStepProgress, type StepProgress } from "./progress.js";
import { cliVersions } from "./versions.js";

/** The flags every model-stage command (`judge`, `generate`) has. */
export interface StageCommandFlags extends ReadFlags, ModelFlags, ScoringFlags, ExtractionFlags, FactorFlags {
  readonly model: string;
  readonly out?: string;
  readonly quiet?: boolean;
}

/**
 * The request fields of the factor and model flags, for every command that measures factors: the
 * factors and their options, the extractor and how it is asked, the cache, --max-failures, Ctrl-C.
 */
export function factorStageFieldsOf(flags: ModelFlags & ExtractionFlags & FactorFlags, io: CliIo) {
  return {
    ...factorsOf(flags),
    ...(flags.extractor === undefined
      ? {}
      : { extractor: modelSpecOf(flags.extractor, flags), extraction: extractionOf(flags) }),
    cache: cacheOf(flags),
    ...batchOf(flags),
    maxFailures: flags.maxFailures,
    ...(io.signal ? { signal: io.signal } : {}),
    provenance: { versions: cliVersions },
  };
}

/** The request fields every model stage takes from its command's flags. */
export function stageRequestOf(file: string, flags: StageCommandFlags, io: CliIo) {
  return {
    pairs: file,
    read: readOf(flags),
    ...scoringOf(flags),
    model: modelSpecOf(flags.model, flags),
    ...factorStageFieldsOf(flags, io),
  } satisfies Partial<JudgeRequest>;
}

/** A progress line on stderr for a stage (none with --quiet); call `done()` when the stage has finished. */
export function stageProgress(
  io: CliIo,
  flags: { quiet?: boolean },
): { onProgress: StageProgress; progress: StepProgress } {
  const progress = createStepProgress(io.stderr, !flags.quiet);
  return { onProgress: ({ step, done, total }) => progress.update(step, done, total), progress };
}

/** Prints a finished stage: its profile table and usage on stdout, skipped records and the files written on stderr. */
export function reportStage(
  io: CliIo,
  skipped: Parameters<typeof formatSkipReport>[0],
  stage: { readonly profile: Profile; readonly usage: UsageReport; readonly files: readonly string[] },
  outDir: string,
): void {
  io.stdout.write(`${renderProfileTable(stage.profile)}\n\n${formatUsage(stage.usage)}\n`);
  if (skipped.count > 0) io.stderr.write(`${formatSkipReport(skipped)}\n`);
  io.stderr.write(`wrote ${stage.files.join(", ")} to ${outDir}\n`);
}

/** `runs/<file name without extensions>[-<setting>]`, the default --out of analyze and a model setting. */
export function defaultRunFolder(file: string, setting?: string): string {
  const name = basename(file)
    .replace(/(\.gz)?$/, "")
    .replace(/\.[^.]+$/, "");
  return join("runs", setting === undefined ? name : `${name}-${setting}`);
}
