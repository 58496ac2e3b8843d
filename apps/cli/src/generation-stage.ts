import { ProfileSchema } from "@profilekit/core";
import type { UsageReport } from "@profilekit/llm";
import type { TaskAdapter } from "@profilekit/spec";
import { z } from "zod";
import { runAnalysis, type ScoringOptions } from "./analysis.js";
import type { SelectedFactor } from "./factor-selection.js";
import {
  distinctInputs,
  formPairs,
  generateResponses,
  planGeneration,
  type ResponseRecord,
} from "./generation.js";
import type { StagePairs } from "./pair-input.js";
import { writeProfileFiles } from "./run-files.js";
import { writeJsonFile, writePairsFile, writeRecordsFile } from "./run-folder.js";
import { describeRun } from "./run-manifest.js";
import { selfScorePrompt } from "./self-score-prompt.js";
import {
  modelStageVersions,
  openStageClients,
  type StageExtractor,
  type StageModel,
  type StageProgress,
} from "./stage-models.js";
import { taskPrompt } from "./task-selection.js";

const count = z.number().int().nonnegative();

/** profile.json's `generation`: what was written and kept. */
export const GenerationSummarySchema = z.object({
  /** Distinct inputs written for. */
  inputs: count,
  /** K: responses asked per input, aimed at scores 1..K. */
  levels: z.number().int().min(2),
  /** Responses written (calls that returned a non-empty text). */
  responses: count,
  /** Responses the self-check dropped (off target, or could not be scored); 0 without --self-check. */
  dropped: count,
  /** Pairs formed from the kept responses: C(kept, 2) per input. */
  pairs: count,
});

/** profile.json of the generation setting: the profile of the generated pairs, and what they came from. */
export const GenerationProfileSchema = ProfileSchema.extend({ generation: GenerationSummarySchema });
export type GenerationProfile = z.infer<typeof GenerationProfileSchema>;

/** What `profilekit generate`, and the generation setting of `profilekit run`, do. */
export interface GenerationStageRequest {
  /** The human pairs whose distinct inputs the model writes for. */
  readonly input: StagePairs;
  /** Its generation prompt is shown to the model. */
  readonly task: TaskAdapter;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: ScoringOptions;
  /** The writer. */
  readonly model: StageModel;
  /** Measures the model-extracted factors among `factors`. */
  readonly extractor?: StageExtractor;
  /** K: responses per input, aimed at scores 1..K. */
  readonly levels: number;
  /** Only the first `limit` distinct inputs. */
  readonly limit?: number;
  /** The model scores its responses; one more than `delta` from its level is dropped. */
  readonly selfCheck?: { readonly delta: number };
  readonly outDir: string;
  /**
   * Set when `profilekit run` runs the stage: manifest.json then has `command: "run"`,
   * `setting: "generation"` and this hash, by which a later run finds the stage finished.
   */
  readonly configHash?: string;
  readonly onProgress?: StageProgress;
}

/** The counts of manifest.json's generation run. */
export interface GenerationCounts {
  readonly humanPairs: number;
  readonly inputs: number;
  readonly calls: number;
  readonly written: number;
  readonly failed: number;
  readonly kept: number;
  readonly offTarget: number;
  readonly unscored: number;
  readonly pairsFormed: number;
}

export interface GenerationStageResult {
  /** profile.json as written: the profile of the generated pairs, with `generation`. */
  readonly profile: GenerationProfile;
  /** The files written into outDir, manifest.json (written last) included. */
  readonly files: readonly string[];
  readonly counts: GenerationCounts;
  /** The writer's `provider:model`. */
  readonly model: string;
  readonly prompt: { readonly id: string; readonly version: string };
  /** Every call of the stage, the self-check's and the extractor's included. */
  readonly usage: UsageReport;
}

function tallyResponses(records: readonly ResponseRecord[]) {
  const of = (status: ResponseRecord["status"]) => records.filter((r) => r.status === status).length;
  const failed = of("failed");
  return {
    written: records.length - failed,
    failed,
    kept: of("kept"),
    offTarget: of("off-target"),
    unscored: of("unscored"),
  };
}

/**
 * The generation setting: the model writes `levels` responses to each distinct input of the
 * pairs (every call rendered before any is sent), every two kept responses of an input form a
 * pair (the higher-aimed preferred), those pairs are profiled with the factors, and outDir gets
 * profile.json (with `generation`), profile.csv, responses.jsonl, pairs.jsonl, labels.jsonl,
 * manifestations.jsonl and, last, manifest.json.
 */
export async function runGenerationStage(request: GenerationStageRequest): Promise<GenerationStageResult> {
  const { input, task, factors, scoring, outDir, levels, selfCheck } = request;
  const template = taskPrompt(task, "generation");
  const inputs = distinctInputs(input.pairs, request.limit);
  const plan = planGeneration(inputs, template, { levels, seed: scoring.seed });
  const { client, extraction, close } = await openStageClients(
    request.model,
    request.extractor,
    scoring.seed,
  );
  try {
    const responses = await generateResponses(
      plan,
      client,
      { levels, ...(selfCheck ? { selfCheck } : {}) },
      (done) => request.onProgress?.("responses", done),
    );
    const pairs = inputs.flatMap((one, i) => formPairs(one, responses[i]!, scoring.seed));
    const result = await runAnalysis({
      pairs,
      inputName: `pairs generated by ${client.modelName}`,
      labelSource: `generation:${client.modelName}`,
      factors,
      scoring,
      outDir,
      ...(extraction ? { modelExtractor: extraction.extractor } : {}),
      onProgress: (done) => request.onProgress?.("pairs profiled", done),
    });
    const tally = tallyResponses(responses.flat());
    const profile: GenerationProfile = {
      ...result.profile,
      generation: {
        inputs: inputs.length,
        levels,
        responses: tally.written,
        dropped: tally.offTarget + tally.unscored,
        pairs: pairs.length,
      },
    };
    const files = [
      ...(await writeProfileFiles(outDir, profile, GenerationProfileSchema)),
      ...result.files,
      await writeRecordsFile(outDir, "responses.jsonl", responses.flat()),
      await writePairsFile(outDir, pairs),
    ];
    const base = describeRun({
      command: request.configHash === undefined ? "generate" : "run",
      input: input.path,
      read: input.read,
      factors,
      scoring,
      profile: result.profile,
      skipped: input.skipped,
    });
    const prompt = { id: template.id, version: template.version };
    const counts: GenerationCounts = {
      humanPairs: input.pairs.length,
      inputs: inputs.length,
      calls: inputs.length * levels,
      ...tally,
      pairsFormed: pairs.length,
    };
    const usage = client.usage();
    files.push(
      await writeJsonFile(outDir, "manifest.json", {
        ...base,
        ...(request.configHash === undefined
          ? {}
          : { setting: "generation", configHash: request.configHash }),
        models: {
          generator: client.modelName,
          ...(extraction ? { extractor: extraction.client.modelName } : {}),
        },
        generation: {
          task: task.id,
          prompt,
          levels,
          limit: request.limit ?? null,
          selfCheck: selfCheck
            ? { delta: selfCheck.delta, prompt: { id: selfScorePrompt.id, version: selfScorePrompt.version } }
            : null,
          seeds:
            "per call: drawn from the seed, the input id and the level; a/b order: a coin per pair from the seed and the pair id",
        },
        counts: { ...base.counts, ...counts },
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
