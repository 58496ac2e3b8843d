import { ProfileSchema } from "@profilekit/core";
import type { SkipReport } from "@profilekit/data";
import type { EstimateReport, UsageReport } from "@profilekit/llm";
import { JudgeAgreementSchema } from "@profilekit/spec";
import { z } from "zod";
import {
  type Judgement,
  judgeAgreement,
  judgeEstimateRequests,
  judgePairs,
  planJudgeCalls,
  relabel,
} from "./judging.js";
import {
  inStageFolder,
  ModelStageFields,
  openStageClients,
  profileStagePairs,
  resolveStageInput,
  stageManifest,
  taskPrompt,
} from "./model-stage.js";
import { openModelClient } from "./model-spec.js";
import { parseRequest } from "./stage-request.js";

/** What `judge` is asked: the evaluation setting, a model judging every pair in both orders. */
export const JudgeRequestSchema = z.strictObject({
  ...ModelStageFields,
  /** Let the judge answer tie. */
  allowTies: z.boolean().default(false),
});
export type JudgeRequest = z.input<typeof JudgeRequestSchema>;

/** profile.json of the evaluation setting: the model's profile, and its agreement with the human labels. */
export const JudgeProfileSchema = ProfileSchema.extend({ agreement: JudgeAgreementSchema });
export type JudgeProfile = z.infer<typeof JudgeProfileSchema>;

/** The counts of manifest.json's judge run. */
export interface JudgeCounts {
  readonly inputPairs: number;
  readonly judged: number;
  readonly failed: number;
  readonly modelTies: number;
  readonly inconsistent: number;
  readonly firstOrder: { readonly original: number; readonly swapped: number };
}

export interface JudgeResult {
  /** profile.json as written: the profile of the model's labels, with `agreement`. */
  readonly profile: JudgeProfile;
  readonly judgements: readonly Judgement[];
  readonly counts: JudgeCounts;
  /** The files written into `out`, manifest.json (written last) included; empty without `out`. */
  readonly files: readonly string[];
  readonly manifest: Record<string, unknown>;
  /** The judge's `provider:model`. */
  readonly model: string;
  readonly task: string;
  readonly prompt: { readonly id: string; readonly version: string };
  /** Every call of the stage, the extractor's included. */
  readonly usage: UsageReport;
  /** Records of the input the reader skipped (with read.onInvalid "skip"). */
  readonly skipped: SkipReport;
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
 * The evaluation setting of PROFILE: the model judges every pair in both orders (every call
 * rendered before any is sent), its labels are profiled with the factors, and `out` gets
 * profile.json (with `agreement`), profile.csv, judgements.jsonl, labels.jsonl,
 * manifestations.jsonl, pairs.jsonl and, last, manifest.json.
 */
export async function judge(input: JudgeRequest): Promise<JudgeResult> {
  const request = parseRequest(JudgeRequestSchema, input, "judge");
  return inStageFolder(request.out, async (folder) => {
    const stageInput = await resolveStageInput(request);
    const { pairs, task, scoring } = stageInput;
    const { allowTies } = request;
    const template = taskPrompt(task, "judge");
    const plan = planJudgeCalls(pairs, template, { allowTies, seed: scoring.seed });
    const clients = openStageClients(request, stageInput, folder);
    const { client } = clients;
    try {
      const judgements = await judgePairs(
        plan,
        client,
        (done) => request.onProgress?.({ step: "pairs judged", done, total: pairs.length }),
        request.signal,
      );
      const { agreement, detail } = judgeAgreement(judgements);
      const analysis = await profileStagePairs(
        request,
        stageInput,
        { clients, folder },
        relabel(pairs, judgements),
        {
          inputName: `${stageInput.name} (labels of ${client.modelName})`,
          labelSource: `judge:${client.modelName}`,
        },
      );
      const profile = await folder.profile({ ...analysis.profile, agreement }, JudgeProfileSchema);
      const counts = judgeCounts(judgements);
      await folder.records("judgements.jsonl", judgements);
      await folder.pairs(pairs);
      const prompt = { id: template.id, version: template.version };
      const usage = client.usage();
      const manifest = stageManifest(request, stageInput, clients, usage, {
        command: "judge",
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
      });
      await folder.json("manifest.json", manifest);
      return {
        profile,
        judgements,
        counts,
        files: [...folder.files],
        manifest,
        model: client.modelName,
        task: task.id,
        prompt,
        usage,
        skipped: stageInput.skipped,
      };
    } finally {
      await clients.close();
    }
  });
}

/** Output tokens assumed per judge call by a dry run: the answer is one small JSON object. */
const judgeOutputTokens = 16;

/** What a dry run of judge would call: both orders of every pair, priced, calling nothing. */
export async function estimateJudge(input: JudgeRequest): Promise<{ pairs: number; judge: EstimateReport }> {
  const request = parseRequest(JudgeRequestSchema, input, "judge");
  const stageInput = await resolveStageInput(request);
  const plan = planJudgeCalls(stageInput.pairs, taskPrompt(stageInput.task, "judge"), {
    allowTies: request.allowTies,
    seed: request.seed,
  });
  const client = openModelClient(request.model, request.cache, { providers: request.providers });
  try {
    return {
      pairs: stageInput.pairs.length,
      judge: client.estimate(judgeEstimateRequests(plan), { outputTokensPerCall: judgeOutputTokens }),
    };
  } finally {
    await client.close();
  }
}
