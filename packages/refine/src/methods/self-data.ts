import { groupKeyOf, ProfileSchema } from "@profilekit/core";
import { AlignmentFileSchema, align, GenerateRequestSchema, judge } from "@profilekit/runner";
import {
  inStageFolder,
  judgePairs,
  withStageClients,
  parseRequest,
  planJudgeCalls,
  profileStagePairs,
  RunFolderWriter,
  renderForPair,
  resolveStageInput,
  StageGuard,
  stageManifest,
  taskPrompt,
} from "@profilekit/runner/stage-kit";
import { z } from "zod";
import { validateRecords } from "../export/training-records.js";
import { writeExports } from "../export/write-exports.js";
import type { ImproveContext } from "../improve-context.js";
import { independently } from "../independent-parts.js";
import { sampleJudgements, trainingData } from "../preference-data.js";
import { drawSamples, planSamples, samplePairs } from "../samples.js";
import { splitInputs } from "../split.js";
import { type MethodOutcome, plainGeneration } from "./plain-generation.js";

const count = z.number().int().nonnegative();

/** data/profile.json: the profile of the exported preference pairs (chosen ≻ rejected), and how they were made. */
export const DataProfileSchema = ProfileSchema.extend({
  selfData: z.object({
    trainInputs: count,
    heldOutInputs: count,
    samples: count.describe("Samples written (non-empty)."),
    pairsJudged: count,
    consistent: count.describe("Pairs whose two orders the evaluator answered alike."),
    exported: count.describe("Preference rows kept after validation: the pairs profiled here."),
    evaluator: z.object({ model: z.string(), self: z.boolean() }),
  }),
});

/**
 * Fine-tuning data from the model's own judgements. The inputs are split first (split.json,
 * written before anything is made); for each training input the generator writes N samples, the
 * evaluator judges every two of them in both orders, and the pairs it answered alike become the
 * data (chosen = its winner), validated and written in every format (export/). data/ profiles
 * those exported pairs; before/ and before-evaluation/ hold the generator's plain generation and
 * its judging of the held-out inputs, the baseline `improve --method after` compares a tuned
 * model with; alignment.json aligns the data profile and the plain generation with the human one.
 */
