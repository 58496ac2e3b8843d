import { join } from "node:path";
import { groupKeyOf } from "@profilekit/core";
import { generate, judge, readProfileInput, readRunJson } from "@profilekit/runner";
import { ProfilekitError, SplitFileSchema, StageManifestSchema } from "@profilekit/spec";
import { z } from "zod";
import type { ImproveContext } from "../improve-context.js";
import { independently } from "../independent-parts.js";
import { improvementFile, pairedChange } from "../measure.js";
import type { MethodOutcome } from "./plain-generation.js";

/** What `after` reads of the baseline's manifest.json: how it generated, and with which models. */
const BaselineManifestSchema = StageManifestSchema.extend({
  generation: z.looseObject({ levels: z.number().int() }),
  models: z.looseObject({ generator: z.string(), extractor: z.string().optional() }),
});

function mismatch(what: string, baseline: unknown, now: unknown, file: string): ProfilekitError {
  return new ProfilekitError(
    "improvement_mismatch",
    `${file} was made with ${what} ${JSON.stringify(baseline)}, this run asks for ${JSON.stringify(now)}: before and after would not be measured alike`,
    {
      location: { file },
      hint: `run with the ${what} of the self-data run (its manifest.json), so both generations share inputs, levels, seeds, factors and extractor`,
    },
  );
}

/** The self-data run's split and baseline, checked against this run's settings. */
async function readBaseline(context: ImproveContext, from: string) {
  const splitFile = join(from, "split.json");
  const split = await readRunJson(splitFile, SplitFileSchema);
  if (split === undefined) {
    throw new ProfilekitError(
      "file_not_found",
      `${from} holds no split.json: it is not a self-data run folder`,
      {
        location: { file: splitFile },
        hint: "give the --out folder of `profilekit improve --method self-data`",
      },
    );
  }
  const manifestFile = join(from, "before", "manifest.json");
  const manifest = await readRunJson(manifestFile, BaselineManifestSchema);
  if (manifest === undefined) {
    throw new ProfilekitError(
      "file_not_found",
      `${from}/before has no manifest.json: the self-data run did not finish`,
      {
        location: { file: manifestFile },
        hint: "run the same self-data command again to finish it (its calls come from the cache)",
      },
    );
  }
  const { request, input } = context;
  const factors = input.factors.map(({ plugin }) => plugin.id);
  const checks: [string, unknown, unknown][] = [
    ["levels", manifest.generation.levels, request.levels],
    ["seed", manifest.scoring.seed, request.seed],
    ["extractor", manifest.models.extractor ?? null, request.extractor?.id ?? null],
    ["factors", manifest.factors.map((f) => f.id), factors],
    ["seed of the split", split.seed, request.seed],
  ];
  for (const [what, baseline, now] of checks) {
    if (JSON.stringify(baseline) !== JSON.stringify(now)) throw mismatch(what, baseline, now, manifestFile);
  }
  const before = await readProfileInput(join(from, "before"), { role: "generation" });
  const beforeEvaluation = await readProfileInput(join(from, "before-evaluation"), { role: "evaluation" });
  for (const profile of [before, beforeEvaluation]) {
    if (profile.groupCounts === undefined) {
      throw new ProfilekitError("missing_group_counts", `${profile.file} has no groups.json beside it`, {
        location: { file: profile.file },
        hint: "run the self-data command again with this release: its calls come from the cache",
      });
    }
  }
  return { split, baseModel: manifest.models.generator, before, beforeEvaluation };
}

/**
 * After fine-tuning elsewhere: the tuned model (`model`) writes for the held-out inputs of a
 * self-data run (after/) and judges their human pairs (evaluation/); improvement.json compares both
 * with the self-data run's baseline of the base model on the same inputs, levels and seeds, with
 * the same extractor (generation), and as a judge of the same pairs (evaluation).
 */
export async function runAfter(context: ImproveContext): Promise<MethodOutcome> {
  const { request, input } = context;
  const from = request.from!;
  const baseline = await readBaseline(context, from);
  const heldOut = new Set(baseline.split.heldOut);
  const pairs = input.pairs.filter((pair) =>
    heldOut.has(groupKeyOf({ id: pair.id, source: pair.source, prompt: pair.prompt })),
  );
  if (pairs.length === 0) {
    throw new ProfilekitError(
      "improvement_mismatch",
      `none of the pairs given is from the ${heldOut.size} held-out inputs of ${from}/split.json`,
      { hint: "give the same pairs the self-data run was given" },
    );
  }
  // The tuned model as a writer and as a judge: neither needs the other's answers.
  const [after, evaluation] = await independently(context, [
    () =>
      context.part("after", () =>
        generate({
          ...context.stageRequest("after", pairs),
          model: context.budget.spec(request.model),
          levels: request.levels,
        }),
      ),
    () =>
      context.part("evaluation", () =>
        judge({ ...context.stageRequest("evaluation", pairs), model: context.budget.spec(request.model) }),
      ),
  ] as const);
  const there = (folder: string) => context.shown(join(from, folder));
  const improvement = improvementFile(context, {
    model: after.model,
    baseModel: baseline.baseModel,
    evaluator: null,
    split: "held-out",
    inputs: after.counts.inputs,
    folders: { before: there("before"), after: "after" },
    generation: pairedChange(context, baseline.before.groupCounts!, after.groupCounts),
    evaluation: {
      ...pairedChange(context, baseline.beforeEvaluation.groupCounts!, evaluation.groupCounts),
      folders: { before: there("before-evaluation"), after: "evaluation" },
    },
  });
  return {
    improvement,
    models: { generator: after.model, base: baseline.baseModel },
    improve: { from: context.shown(from), heldOutInputs: baseline.split.heldOut.length },
    folders: { before: there("before"), after: "after", evaluation: "evaluation" },
    counts: { heldOutPairs: pairs.length, afterPairs: after.counts.pairsFormed },
  };
}
