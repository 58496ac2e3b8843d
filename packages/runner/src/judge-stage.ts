import { JudgeAgreementSchema as AgreementStatisticsSchema, ProfileSchema } from "@profilekit/core";
import type { BatchQueue } from "@profilekit/llm";
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
  type ModelStageResult,
  inStageFolder,
  ModelStageFields,
  withStageClients,
  profileStagePairs,
  resolveStageInput,
  stageManifest,
  taskPrompt,
} from "./model-stage.js";
import { inStageBatchRounds } from "./batch-rounds.js";
import { type CallPlan, type DryRun, priceCallPlans } from "./dry-run.js";
import { extractionCallPlan } from "./model-extraction.js";
import { judgeAgreementStatistics } from "./judge-agreement-statistics.js";
import { StageGuard } from "./stage-guard.js";
import { parseRequest } from "./stage-request.js";

/** What `judge` is asked: the evaluation setting, a model judging every pair in both orders. */
export const JudgeRequestSchema = z.strictObject({
  ...ModelStageFields,
  /** Let the judge answer tie. */
  allowTies: z.boolean().default(false),
});
export type JudgeRequest = z.input<typeof JudgeRequestSchema>;

/**
 * profile.json of the evaluation setting: the model's profile; its agreement with the human
 * labels (`agreement`, the four headline figures); and `agreementStatistics`: the same figures
 * with their counts, clustered 95% intervals and Monte Carlo errors, and the single-factor
 * baselines (absent from folders written before profilekit 0.2).
 */
export const JudgeProfileSchema = ProfileSchema.extend({
  agreement: JudgeAgreementSchema,
  agreementStatistics: AgreementStatisticsSchema.optional(),
});
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

/** What judge wrote: profile.json (the profile of the model's labels, with `agreement`), and the judgements. */
export interface JudgeResult extends ModelStageResult<JudgeProfile, JudgeCounts> {
  readonly judgements: readonly Judgement[];
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
  return inStageBatchRounds(request, "judge", judgeOnce);
}

/** One run of judge; in batch mode, on the round's queue. */
function judgeOnce(
  request: z.output<typeof JudgeRequestSchema>,
  batch: BatchQueue | undefined,
): Promise<JudgeResult> {
  return inStageFolder(request.out, async (folder) => {
    const stageInput = await resolveStageInput(request);
    const { pairs, task, scoring } = stageInput;
    const { allowTies } = request;
    const template = taskPrompt(task, "judge");
    const plan = planJudgeCalls(pairs, template, { allowTies, seed: scoring.seed });
    const guard = new StageGuard("judge", request.maxFailures, request.signal, batch);
    guard.plan(plan.length * 2);
    return withStageClients(request, stageInput, folder, guard, batch, async (clients) => {
      const { client } = clients;
      const judgements = await judgePairs(
        plan,
        client,
        (done) => request.onProgress?.({ step: "pairs judged", done, total: pairs.length }),
        guard.signal,
      );
      guard.check(client.usage());
      const { agreement, detail } = judgeAgreement(judgements);
      const analysis = await profileStagePairs(
        request,
        stageInput,
        { clients, folder, guard },
        relabel(pairs, judgements),
        {
          inputName: `${stageInput.name} (labels of ${client.modelName})`,
          labelSource: `judge:${client.modelName}`,
        },
      );
      const agreementStatistics = await judgeAgreementStatistics(pairs, judgements, stageInput);
      const profile = await folder.profile(
        { ...analysis.profile, agreement, agreementStatistics },
        JudgeProfileSchema,
      );
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
        groupCounts: analysis.groupCounts,
        counts,
        files: [...folder.files],
        manifest,
        model: client.modelName,
        task: task.id,
        prompt,
        usage,
        skipped: stageInput.skipped,
      };
    });
  });
}

/** Output tokens assumed per judge call by a dry run: the answer is one small JSON object. */
const judgeOutputTokens = 16;

/** The calls judge would make, for a dry run: both orders of every pair, and the extractor's. */
export async function planJudge(input: JudgeRequest): Promise<{ pairs: number; plans: CallPlan[] }> {
  const request = parseRequest(JudgeRequestSchema, input, "judge");
  const stageInput = await resolveStageInput(request);
  const calls = planJudgeCalls(stageInput.pairs, taskPrompt(stageInput.task, "judge"), {
    allowTies: request.allowTies,
    seed: request.seed,
  });
  const plans: CallPlan[] = [
    {
      purpose: "judge",
      model: request.model,
      requests: judgeEstimateRequests(calls),
      outputTokensPerCall: judgeOutputTokens,
    },
  ];
  if (request.extractor !== undefined) {
    // The extractor measures the pairs the judge labels: all of them, unless calls fail.
    const extraction = await extractionCallPlan(
      { model: request.extractor, settings: request.extraction },
      { cache: request.cache, seed: request.seed, providers: request.providers },
      stageInput.factors.map(({ plugin }) => plugin),
      stageInput.pairs,
    );
    if (extraction) plans.push(extraction);
  }
  return { pairs: stageInput.pairs.length, plans };
}

/** A dry run of judge: its calls priced (standard and batch rates), nothing called or written. */
export async function estimateJudge(input: JudgeRequest): Promise<{ pairs: number; dryRun: DryRun }> {
  const { pairs, plans } = await planJudge(input);
  const request = parseRequest(JudgeRequestSchema, input, "judge");
  return { pairs, dryRun: await priceCallPlans(plans, request.cache, request.providers) };
}
