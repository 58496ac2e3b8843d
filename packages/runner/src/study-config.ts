import { defaultPermutations, KendallVariantSchema } from "@profilekit/core";
import { ReadPairsOptionsSchema } from "@profilekit/data";
import { ClusterLevelSchema, ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { BatchModeSchema } from "./batch-rounds.js";
import { formatFieldPath } from "./field-path.js";
import { ExtractionSettingsSchema } from "./model-extraction.js";
import { CacheSpecSchema, ModelSettingsSchema, ModelSpecSchema } from "./model-spec.js";
import { MaxFailuresSchema } from "./stage-guard.js";
import type { StudyStage } from "./study-stage.js";

const DataSchema = ReadPairsOptionsSchema.omit({ task: true, seed: true }).extend({
  path: z
    .string()
    .min(1)
    .describe("The pairs: a file, or a dataset folder read through `preset`; relative to the config file."),
});

const SettingsSchema = z.strictObject({
  human: z.boolean().default(true).describe("Profile the data's own (human) labels."),
  evaluation: z
    .strictObject({ allowTies: z.boolean().default(false).describe("Let the judge answer tie.") })
    .optional()
    .describe("The judge model labels every pair (in both orders); needs models.judge."),
  generation: z
    .strictObject({
      levels: z.int().min(2).max(10).default(5).describe("K: responses per input, aimed at quality 1..K."),
      selfCheck: z
        .boolean()
        .default(false)
        .describe("The generator scores each response; off-target ones are dropped."),
      delta: z.int().min(0).default(1).describe("With selfCheck: the largest |self-score - level| kept."),
      limit: z.int().min(1).optional().describe("Use the first N distinct inputs of the data."),
    })
    .optional()
    .describe("The generator writes K responses per input; needs models.generator."),
});

const ScoringSchema = z.strictObject({
  variant: KendallVariantSchema.default("tau14"),
  bootstrap: z.int().min(0).max(1_000_000).default(1000),
  permutations: z.int().min(0).max(1_000_000).default(defaultPermutations),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  alignmentReplicates: z.int().min(0).max(1_000_000).default(2000),
  cluster: ClusterLevelSchema.optional().describe(
    "The resampling unit (source, prompt, source+prompt, pair, group, meta.<key>, auto). Default: the data preset's natural level.",
  ),
});

function configSchemaWith(stages: readonly StudyStage[]) {
  // The registered blocks are validated at run time; the type keeps the built-in settings only
  // (a registered stage reads its block through its own schema).
  const settings = SettingsSchema.extend(
    Object.fromEntries(stages.map((stage) => [stage.setting, stage.schema.optional()])),
  ) as unknown as typeof SettingsSchema;
  return z
    .strictObject({
      task: z
        .string()
        .min(1)
        .describe("The task id: its prompts, and its factor set when `factors` is not given."),
      data: DataSchema,
      factors: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .describe(
          "Factor ids. Default: the task's factors that need no model (all of them with models.extractor), and its classical measures.",
        ),
      factorOptions: z
        .record(z.string(), z.record(z.string(), z.unknown()))
        .default({})
        .describe("Options per factor id, e.g. { length: { unit: 'chars' } }."),
      plugins: z
        .array(z.string().min(1))
        .default([])
        .describe("Modules to load and register: package names, or paths relative to the config file."),
      models: z
        .strictObject({
          judge: ModelSpecSchema.optional(),
          generator: ModelSpecSchema.optional(),
          extractor: ModelSpecSchema.optional(),
          defaults: ModelSettingsSchema.default({}).describe("Settings of every model; a model's own win."),
        })
        .default({ defaults: {} }),
      settings: settings.default({ human: true }),
      scoring: ScoringSchema.default({
        variant: "tau14",
        bootstrap: 1000,
        permutations: defaultPermutations,
        seed: 1,
        alignmentReplicates: 2000,
      }),
      out: z.string().min(1).optional().describe("The run folder. Default: runs/<task>."),
      extraction: ExtractionSettingsSchema.default({
        mode: "joint",
        readings: 1,
        bothOrders: true,
        sourceBudget: 24_000,
      }).describe("How models.extractor is asked, in every setting."),
      cache: CacheSpecSchema,
      maxFailures: MaxFailuresSchema,
      batch: BatchModeSchema.default("off").describe(
        "Batch mode of every model call: off, submit, wait, or { mode: 'export', file } (docs/scaling.md).",
      ),
      report: z
        .boolean()
        .default(true)
        .describe("Write report.html and report.md into the run folder at the end (`profilekit run`)."),
    })
    .superRefine((config, context) => {
      const needs = (setting: "evaluation" | "generation", model: "judge" | "generator") => {
        if (config.settings[setting] !== undefined && config.models[model] === undefined) {
          context.addIssue({
            code: "custom",
            path: ["models", model],
            message: `settings.${setting} needs a ${model} model, e.g. ${model}: "openai:gpt-4o-mini"`,
          });
        }
      };
      needs("evaluation", "judge");
      needs("generation", "generator");
      const settings = config.settings as Record<string, unknown>;
      for (const stage of stages) {
        const value = settings[stage.setting];
        if (value === undefined) continue;
        for (const model of stage.models(value)) {
          if (config.models[model] !== undefined) continue;
          context.addIssue({
            code: "custom",
            path: ["models", model],
            message: `settings.${stage.setting} needs a ${model} model, e.g. ${model}: "openai:gpt-4o-mini"`,
          });
        }
        for (const setting of stage.needs) {
          if (setting === "human" ? config.settings.human : config.settings[setting] !== undefined) continue;
          context.addIssue({
            code: "custom",
            path: ["settings", setting],
            message: `settings.${stage.setting} reads the ${setting} setting's folder: turn settings.${setting} on`,
          });
        }
      }
      const added = stages.some((stage) => settings[stage.setting] !== undefined);
      if (
        !config.settings.human &&
        config.settings.evaluation === undefined &&
        config.settings.generation === undefined &&
        !added
      ) {
        context.addIssue({
          code: "custom",
          path: ["settings"],
          message: `no setting to run: set human, evaluation or generation${stages.map((stage) => `, or ${stage.setting}`).join("")}`,
        });
      }
    });
}

/**
 * profilekit.config.ts: what `profilekit run` does, with the settings of the built-in stages
 * (`configSchema(stages)` adds those of registered stages, such as refine's `improvement`).
 * Relative paths (data.path, plugins, out, cache) are resolved from the config file's folder.
 */
export const ConfigSchema = configSchemaWith([]);

/** ConfigSchema with the blocks of registered stages under `settings`. */
export function configSchema(stages: readonly StudyStage[] = []): typeof ConfigSchema {
  return stages.length === 0 ? ConfigSchema : (configSchemaWith(stages) as unknown as typeof ConfigSchema);
}

/** A config as it is written (defaults still absent). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** A config after validation, with every default applied. */
export type Config = z.output<typeof ConfigSchema>;

/**
 * Types a profilekit.config.ts. It returns the config unchanged: `profilekit run` validates
 * it against ConfigSchema when it loads the file, so errors name the file and the field.
 *
 * ```ts
 * import { defineConfig } from "profilekit";
 * export default defineConfig({ task: "summarization", data: { path: "./pairs.jsonl" } });
 * ```
 */
export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}

/**
 * Validates a config object; the error names the file and every field that is wrong. `stages`:
 * the registered stages whose settings the config may hold.
 */
export function parseConfig(value: unknown, file: string, stages: readonly StudyStage[] = []): Config {
  const parsed = configSchema(stages).safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue: z.core.$ZodIssue) => {
    // A misspelt key is reported on its parent object; name the key itself.
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
    const field = formatFieldPath(path);
    return { field, text: `${field === "" ? "(the config)" : field}: ${issue.message}` };
  });
  const first = issues[0]!;
  throw new ProfilekitError(
    "invalid_config",
    issues.length === 1
      ? `${file}: ${first.text}`
      : `${file} has ${issues.length} problems:\n${issues.map((issue) => `  - ${issue.text}`).join("\n")}`,
    {
      location: { file, ...(first.field === "" ? {} : { field: first.field }) },
      hint: "docs/configuration.md describes every field",
    },
  );
}
