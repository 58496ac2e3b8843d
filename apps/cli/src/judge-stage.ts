import { ProfileSchema } from "@profilekit/core";
import type { UsageReport } from "@profilekit/llm";
import type { TaskAdapter } from "@profilekit/spec";
import type { z } from "zod";
import { runAnalysis, type ScoringOptions } from "./analysis.js";
import type { SelectedFactor } from "./factor-selection.js";
import {
  type Judgement,
  JudgeAgreementSchema,
  judgeAgreement,
  judgePairs,
  planJudgeCalls,
  relabel,
} from "./judging.js";
import type { StagePairs } from "./pair-input.js";
import { writeProfileFiles } from "./run-files.js";
import { writeJsonFile, writePairsFile, writeRecordsFile } from "./run-folder.js";
import { describeRun } from "./run-manifest.js";
import {
  modelStageVersions,
  openStageClients,
  type StageExtractor,
  type StageModel,
  type StageProgress,
} from "./stage-models.js";
import { taskPrompt } from "./task-selection.js";

/** profile.json of the evaluation setting: the model's profile, and its agreement with the human labels. */
export const JudgeProfileSchema = ProfileSchema.extend({ agreement: JudgeAgreementSchema });
export type JudgeProfile = z.infer<typeof JudgeProfileSchema>;

/** What `profilekit judge`, and the evaluation setting of `profilekit run`, do. */
export interface JudgeStageRequest {
  /** The human pairs the model judges. */
  readonly input: StagePairs;
  /** Its judge prompt is shown to the model. */
  readonly task: TaskAdapter;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: ScoringOptions;
  /** The judge. */
  readonly model: StageModel;
  /** Measures the model-extracted factors among `factors`. */
  readonly extractor?: StageExtractor;
  /** Let the model answer tie. */
  readonly allowTies: boolean;
  readonly outDir: string;
  /**
   * Set when `profilekit run` runs the stage: manifest.json then has `command: "run"`,
   * `setting: "evaluation"` and this hash, by which a later run finds the stage finished.
   */
  readonly configHash?: string;
  readonly onProgress?: StageProgress;
}

export interface JudgeStageResult {
  /** profile.json as written: the profile of the model's labels, with `agreement`. */
  readonly profile: JudgeProfile;
  /** The files written into outDir, manifest.json (written last) included. */
  readonly files: readonly string[];
  readonly counts: JudgeCounts;
  /** The judge's `provider:model`. */
  readonly model: string;
  readonly prompt: { readonly id: string; readonly version: string };
  /** Every call of the stage, the extractor's included. */
  readonly usage: UsageReport;
}

/** The counts of manifest.json's judge run. */
export interface JudgeCounts {
  readonly inputPairs: number;
  readonly judged: number;
  readonly failed: number;
  readonly modelTies: number;
  readonly inconsistent: number;
  readonly firstOrder: { readonly original: number; readonly swapped: number };
}

function judgeCounts(judgements: readonly Judgement[]): JudgeCounts {
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

/**
 * The evaluation setting: the model judges every pair in both orders (every call rendered
 * before any is sent), its labels are profiled with the factors, and outDir gets
 * profile.json (with `agreement`), profile.csv, judgements.jsonl, labels.jsonl,
 * manifestations.jsonl, pairs.jsonl and, last, manifest.json.
 */
export async function runJudgeStage(request: JudgeStageRequest): Promise<JudgeStageResult> {
  const { input, task, factors, scoring, outDir, allowTies } = request;
  const template = taskPrompt(task, "judge");
  const plan = planJudgeCalls(input.pairs, template, { allowTies, seed: scoring.seed });
  const { client, extraction, close } = await openStageClients(
    request.model,
    request.extractor,
    scoring.seed,
  );
  try {
    const judgements = await judgePairs(plan, client, (done) => request.onProgress?.("pairs judged", done));
    const { agreement, detail } = judgeAgreement(judgements);
    const result = await runAnalysis({
      pairs: relabel(input.pairs, judgements),
      inputName: `${input.path} (labels of ${client.modelName})`,
      labelSource: `judge:${client.modelName}`,
      factors,
      scoring,
      outDir,
      ...(extraction ? { modelExtractor: extraction.extractor } : {}),
      onProgress: (done) => request.onProgress?.("pairs profiled", done),
    });
    const profile: JudgeProfile = { ...result.profile, agreement };
    const counts = judgeCounts(judgements);
    const files = [
      ...(await writeProfileFiles(outDir, profile, JudgeProfileSchema)),
      ...result.files,
      await writeRecordsFile(outDir, "judgements.jsonl", judgements),
      await writePairsFile(outDir, input.pairs),
    ];
    const base = describeRun({
      command: request.configHash === undefined ? "judge" : "run",
      input: input.path,
      read: input.read,
      factors,
      scoring,
      profile: result.profile,
      skipped: input.skipped,
    });
    const prompt = { id: template.id, version: template.version };
    const usage = client.usage();
    files.push(
      await writeJsonFile(outDir, "manifest.json", {
        ...base,
        ...(request.configHash === undefined
          ? {}
          : { setting: "evaluation", configHash: request.configHash }),
        models: {
          judge: client.modelName,
          ...(extraction ? { extractor: extraction.client.modelName } : {}),
        },
        judge: {
          task: task.id,
          prompt,
          allowTies,
          temperature: 0,
          orders: "both; the first drawn per pair from the seed and the pair id",
        },
        counts: { ...base.counts, ...counts },
        agreement: { ...agreement, ...detail },
        ...(extraction ? { extraction: extraction.extractor.stats() } : {}),
        usage,
        versions: modelStageVersions(task.id),
      }),
    );
    return { profile, files, counts, model: client.modelName, prompt, usage };
  } finally {
    await close();
  }
}
