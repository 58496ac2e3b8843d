import { join } from "node:path";
import { groupKeyOf } from "@profilekit/core";
import {
  type CallPlan,
  type DryRun,
  planGenerate,
  planJudge,
  priceCallPlans,
  readRunJson,
} from "@profilekit/runner";
import {
  extractionCallPlan,
  formPairs,
  type GenerationInput,
  judgeEstimateRequests,
  planJudgeCalls,
  renderForPair,
  taskPrompt,
} from "@profilekit/runner/stage-kit";
import { type Pair, type ResponseRecord, SplitFileSchema } from "@profilekit/spec";
import { critiqueCall, critiqueSchema, guidancePrompt, REVISE_STAGE, revisionGuidance } from "./critique.js";
import { revisionPromptVersion } from "./feedback-loop.js";
import { factorGuidance } from "./guidance.js";
import { guidedTemplate } from "./guided-prompt.js";
import { type PlanContext, resolvePlan } from "./improve-context.js";
import type { ImproveRequest } from "./improve-request.js";
import { revisionPairs } from "./revision-profile.js";
import { planSamples, samplePairs } from "./samples.js";
import { splitInputs } from "./split.js";

/** Output tokens assumed per critique (a verdict and a few issues) and per judge verdict. */
const critiqueOutputTokens = 200;
const verdictOutputTokens = 16;

const standInNote =
  "the responses are not written yet: priced with the human responses of each input as stand-ins";

/**
 * `count` stand-in responses per input for what a part will write: the input's human responses in
 * turn, marked with the part and the index so that no two parts' stand-ins are the same request
 * (a dry run merges identical requests).
 */
function standIns(
  context: PlanContext,
  inputs: readonly GenerationInput[],
  count: number,
  part: string,
): ResponseRecord[][] {
  const texts = new Map<string, string[]>();
  for (const pair of context.input.pairs) {
    const key = groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt });
    texts.set(key, [...(texts.get(key) ?? []), pair.a, pair.b]);
  }
  return inputs.map((one) => {
    const own = texts.get(one.id) ?? [""];
    return Array.from({ length: count }, (_, i) => ({
      inputId: one.id,
      level: (i % context.request.levels) + 1,
      seed: context.request.seed,
      sample: i + 1,
      text: `${own[i % own.length]!} (${part} ${i + 1})`,
      status: "kept" as const,
    }));
  });
}

/** The extractor's calls on `pairs`, when there is an extractor and a model factor. */
async function extraction(context: PlanContext, pairs: readonly Pair[]): Promise<CallPlan[]> {
  const { request, input } = context;
  if (request.extractor === undefined) return [];
  const plan = await extractionCallPlan(
    { model: request.extractor, settings: request.extraction },
    { cache: request.cache, seed: request.seed, providers: request.providers },
    input.factors.map(({ plugin }) => plugin),
    pairs,
    standInNote,
  );
  return plan ? [plan] : [];
}

/** The pairs generate would form from stand-in responses (every two levels of an input). */
const levelPairs = (context: PlanContext, inputs: readonly GenerationInput[], records: ResponseRecord[][]) =>
  inputs.flatMap((one, i) => formPairs(one, records[i]!, context.request.seed));

async function plainPlans(context: PlanContext, pairs?: readonly Pair[]): Promise<CallPlan[]> {
  const { request } = context;
  return (
    await planGenerate({
      ...context.stageRequest("before", pairs),
      model: request.model,
      levels: request.levels,
      ...(pairs === undefined && request.limit !== undefined ? { limit: request.limit } : {}),
    })
  ).plans;
}

async function guidedPlans(context: PlanContext): Promise<CallPlan[]> {
  const { request, input, inputs } = context;
  // The guidance names opposite-sign factors only once the plain profile exists: priced without them.
  const guidance = factorGuidance(
    context.human?.profile ?? { factors: [] },
    undefined,
    input.factors.map(({ plugin }) => plugin),
    request.guidanceFactors,
  );
  const guided = await planGenerate({
    ...context.stageRequest("after"),
    model: request.model,
    levels: request.levels,
    ...(request.limit === undefined ? {} : { limit: request.limit }),
    prompt: guidedTemplate(input.task, guidance.text),
  });
  const after = standIns(context, inputs, request.levels, "guided");
  return [
    ...(await plainPlans(context)),
    ...guided.plans.filter((plan) => plan.purpose !== "extract"),
    ...(await extraction(context, levelPairs(context, inputs, after))),
  ];
}

