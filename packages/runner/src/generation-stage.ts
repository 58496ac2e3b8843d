import { groupKeyOf, ProfileSchema } from "@profilekit/core";
import type { BatchQueue } from "@profilekit/llm";
import {
  GenerationSummarySchema,
  type Pair,
  PromptTemplateSchema,
  type ResponseRecord,
} from "@profilekit/spec";
import { z } from "zod";
import {
  distinctInputs,
  formPairs,
  type GenerationInput,
  generateResponses,
  planGeneration,
  selfScoreCall,
  selfScoreSchema,
} from "./generation.js";
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
import { selfScorePrompt } from "./self-score-prompt.js";
import { StageGuard } from "./stage-guard.js";
import { parseRequest } from "./stage-request.js";

/** What `generate` is asked: the generation setting, a model writing K responses per input. */
export const GenerateRequestSchema = z.strictObject({
  ...ModelStageFields,
  /** K: responses per input, aimed at scores 1..K. */
  levels: z.int().min(2).max(20).default(5),
  /** Only the first `limit` distinct inputs. */
  limit: z.int().min(1).optional(),
  /** The model scores its responses; one more than `delta` from its level is dropped. */
  selfCheck: z.strictObject({ delta: z.int().min(0).max(19).default(1) }).optional(),
  /**
   * The generation prompt, with {{level}} and {{levels}} (and the task's {{source}} or {{prompt}});
   * default: the task's. Refinement's guided generation passes the task's prompt with guidance.
   */
  prompt: PromptTemplateSchema.optional(),
});
export type GenerateRequest = z.input<typeof GenerateRequestSchema>;

/** profile.json of the generation setting: the profile of the generated pairs, and what they came from. */
export const GenerationProfileSchema = ProfileSchema.extend({ generation: GenerationSummarySchema });
export type GenerationProfile = z.infer<typeof GenerationProfileSchema>;

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

