import { join, resolve } from "node:path";
import {
  type ConfigInput as RunnerConfigInput,
  configSchema,
  type StudyModelRole,
  type StudyStage,
  type StudyStageContext,
} from "@profilekit/runner";
import { ImproveMethodSchema } from "@profilekit/spec";
import { z } from "zod";
import { improve } from "./improve.js";
import type { ImproveRequest } from "./improve-request.js";
import { planImprove } from "./plan.js";
import { critiquePrompt, guidedGenerationPrompt, revisionGuidancePrompt } from "./prompts.js";

/** `settings.improvement` of a profilekit.config.ts: what `improve` does inside `profilekit run`. */
export const ImprovementSettingsSchema = z.strictObject({
  method: ImproveMethodSchema.describe(
    "guided, feedback, self-data, or after (a tuned model against a self-data run).",
  ),
  evaluator: z
    .enum(["self", "judge"])
    .default("self")
    .describe("Who critiques (feedback) or judges (self-data): the generator itself, or models.judge."),
  levels: z.int().min(2).max(20).default(5).describe("K: responses per input, aimed at scores 1..K."),
  limit: z.int().min(1).optional().describe("Use the first N distinct inputs of the data."),
  rounds: z.int().min(1).max(10).default(2).describe("feedback: the most critique-and-revise rounds."),
  samples: z.int().min(2).max(20).default(4).describe("self-data: responses sampled per training input."),
  temperature: z.number().min(0).max(2).default(1).describe("self-data: the samples' temperature."),
  heldOut: z.number().gt(0).lt(1).default(0.2).describe("self-data: the share of inputs held out."),
  guidanceFactors: z
    .int()
    .min(1)
    .max(20)
    .default(3)
    .describe("guided: the human profile's strongest factors named."),
  from: z
    .string()
    .min(1)
    .optional()
    .describe(
      "after: the self-data run folder, relative to the config file (models.generator is the tuned model).",
    ),
});
export type ImprovementSettings = z.output<typeof ImprovementSettingsSchema>;

/** The improve request of the study's improvement setting: the study's data, factors, models and scoring. */
async function requestOf(context: StudyStageContext<ImprovementSettings>): Promise<ImproveRequest> {
  const { settings, models, common } = context;
  const { evaluator, from, method, limit, ...options } = settings;
  return {
    ...common,
    ...options,
    method,
    pairs: await context.pairs(),
    model: models.generator!,
    evaluator: evaluator === "judge" ? models.judge! : "self",
    human: join(context.outDir, "human"),
    ...(limit === undefined ? {} : { limit }),
    ...(from === undefined ? {} : { from: resolve(context.configDir, from) }),
    replicates: context.alignmentReplicates,
    out: context.dir,
    provenance: context.provenance,
    onProgress: context.onProgress,
    ...(context.batch ? { batch: context.batch } : {}),
  };
}

/**
 * The `improvement` setting of `profilekit run` (registered by the CLI): `improve` on the study's
 * data, with models.generator as the generator (the tuned model for `after`), models.judge as the
 * evaluator when `evaluator: "judge"`, and the study's human/ profile as the reference. It runs
 * after the built-in settings and resumes like them: its configHash covers the study's inputs,
 * its settings, its models and refine's prompts.
 */
export const improvementStage: StudyStage<ImprovementSettings> = {
  setting: "improvement",
  schema: ImprovementSettingsSchema,
  needs: ["human"],
  models: (settings): StudyModelRole[] =>
    settings.evaluator === "judge" ? ["generator", "judge"] : ["generator"],
  hashInputs: ({ settings, models, task, configDir }) => ({
    settings: {
      ...settings,
      ...(settings.from === undefined ? {} : { from: resolve(configDir, settings.from) }),
    },
    generator: models.generator?.id ?? null,
    generatorEndpoint: models.generator?.baseURL ?? null,
    judge: settings.evaluator === "judge" ? (models.judge?.id ?? null) : null,
    prompts: {
      task: [task.prompts.generation?.version, task.prompts.judge?.version, task.prompts.guidance?.version],
      refine: [guidedGenerationPrompt.version, critiquePrompt.version, revisionGuidancePrompt.version],
    },
  }),
  run: async (context) => {
    const result = await improve(await requestOf(context));
    return { usage: result.usage };
  },
  plan: async (context) => (await planImprove(await requestOf(context))).plans,
};

/** A profilekit.config.ts that may hold `settings.improvement`: what `profilekit run` (which registers improvementStage) accepts. */
export type ConfigInput = RunnerConfigInput & {
  readonly settings?: NonNullable<RunnerConfigInput["settings"]> & {
    readonly improvement?: z.input<typeof ImprovementSettingsSchema>;
  };
};

/** The schema `profilekit run` validates a config with: the runner's, with `settings.improvement`. */
export const ConfigSchema = configSchema([improvementStage as StudyStage]);

/** Types a profilekit.config.ts that may hold `settings.improvement`; it returns the config unchanged. */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}
