import type { Profile } from "@profilekit/core";
import { type ReadPairsOptions, readPairs, type SkipReport } from "@profilekit/data";
import { UsageTracker, type UsageReport } from "@profilekit/llm";
import { runAnalysis, type ScoringOptions } from "./analysis.js";
import type { SelectedFactor } from "./factor-selection.js";
import { createExtraction } from "./model-extraction.js";
import type { ModelFlags } from "./model-options.js";
import { writeProfileFiles } from "./run-files.js";
import { writeJsonFile } from "./run-folder.js";
import { describeRun } from "./run-manifest.js";

export interface HumanStageRequest {
  readonly dataPath: string;
  /** The data as manifest.json records it: the path as the config writes it (default: dataPath). */
  readonly dataName?: string;
  readonly read: ReadPairsOptions;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: ScoringOptions;
  readonly outDir: string;
  /** Identifies the inputs of this stage; resume compares it with the one in manifest.json. */
  readonly configHash: string;
  /** The model of the model-extracted factors, when the config has one. */
  readonly extractor?: { readonly id: string; readonly flags: ModelFlags };
  /** Module files of the config's plugins, so worker threads can load its factors too. */
  readonly pluginModules?: readonly string[];
  readonly onProgress?: (pairsDone: number) => void;
}

export interface HumanStageResult {
  readonly profile: Profile;
  readonly skipped: SkipReport;
  readonly usage: UsageReport | undefined;
}

/**
 * The human setting of `profilekit run`: what `analyze` does, on the config's data and
 * factors. Writes profile.json, profile.csv, manifestations.jsonl, labels.jsonl, and last
 * manifest.json (with `setting: "human"` and the stage's `configHash`), so a stage whose
 * manifest.json is present finished.
 */
export async function runHumanStage(request: HumanStageRequest): Promise<HumanStageResult> {
  const reader = readPairs(request.dataPath, request.read);
  const usage = new UsageTracker();
  const extraction = request.extractor
    ? createExtraction(request.extractor.id, request.extractor.flags, usage, request.scoring.seed)
    : undefined;
  try {
    const result = await runAnalysis({
      pairs: reader,
      inputName: request.dataPath,
      factors: request.factors,
      scoring: request.scoring,
      outDir: request.outDir,
      ...(extraction ? { modelExtractor: extraction.extractor } : {}),
      ...(request.pluginModules ? { pluginModules: request.pluginModules } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    await writeProfileFiles(request.outDir, result.profile);
    const report = extraction ? extraction.client.usage() : undefined;
    await writeJsonFile(request.outDir, "manifest.json", {
      ...describeRun({
        command: "run",
        input: request.dataName ?? request.dataPath,
        read: request.read,
        factors: request.factors,
        scoring: request.scoring,
        profile: result.profile,
        skipped: reader.skipped,
      }),
      setting: "human",
      configHash: request.configHash,
      ...(extraction
        ? {
            models: { extractor: extraction.client.modelName },
            extraction: extraction.extractor.stats(),
            usage: report,
          }
        : {}),
    });
    return { profile: result.profile, skipped: reader.skipped, usage: report };
  } finally {
    await extraction?.client.close();
  }
}