export async function runSelfData(context: ImproveContext, top: RunFolderWriter): Promise<MethodOutcome> {
  const { request, input } = context;
  const split = splitInputs(
    context.inputs.map((one) => one.id),
    request.seed,
    request.heldOut,
  );
  await top.json("split.json", split);
  const heldOut = new Set(split.heldOut);
  const train = context.inputs.filter((one) => !heldOut.has(one.id));
  const heldOutPairs = input.pairs.filter((pair) =>
    heldOut.has(groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt })),
  );
  const generation = taskPrompt(input.task, "generation");
  const judgeTemplate = taskPrompt(input.task, "judge");
  const parsed = parseRequest(
    GenerateRequestSchema,
    { ...context.stageRequest("data"), model: context.budget.spec(request.model), levels: request.levels },
    "improve",
  );
  const dataPart = () =>
    inStageFolder(parsed.out, async (folder) => {
      const stageInput = await resolveStageInput(parsed);
      const plan = planSamples(train, generation, {
        samples: request.samples,
        levels: request.levels,
        temperature: request.temperature,
        seed: request.seed,
      });
      const pairsPerInput = (request.samples * (request.samples - 1)) / 2;
      const guard = new StageGuard(
        "improve --method self-data",
        parsed.maxFailures,
        parsed.signal,
        context.batch,
      );
      guard.plan(train.length * (request.samples + 2 * pairsPerInput));
      return withStageClients(parsed, stageInput, folder, guard, context.batch, async (clients) => {
        const evaluator = context.evaluator.self
          ? clients.client
          : clients.open(context.budget.spec(context.evaluator.spec));
        const total = train.length * request.samples;
        const samples = await drawSamples(
          plan,
          clients.client,
          { levels: request.levels, signal: guard.signal },
          (done) => parsed.onProgress?.({ step: "samples", done, total }),
        );
        const pairs = train.flatMap((one, i) => samplePairs(one, samples[i]!, request.seed));
        const judgements = await judgePairs(
          planJudgeCalls(pairs, judgeTemplate, { allowTies: false, seed: request.seed }),
          evaluator,
          (done) => parsed.onProgress?.({ step: "pairs judged", done, total: pairs.length }),
          guard.signal,
        );
        guard.check(clients.usage());
        // Every row is asked with the generation prompt at the top level: a request for the best response.
        const prompt = (one: (typeof train)[number]) =>
          renderForPair(generation, one, { level: request.levels, levels: request.levels });
        const { records, judged } = trainingData(train, pairs, judgements, prompt);
        const valid = validateRecords(records);
        const dataPairs = valid.preference.map((record) => {
          const { pair, label } = judged.get(record.id)!;
          return { ...pair, label };
        });
        const analysis = await profileStagePairs(
          parsed,
          stageInput,
          { clients, folder, guard },
          dataPairs,
          {
            inputName: `pairs judged by ${evaluator.modelName}`,
            labelSource: `judge:${evaluator.modelName}`,
          },
          { keys: "group", recorded: stageInput.cluster },
        );
        const selfData = {
          trainInputs: train.length,
          heldOutInputs: split.heldOut.length,
          samples: samples.flat().filter((r) => r.status === "kept").length,
          pairsJudged: pairs.length,
          consistent: judged.size,
          exported: dataPairs.length,
          evaluator: { model: evaluator.modelName, self: context.evaluator.self },
        };
        const profile = await folder.profile({ ...analysis.profile, selfData }, DataProfileSchema);
        await folder.pairs(dataPairs);
        const usage = clients.usage();
        const manifest = stageManifest(parsed, stageInput, clients, usage, {
          command: "improve",
          profile: analysis.profile,
          role: "generator",
          stage: {
            selfData: {
              task: input.task.id,
              evaluator: selfData.evaluator,
              prompts: { samples: generation.version, judge: judgeTemplate.version },
              samples: request.samples,
              temperature: request.temperature,
              orders: "both; only pairs whose two orders agree are kept, chosen = the evaluator's winner",
            },
          },
          counts: selfData,
        });
        await folder.json("manifest.json", manifest);
        return {
          profile,
          groupCounts: analysis.groupCounts,
          usage,
          samples,
          pairs,
          judgements,
          valid,
          selfData,
        };
      });
    });
  // The data, the baseline generation and the baseline judging need none of each other's answers.
  const [data, before] = await independently(context, [
    () => context.part("data", dataPart),
    () => plainGeneration(context, heldOutPairs),
    () =>
      context.part("before-evaluation", () =>
        judge({
          ...context.stageRequest("before-evaluation", heldOutPairs),
          model: context.budget.spec(request.model),
        }),
      ),
  ] as const);
  await top.records("responses.jsonl", data.samples.flat());
  await top.records("judgements.jsonl", sampleJudgements(data.pairs, data.judgements));
  const exports = await writeExports(await RunFolderWriter.open(context.folder("export")), data.valid);
  const alignment = await align({
    profiles: [
      { ...context.human, file: context.shown(context.human.file) },
      {
        file: "data/profile.json",
        label: "data",
        role: "evaluation",
        model: data.selfData.evaluator.model,
        profile: data.profile,
        groupCounts: data.groupCounts,
      },
      {
        file: "before/profile.json",
        label: "before",
        role: "generation",
        model: before.model,
        profile: before.profile,
        groupCounts: before.groupCounts,
      },
    ],
    replicates: request.replicates,
    seed: request.seed,
  });
  await top.json("alignment.json", AlignmentFileSchema.parse(alignment));
  return {
    split,
    exports,
    alignment,
    models: { generator: before.model, evaluator: data.selfData.evaluator.model },
    improve: {
      samples: request.samples,
      temperature: request.temperature,
      heldOut: request.heldOut,
      evaluator: data.selfData.evaluator,
    },
    folders: { data: "data", before: "before", beforeEvaluation: "before-evaluation", export: "export" },
    counts: { ...data.selfData, exportDropped: exports.dropped },
  };
}
