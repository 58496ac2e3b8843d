import type { Profile } from "@profilekit/core";
import type { UsageReport } from "@profilekit/llm";
import type { Pair, TaskAdapter } from "@profilekit/spec";
import type { z } from "zod";
import { type AnalysisResult, runAnalysis, type ScoringOptions } from "./analysis.js";
import type { SelectedFactor } from "./factor-selection.js";
import type { StagePairs } from "./pair-input.js";
import { writeProfileFiles } from "./run-files.js";
import { writeJsonFile, writePairsFile, writeRecordsFile } from "./run-folder.js";
import { describeRun } from "./run-manifest.js";
import {
  modelStageVersions,
  type StageClients,
  type StageExtractor,
  type StageModel,
  type StageProgress,
} from "./stage-models.js";

/** What a model stage (`profilekit judge`, `profilekit generate`, or a setting of `profilekit run`) is asked. */
export interface ModelStageRequest {
  /** The human pairs of the stage: judged, or whose distinct inputs the model writes for. */
  readonly input: StagePairs;
  /** Its prompt for the stage (judge or generation) is shown to the model. */
  readonly task: TaskAdapter;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: ScoringOptions;
  /** The model of the stage: the judge, or the writer. */
  readonly model: StageModel;
  /** Measures the model-extracted factors among `factors`. */
  readonly extractor?: StageExtractor;
  readonly outDir: string;
  /**
   * Set when `profilekit run` runs the stage: manifest.json then has `command: "run"`,
   * the stage's `setting` and this hash, by which a later run finds the stage finished.
   */
  readonly configHash?: string;
  readonly onProgress?: StageProgress;
}

/** What every model stage returns besides its profile and counts. */
export interface ModelStageOutput {
  /** The files written into outDir, manifest.json (written last) included. */
  readonly files: readonly string[];
  /** The stage model's `provider:model`. */
  readonly model: string;
  readonly prompt: { readonly id: string; readonly version: string };
  /** Every call of the stage, the extractor's included. */
  readonly usage: UsageReport;
}

/** Profiles the stage's pairs (labelled by `labelSource`) into outDir, the extractor measuring the model factors. */
export function profileStagePairs(
  request: ModelStageRequest,
  { extraction }: StageClients,
  pairs: readonly Pair[],
  names: { readonly inputName: string; readonly labelSource: string },
): Promise<AnalysisResult> {
  return runAnalysis({
    pairs,
    ...names,
    factors: request.factors,
    scoring: request.scoring,
    outDir: request.outDir,
    ...(extraction ? { modelExtractor: extraction.extractor } : {}),
    onProgress: (done) => request.onProgress?.("pairs profiled", done),
  });
}

/**
 * Writes the stage's profile.json and profile.csv (`profile` checked against `schema`), then
 * its own records file and pairs.jsonl; returns every file of outDir so far, in that order.
 */
export async function writeStageFiles(
  outDir: string,
  written: {
    readonly profile: Profile;
    readonly schema: z.ZodType<Profile>;
    readonly analysis: AnalysisResult;
  },
  records: { readonly name: string; readonly rows: Iterable<unknown> },
  pairs: Iterable<Pair>,
): Promise<string[]> {
  return [
    ...(await writeProfileFiles(outDir, written.profile, written.schema)),
    ...written.analysis.files,
    await writeRecordsFile(outDir, records.name, records.rows),
    await writePairsFile(outDir, pairs),
  ];
}

/** What a stage's manifest.json says beyond what every run's does. */
export interface StageManifest {
  /** The command when run on its own ("judge", "generate"); under `profilekit run`, "run". */
  readonly command: string;
  /** The setting `profilekit run` records ("evaluation", "generation"). */
  readonly setting: string;
  /** The profile of the stage's pairs, as the analysis scored it. */
  readonly profile: Profile;
  /** The stage model's key in `models` ("judge", "generator"). */
  readonly role: string;
  /** How the stage ran, under its own key (`judge`, `generation`): written before `counts`. */
  readonly stage: Readonly<Record<string, unknown>>;
  /** The stage's counts, after those of every run. */
  readonly counts: object;
  /** The stage's own figures (judge's `agreement`): written after `counts`. */
  readonly figures?: Readonly<Record<string, unknown>>;
}

/** Writes manifest.json, the stage's last file: what ran, with which models, seeds, counts and usage. */
export async function writeStageManifest(
  request: ModelStageRequest,
  { client, extraction }: StageClients,
  usage: UsageReport,
  manifest: StageManifest,
): Promise<string> {
  const { input, configHash } = request;
  const base = describeRun({
    command: configHash === undefined ? manifest.command : "run",
    input: input.path,
    read: input.read,
    factors: request.factors,
    scoring: request.scoring,
    profile: manifest.profile,
    skipped: input.skipped,
  });
  return writeJsonFile(request.outDir, "manifest.json", {
    ...base,
    ...(configHash === undefined ? {} : { setting: manifest.setting, configHash }),
    models: {
      [manifest.role]: client.modelName,
      ...(extraction ? { extractor: extraction.client.modelName } : {}),
    },
    ...manifest.stage,
    counts: { ...base.counts, ...manifest.counts },
    ...manifest.figures,
    ...(extraction ? { extraction: extraction.extractor.stats() } : {}),
    usage,
    versions: modelStageVersions(request.task.id),
  });
}
