import { ProfileSchema } from "@profilekit/core";
import type { z } from "zod";
import {
  type Judgement,
  JudgeAgreementSchema,
  judgeAgreement,
  judgePairs,
  planJudgeCalls,
  relabel,
} from "./judging.js";
import {
  type ModelStageOutput,
  type ModelStageRequest,
  profileStagePairs,
  writeStageFiles,
  writeStageManifest,
} from "./model-stage.js";
import { openStageClients } from "./stage-models.js";
import { taskPrompt } from "./task-selection.js";

/** profile.json of the evaluation setting: the model's profile, and its agreement with the human labels. */
export const JudgeProfileSchema = ProfileSchema.extend({ agreement: JudgeAgreementSchema });
export type JudgeProfile = z.infer<typeof JudgeProfileSchema>;

/** What `profilekit judge`, and the evaluation setting of `profilekit run`, do: `model` judges `input`. */
export interface JudgeStageRequest extends ModelStageRequest {
  /** Let the model answer tie. */
  readonly allowTies: boolean;
}

export interface JudgeStageResult extends ModelStageOutput {
  /** profile.json as written: the profile of the model's labels, with `agreement`. */
  readonly profile: JudgeProfile;
  readonly counts: JudgeCounts;
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
  const { input, task, scoring, allowTies } = request;
  const template = taskPrompt(task, "judge");
  const plan = planJudgeCalls(input.pairs, template, { allowTies, seed: scoring.seed });
  const clients = await openStageClients(request.model, request.extractor, scoring.seed);
  const { client } = clients;
  try {
    const judgements = await judgePairs(plan, client, (done) => request.onProgress?.("pairs judged", done));
    const { agreement, detail } = judgeAgreement(judgements);
    const analysis = await profileStagePairs(request, clients, relabel(input.pairs, judgements), {
      inputName: `${input.path} (labels of ${client.modelName})`,
      labelSource: `judge:${client.modelName}`,
    });
    const profile: JudgeProfile = { ...analysis.profile, agreement };
    const counts = judgeCounts(judgements);
    const files = await writeStageFiles(
      request.outDir,
      { profile, schema: JudgeProfileSchema, analysis },
      { name: "judgements.jsonl", rows: judgements },
      input.pairs,
    );
    const prompt = { id: template.id, version: template.version };
    const usage = client.usage();
    files.push(
      await writeStageManifest(request, clients, usage, {
        command: "judge",
        setting: "evaluation",
        profile: analysis.profile,
        role: "judge",
        stage: {
          judge: {
            task: task.id,
            prompt,
            allowTies,
            temperature: 0,
            orders: "both; the first drawn per pair from the seed and the pair id",
          },
        },
        counts,
        figures: { agreement: { ...agreement, ...detail } },
      }),
    );
    return { profile, files, counts, model: client.modelName, prompt, usage };
  } finally {
    await clients.close();
  }
}
