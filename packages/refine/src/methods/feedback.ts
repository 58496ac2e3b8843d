import { GenerateRequestSchema, GenerationProfileSchema } from "@profilekit/runner";
import {
  formPairs,
  inStageFolder,
  withStageClients,
  parseRequest,
  profileStagePairs,
  RunFolderWriter,
  resolveStageInput,
  StageGuard,
  stageManifest,
} from "@profilekit/runner/stage-kit";
import type { ResponseRecord } from "@profilekit/spec";
import { guidancePrompt } from "../critique.js";
import { critiquePrompt, revisionGuidancePrompt } from "../prompts.js";
import { refineResponses, revisionPromptVersion } from "../feedback-loop.js";
import type { ImproveContext } from "../improve-context.js";
import { improvementFile, pairedChange } from "../measure.js";
import { revisionPairs, revisionSummary } from "../revision-profile.js";
import { type RevisionProfile, RevisionProfileSchema } from "../revision-profile-file.js";
import { type MethodOutcome, plainGeneration } from "./plain-generation.js";

/**
 * Feedback-driven generation (self-refinement): the plain generation's responses are the first
 * drafts (before/); the evaluator critiques each, factor by factor, and the generator revises it,
 * up to `rounds` times, stopping early when the evaluator says it meets its target. after/ holds
 * the profile of the final responses (paired as generate pairs them), with every round in its
 * responses.jsonl; revision-profile.json profiles every (final, first draft) pair.
 */
export async function runFeedback(context: ImproveContext): Promise<MethodOutcome> {
  const { request } = context;
  const template = guidancePrompt(context.input.task);
  const before = await plainGeneration(context);
  const parsed = parseRequest(
    GenerateRequestSchema,
    { ...context.stageRequest("after"), model: context.budget.spec(request.model), levels: request.levels },
    "improve",
  );
  const refinedPart = () =>
    inStageFolder(parsed.out, async (folder) => {
      const input = await resolveStageInput(parsed);
      const { inputs } = context;
      const factors = input.factors.map(({ plugin }) => plugin);
      const drafts = inputs.map((one) => before.responses.filter((r) => r.inputId === one.id));
      const guard = new StageGuard(
        "improve --method feedback",
        parsed.maxFailures,
        parsed.signal,
        context.batch,
      );
      guard.plan(drafts.flat().length * 2 * request.rounds);
      return withStageClients(parsed, input, folder, guard, context.batch, async (clients) => {
        const evaluator = context.evaluator.self
          ? clients.client
          : clients.open(context.budget.spec(context.evaluator.spec));
        const total = drafts.flat().length;
        const records = await refineResponses(
          inputs,
          drafts,
          { writer: clients.client, evaluator },
          {
            template,
            factors,
            levels: request.levels,
            rounds: request.rounds,
            seed: request.seed,
            signal: guard.signal,
          },
          (done) => parsed.onProgress?.({ step: "responses refined", done, total }),
        );
        guard.check(clients.usage());
        // The final text of each level: the round still `kept` (the ones it replaced are `revised`).
        const finals = records.map((rounds) => rounds.filter((r) => r.status === "kept"));
        const pairs = inputs.flatMap((one, i) => formPairs(one, finals[i]!, request.seed));
        const modelName = clients.client.modelName;
        const analysis = await profileStagePairs(
          parsed,
          input,
          { clients, folder, guard },
          pairs,
          { inputName: `pairs of ${modelName}'s refined responses`, labelSource: `generation:${modelName}` },
          { keys: "group", recorded: input.cluster },
        );
        const kept = finals.flat().length;
        const profile = await folder.profile(
          {
            ...analysis.profile,
            generation: {
              inputs: inputs.length,
              levels: request.levels,
              responses: kept,
              dropped: 0,
              pairs: pairs.length,
            },
          },
          GenerationProfileSchema,
        );
        await folder.records("responses.jsonl", records.flat());
        await folder.pairs(pairs);
        // The revision profile: measured with the same extractor, written nowhere but revision-profile.json.
        const revision = await profileStagePairs(
          parsed,
          input,
          {
            clients: { ...clients, evidence: undefined },
            folder: await RunFolderWriter.open(undefined),
            guard,
          },
          revisionPairs(inputs, records, request.seed),
          { inputName: "revision pairs (final, first draft)", labelSource: `revision:${modelName}` },
          { keys: "group", recorded: input.cluster },
        );
        const revisionProfile: RevisionProfile = RevisionProfileSchema.parse({
          ...revision.profile,
          revision: revisionSummary(inputs, records, request.rounds, {
            revision: revision.profile,
            human: context.human.profile,
          }),
        });
        const usage = clients.usage();
        const counts = feedbackCounts(records.flat(), pairs.length);
        const manifest = stageManifest(parsed, input, clients, usage, {
          command: "improve",
          profile: analysis.profile,
          role: "generator",
          stage: {
            generation: {
              task: input.task.id,
              prompt: { id: before.prompt.id, version: before.prompt.version },
              levels: request.levels,
              limit: request.limit ?? null,
              drafts:
                "the plain generation's responses (before/responses.jsonl), revised by the feedback loop",
            },
            feedback: feedbackOptions(context, template.version),
          },
          counts,
        });
        await folder.json("manifest.json", manifest);
        return {
          profile,
          groupCounts: analysis.groupCounts,
          usage,
          revisionProfile,
          counts,
          modelName,
          evaluator,
        };
      });
    });
  const outcome = await context.part("after", refinedPart);
  const evaluator = { model: outcome.evaluator.modelName, self: context.evaluator.self };
  const improvement = improvementFile(context, {
    model: outcome.modelName,
    evaluator,
    split: "all",
    inputs: context.inputs.length,
    folders: { before: "before", after: "after" },
    generation: pairedChange(context, before.groupCounts, outcome.groupCounts),
  });
  return {
    improvement,
    revision: outcome.revisionProfile,
    models: { generator: outcome.modelName, evaluator: evaluator.model },
    improve: { ...feedbackOptions(context, template.version), evaluator },
    folders: { before: "before", after: "after" },
    counts: { ...outcome.counts, revisionPairs: outcome.revisionProfile.pairs },
  };
}

/** How the loop ran, for the manifests. */
function feedbackOptions(context: ImproveContext, guidanceVersion: string) {
  return {
    rounds: context.request.rounds,
    evaluatorIsGenerator: context.evaluator.self,
    prompts: {
      critique: critiquePrompt.version,
      revision: revisionPromptVersion(guidanceVersion),
      revisionGuidance: revisionGuidancePrompt.version,
    },
    stop: "after `rounds` critiques, or as soon as the evaluator says the response meets its target",
  };
}

/** What the loop did: drafts, revisions, early stops, and failed calls. */
function feedbackCounts(records: readonly ResponseRecord[], pairs: number) {
  const drafts = records.filter((r) => (r.round ?? 0) === 0);
  return {
    drafts: drafts.length,
    revisions: records.filter((r) => (r.round ?? 0) > 0 && r.status !== "failed").length,
    failedRevisions: records.filter((r) => (r.round ?? 0) > 0 && r.status === "failed").length,
    failedCritiques: records.filter((r) => r.critique === null).length,
    metTarget: records.filter((r) => r.critique?.meetsTarget === true).length,
    finals: records.filter((r) => r.status === "kept").length,
    pairsFormed: pairs,
  };
}