async function feedbackPlans(context: PlanContext): Promise<CallPlan[]> {
  const { request, input, inputs } = context;
  const factors = input.factors.map(({ plugin }) => plugin);
  const schema = critiqueSchema(factors.map((f) => f.id));
  const template = guidancePrompt(input.task);
  const drafts = standIns(context, inputs, request.levels, "draft");
  const upperBound = `an upper bound: every response critiqued and revised ${request.rounds} times; ${standInNote}`;
  const rounds = Array.from({ length: request.rounds }, (_, r) => r);
  const critiques = inputs.flatMap((one, i) =>
    drafts[i]!.flatMap((draft) =>
      rounds.map((r) => ({
        ...critiqueCall(one, draft.text!, { level: draft.level, levels: request.levels }, factors, schema),
        sampleIndex: r,
      })),
    ),
  );
  const revisions = inputs.flatMap((one, i) =>
    drafts[i]!.flatMap((draft) =>
      rounds.map((r) => ({
        messages: renderForPair(template, one, {
          response: draft.text!,
          guidance: revisionGuidance(
            { meetsTarget: false, issues: [] },
            { level: draft.level, levels: request.levels },
            factors,
          ),
        }),
        promptVersion: revisionPromptVersion(template.version),
        stage: REVISE_STAGE,
        sampleIndex: draft.level * 100 + r,
      })),
    ),
  );
  const finals = standIns(context, inputs, request.levels, "final");
  const evaluator = context.evaluator.spec;
  return [
    ...(await plainPlans(context)),
    {
      purpose: "critique",
      model: evaluator,
      requests: critiques,
      outputTokensPerCall: critiqueOutputTokens,
      note: upperBound,
    },
    { purpose: "revise", model: request.model, requests: revisions, note: upperBound },
    ...(await extraction(context, [
      ...levelPairs(context, inputs, finals),
      ...revisionPairs(
        inputs,
        inputs.map((_, i) => [
          ...drafts[i]!.map((d) => ({ ...d, round: 0, status: "revised" as const })),
          ...finals[i]!.map((f) => ({ ...f, round: 1 })),
        ]),
        request.seed,
      ),
    ])),
  ];
}

async function selfDataPlans(context: PlanContext): Promise<CallPlan[]> {
  const { request, input, inputs } = context;
  const split = splitInputs(
    inputs.map((one) => one.id),
    request.seed,
    request.heldOut,
  );
  const heldOut = new Set(split.heldOut);
  const train = inputs.filter((one) => !heldOut.has(one.id));
  const heldOutPairs = input.pairs.filter((pair) =>
    heldOut.has(groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt })),
  );
  const generation = taskPrompt(input.task, "generation");
  const samples = planSamples(train, generation, {
    samples: request.samples,
    levels: request.levels,
    temperature: request.temperature,
    seed: request.seed,
  });
  const written = standIns(context, train, request.samples, "sample");
  const pairs = train.flatMap((one, i) => samplePairs(one, written[i]!, request.seed));
  const judgeCalls = planJudgeCalls(pairs, taskPrompt(input.task, "judge"), {
    allowTies: false,
    seed: request.seed,
  });
  const evaluation = await planJudge({
    ...context.stageRequest("before-evaluation", heldOutPairs),
    model: request.model,
  });
  return [
    { purpose: "sample", model: request.model, requests: samples.flat().map(({ call }) => call) },
    {
      purpose: "judge",
      model: context.evaluator.spec,
      requests: judgeEstimateRequests(judgeCalls),
      outputTokensPerCall: verdictOutputTokens,
      note: standInNote,
    },
    ...(await extraction(context, pairs)),
    ...(await plainPlans(context, heldOutPairs)),
    ...evaluation.plans,
  ];
}

async function afterPlans(context: PlanContext): Promise<CallPlan[]> {
  const { request, input } = context;
  const split = await readRunJson(join(request.from!, "split.json"), SplitFileSchema);
  const heldOut = new Set(split?.heldOut ?? []);
  const pairs = input.pairs.filter((pair) =>
    heldOut.has(groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt })),
  );
  const generation = await planGenerate({
    ...context.stageRequest("after", pairs),
    model: request.model,
    levels: request.levels,
  });
  const evaluation = await planJudge({ ...context.stageRequest("evaluation", pairs), model: request.model });
  return [...generation.plans, ...evaluation.plans];
}

const planners = {
  guided: guidedPlans,
  feedback: feedbackPlans,
  "self-data": selfDataPlans,
  after: afterPlans,
} as const;

/** The calls `improve` would make, for a dry run: every part's, calling nothing and writing nothing. */
export async function planImprove(
  input: ImproveRequest,
): Promise<{ method: string; inputs: number; plans: CallPlan[] }> {
  const context = await resolvePlan(input);
  const { method } = context.request;
  return { method, inputs: context.inputs.length, plans: await planners[method](context) };
}

/** A dry run of `improve`: its calls priced (standard and batch rates), nothing called or written. */
export async function estimateImprove(
  input: ImproveRequest,
): Promise<{ method: string; inputs: number; dryRun: DryRun }> {
  const context = await resolvePlan(input);
  const { method } = context.request;
  const plans = await planners[method](context);
  const { cache, providers } = context.request;
  return { method, inputs: context.inputs.length, dryRun: await priceCallPlans(plans, cache, providers) };
}