/** What generate wrote: profile.json (the profile of the generated pairs, with `generation`), and the responses. */
export interface GenerateResult extends ModelStageResult<GenerationProfile, GenerationCounts> {
  readonly responses: readonly ResponseRecord[];
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
 * The generation setting of PROFILE: the model writes `levels` responses to each distinct input
 * of the pairs (every call rendered before any is sent), every two kept responses of an input
 * form a pair (the higher-aimed preferred), those pairs are profiled with the factors, and `out`
 * gets profile.json (with `generation`), profile.csv, responses.jsonl, pairs.jsonl, labels.jsonl,
 * manifestations.jsonl and, last, manifest.json.
 */
export async function generate(input: GenerateRequest): Promise<GenerateResult> {
  const request = parseRequest(GenerateRequestSchema, input, "generate");
  return inStageBatchRounds(request, "generate", generateOnce);
}

/** One run of generate; in batch mode, on the round's queue. */
function generateOnce(
  request: z.output<typeof GenerateRequestSchema>,
  batch: BatchQueue | undefined,
): Promise<GenerateResult> {
  return inStageFolder(request.out, async (folder) => {
    const stageInput = await resolveStageInput(request);
    const { task, scoring } = stageInput;
    const { levels, selfCheck } = request;
    const template = request.prompt ?? taskPrompt(task, "generation");
    const inputs = distinctInputs(stageInput.pairs, { limit: request.limit, cluster: stageInput.cluster });
    const plan = planGeneration(inputs, template, { levels, seed: scoring.seed });
    const total = inputs.length * levels;
    const guard = new StageGuard("generate", request.maxFailures, request.signal, batch);
    guard.plan(selfCheck ? total * 2 : total);
    return withStageClients(request, stageInput, folder, guard, batch, async (clients) => {
      const { client } = clients;
      const responses = await generateResponses(
        plan,
        client,
        { levels, ...(selfCheck ? { selfCheck } : {}), signal: guard.signal },
        (done) => request.onProgress?.({ step: "responses", done, total }),
      );
      guard.check(client.usage());
      const pairs = inputs.flatMap((one, i) => formPairs(one, responses[i]!, scoring.seed));
      const analysis = await profileStagePairs(
        request,
        stageInput,
        { clients, folder, guard },
        pairs,
        {
          inputName: `pairs generated by ${client.modelName}`,
          labelSource: `generation:${client.modelName}`,
        },
        // Each generated pair carries its input's human cluster as `group`.
        { keys: "group", recorded: stageInput.cluster },
      );
      const records = responses.flat();
      const tally = tallyResponses(records);
      const profile = await folder.profile(
        {
          ...analysis.profile,
          generation: {
            inputs: inputs.length,
            levels,
            responses: tally.written,
            dropped: tally.offTarget + tally.unscored,
            pairs: pairs.length,
          },
        },
        GenerationProfileSchema,
      );
      await folder.records("responses.jsonl", records);
      await folder.pairs(pairs);
      const prompt = { id: template.id, version: template.version };
      const counts: GenerationCounts = {
        humanPairs: stageInput.pairs.length,
        inputs: inputs.length,
        calls: total,
        ...tally,
        pairsFormed: pairs.length,
      };
      const usage = client.usage();
      const manifest = stageManifest(request, stageInput, clients, usage, {
        command: "generate",
        profile: analysis.profile,
        role: "generator",
        stage: {
          generation: {
            task: task.id,
            prompt,
            levels,
            limit: request.limit ?? null,
            selfCheck: selfCheck
              ? {
                  delta: selfCheck.delta,
                  prompt: { id: selfScorePrompt.id, version: selfScorePrompt.version },
                }
              : null,
            seeds:
              "per call: drawn from the seed, the input id and the level; a/b order: a coin per pair from the seed and the pair id",
          },
        },
        counts,
      });
      await folder.json("manifest.json", manifest);
      return {
        profile,
        responses: records,
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

/** Output tokens assumed per self-score call by a dry run. */
const selfScoreOutputTokens = 16;

/**
 * The calls generate would make, for a dry run: the writer's, and, priced with the human responses
 * of each input as stand-ins for the responses not yet written, the self-check's and the
 * extractor's.
 */
export async function planGenerate(
  input: GenerateRequest,
): Promise<{ inputs: number; levels: number; plans: CallPlan[] }> {
  const request = parseRequest(GenerateRequestSchema, input, "generate");
  const stageInput = await resolveStageInput(request);
  const { levels, selfCheck } = request;
  const inputs = distinctInputs(stageInput.pairs, { limit: request.limit, cluster: stageInput.cluster });
  const calls = planGeneration(inputs, request.prompt ?? taskPrompt(stageInput.task, "generation"), {
    levels,
    seed: request.seed,
  });
  const plans: CallPlan[] = [
    { purpose: "generate", model: request.model, requests: calls.flat().map(({ call }) => call) },
  ];
  const standIns = standInResponses(stageInput.pairs, inputs, levels, request.seed);
  const standInNote =
    "the responses are not written yet: priced with the human responses of each input as stand-ins";
  if (selfCheck) {
    const schema = selfScoreSchema(levels);
    plans.push({
      purpose: "self-score",
      model: request.model,
      requests: inputs.flatMap((one, i) =>
        standIns[i]!.map((record) => selfScoreCall(one, record.text!, schema, levels)),
      ),
      outputTokensPerCall: selfScoreOutputTokens,
      note: standInNote,
    });
  }
  if (request.extractor !== undefined) {
    const pairs = inputs.flatMap((one, i) => formPairs(one, standIns[i]!, request.seed));
    const extraction = await extractionCallPlan(
      { model: request.extractor, settings: request.extraction },
      { cache: request.cache, seed: request.seed, providers: request.providers },
      stageInput.factors.map(({ plugin }) => plugin),
      pairs,
      standInNote,
    );
    if (extraction) plans.push(extraction);
  }
  return { inputs: inputs.length, levels, plans };
}

/** For each input, `levels` kept responses whose texts are its human pairs' responses, in turn. */
function standInResponses(
  pairs: readonly Pair[],
  inputs: readonly GenerationInput[],
  levels: number,
  seed: number,
): ResponseRecord[][] {
  const texts = new Map<string, string[]>();
  for (const pair of pairs) {
    const key = groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt });
    texts.set(key, [...(texts.get(key) ?? []), pair.a, pair.b]);
  }
  return inputs.map((one) => {
    const own = texts.get(one.id) ?? [""];
    return Array.from({ length: levels }, (_, i) => ({
      inputId: one.id,
      level: i + 1,
      seed,
      text: own[i % own.length]!,
      status: "kept" as const,
    }));
  });
}

/** A dry run of generate: its calls priced (standard and batch rates), nothing called or written. */
export async function estimateGenerate(
  input: GenerateRequest,
): Promise<{ inputs: number; levels: number; dryRun: DryRun }> {
  const { inputs, levels, plans } = await planGenerate(input);
  const request = parseRequest(GenerateRequestSchema, input, "generate");
  return { inputs, levels, dryRun: await priceCallPlans(plans, request.cache, request.providers) };
}
