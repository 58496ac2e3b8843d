import { mkdir, rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { PluginRegistry, Profile } from "@profilekit/core";
import type { ReadPairsOptions } from "@profilekit/data";
import {
  createLanguageModel,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type UsageReport,
  UsageReportSchema,
} from "@profilekit/llm";
import { ProfilekitError, type TaskAdapter } from "@profilekit/spec";
import { z } from "zod";
import type { ScoringOptions } from "./analysis.js";
import type { LoadedConfig } from "./config-file.js";
import type { Config, ModelRef } from "./config-schema.js";
import { selectConfiguredFactors } from "./configured-factors.js";
import type { SelectedFactor } from "./factor-selection.js";
import { hashPath, hashValue } from "./fingerprint.js";
import { runHumanStage } from "./human-stage.js";
import type { ModelFlags } from "./model-options.js";
import { runGenerationStage } from "./generation-stage.js";
import { runJudgeStage } from "./judge-stage.js";
import { readStagePairs, type StagePairs } from "./pair-input.js";
import { type LoadedPlugin, loadPlugins } from "./plugin-loading.js";
import { type AlignmentFile, compareProfiles, writeAlignmentFile } from "./profile-comparison.js";
import type { ProfileInput, ProfileRole } from "./profile-inputs.js";
import { writeJsonFile } from "./run-folder.js";
import { selfScorePrompt } from "./self-score-prompt.js";
import type { StageProgress } from "./stage-models.js";
import { finishedStage, readStageFolder } from "./stage-state.js";
import { sumUsage } from "./usage-summary.js";
import { packageVersions } from "./versions.js";

/** What one setting of a run produced, and whether it ran now or was already finished. */
export interface StageOutcome {
  readonly setting: ProfileRole;
  /** Its folder, relative to the run folder. */
  readonly folder: string;
  /** ran now; resumed: finished earlier for the same inputs; found: written by `judge` or `generate`. */
  readonly status: "ran" | "resumed" | "found";
  /** The hash of the stage's inputs; absent for a found stage. */
  readonly configHash?: string;
  readonly profile: Profile;
  readonly model?: string;
  readonly usage?: UsageReport;
}

export interface RunOutcome {
  readonly outDir: string;
  readonly stages: readonly StageOutcome[];
  readonly alignment: AlignmentFile | undefined;
  readonly plugins: readonly LoadedPlugin[];
}

export interface RunOptions {
  /** Run every stage, finished or not. */
  readonly force?: boolean;
  readonly onStage?: (setting: ProfileRole, status: "running" | "resumed" | "found") => void;
  /** `step` names what is counted ("pairs", "pairs judged", "responses", "pairs profiled"). */
  readonly onProgress?: (setting: ProfileRole, step: string, done: number) => void;
}

/** The client settings of one configured model: its own, else the config's defaults, else the CLI's. */
export function modelFlagsOf(ref: ModelRef, config: Config, configDir: string): ModelFlags {
  const settings = { ...config.models.defaults, ...ref };
  return {
    ...(settings.baseURL ? { baseUrl: settings.baseURL } : {}),
    concurrency: settings.concurrency ?? DEFAULT_CONCURRENCY,
    ...(settings.rpm ? { rpm: settings.rpm } : {}),
    ...(settings.tpm ? { tpm: settings.tpm } : {}),
    timeout: settings.timeout ?? DEFAULT_TIMEOUT_MS,
    maxRetries: settings.maxRetries ?? DEFAULT_MAX_RETRIES,
    ...(settings.maxCost ? { maxCost: settings.maxCost } : {}),
    cache: config.cache !== false,
    cachePath: config.cache === false ? "" : resolve(configDir, config.cache),
  };
}

/** What the runner reads of a model setting's manifest.json (written by it, or by `judge` or `generate`). */
const ModelStageManifestSchema = z.looseObject({
  models: z.record(z.string(), z.string()).optional(),
  usage: UsageReportSchema.optional(),
});

const describeFactors = (factors: readonly SelectedFactor[]) =>
  factors.map(({ plugin, options }) => ({
    id: plugin.id,
    method: plugin.method,
    options,
    ...(plugin.prompt ? { promptVersion: plugin.prompt.version } : {}),
  }));

function resolveTask(registry: PluginRegistry, config: Config, file: string): TaskAdapter {
  try {
    return registry.task(config.task);
  } catch (error) {
    if (!(error instanceof ProfilekitError)) throw error;
    throw new ProfilekitError(error.code, `${file}: task: ${error.message}`, {
      location: { file, field: "task" },
      hint: "use a built-in task, or load a task adapter through plugins",
    });
  }
}

/** A model setting needs its task's prompt; checked before anything runs. */
function requireTaskPrompt(
  task: TaskAdapter,
  prompt: "judge" | "generation",
  setting: "evaluation" | "generation",
  file: string,
): void {
  if (task.prompts[prompt] !== undefined) return;
  throw new ProfilekitError(
    "missing_task_prompt",
    `${file}: settings.${setting}: task "${task.id}" has no ${prompt} prompt`,
    {
      location: { file, field: `settings.${setting}` },
      hint: `give the task adapter a prompts.${prompt} template, or remove settings.${setting}`,
    },
  );
}

/**
 * Each model a configured setting will call can be created (a known provider, an API key or a
 * local server): checked before any setting runs, so a missing key for the judge does not
 * surface only after the human setting has spent the extractor's calls.
 */
function checkModels(config: Config, file: string): void {
  const used = {
    extractor: true,
    judge: config.settings.evaluation !== undefined,
    generator: config.settings.generation !== undefined,
  };
  for (const role of ["extractor", "judge", "generator"] as const) {
    const ref = config.models[role];
    if (ref === undefined || !used[role]) continue;
    const baseURL = ref.baseURL ?? config.models.defaults.baseURL;
    try {
      createLanguageModel(ref.id, baseURL ? { baseURL } : {});
    } catch (error) {
      if (!(error instanceof ProfilekitError)) throw error;
      throw new ProfilekitError(error.code, `${file}: models.${role}: ${error.message}`, {
        location: { file, field: `models.${role}` },
        ...(error.hint ? { hint: error.hint } : {}),
      });
    }
  }
}

async function fingerprintData(path: string, file: string): Promise<string> {
  try {
    return await hashPath(path);
  } catch (error) {
    throw new ProfilekitError(
      "file_not_found",
      `${file}: data.path: ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      {
        location: { file, field: "data.path" },
        hint: "data.path is relative to the config file's folder",
      },
    );
  }
}

/** What a setting produced when it ran. */
interface StageRun {
  readonly profile: Profile;
  readonly usage?: UsageReport;
  readonly model?: string;
}

/** Runs one setting into `stageDir`, its manifest.json carrying `configHash`. */
type StageRunner = (stageDir: string, configHash: string, onProgress: StageProgress) => Promise<StageRun>;

/**
 * One setting of the run: skipped, and its profile read, when its folder holds a finished run for
 * the same `configHash` (unless `force`); otherwise run now.
 */
async function settleStage(
  stage: {
    readonly setting: ProfileRole;
    readonly outDir: string;
    readonly configHash: string;
    /** The models entry of the stage's manifest.json that names its model. */
    readonly modelRole?: "judge" | "generator";
    readonly run: StageRunner;
  },
  options: RunOptions,
): Promise<StageOutcome> {
  const { setting, configHash } = stage;
  const stageDir = join(stage.outDir, setting);
  const finished = options.force ? undefined : await finishedStage(stageDir, configHash);
  let result: StageRun;
  if (finished) {
    options.onStage?.(setting, "resumed");
    const { models, usage } = ModelStageManifestSchema.safeParse(finished.manifest).data ?? {};
    const model = stage.modelRole ? models?.[stage.modelRole] : undefined;
    result = { profile: finished.profile, ...(usage ? { usage } : {}), ...(model ? { model } : {}) };
  } else {
    options.onStage?.(setting, "running");
    // manifest.json, written last, marks the stage finished: an older one must not outlive a
    // run cut off before writing its own.
    await rm(join(stageDir, "manifest.json"), { force: true });
    result = await stage.run(stageDir, configHash, (step, done) => options.onProgress?.(setting, step, done));
  }
  return {
    setting,
    folder: setting,
    status: finished ? "resumed" : "ran",
    configHash,
    profile: result.profile,
    ...(result.model ? { model: result.model } : {}),
    ...(result.usage ? { usage: result.usage } : {}),
  };
}

/**
 * `profilekit run`: loads the config's plugins, then runs each configured setting into its
 * folder of the run folder (human/, evaluation/, generation/), skipping a setting that has
 * already finished for the same inputs, then aligns every model profile with the human one
 * (alignment/), and writes manifest.json at the top.
 */
export async function runConfig(
  loaded: LoadedConfig,
  registry: PluginRegistry,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const { config, file, dir } = loaded;
  const plugins = await loadPlugins(config.plugins, loaded, registry);
  const task = resolveTask(registry, config, file);
  const factors = selectConfiguredFactors(registry, task, config, file);
  const { evaluation, generation } = config.settings;
  if (evaluation !== undefined) requireTaskPrompt(task, "judge", "evaluation", file);
  if (generation !== undefined) requireTaskPrompt(task, "generation", "generation", file);
  checkModels(config, file);
  const outDir = resolve(dir, config.out ?? join("runs", task.id));
  const dataPath = resolve(dir, config.data.path);
  const dataHash = await fingerprintData(dataPath, file);
  const { path: _path, ...dataOptions } = config.data;
  const read: ReadPairsOptions = { ...dataOptions, task: config.task, seed: config.scoring.seed };
  const { alignmentReplicates, ...scoringFields } = config.scoring;
  const scoring: ScoringOptions = scoringFields;
  const modelOf = (ref: ModelRef) => ({ id: ref.id, flags: modelFlagsOf(ref, config, dir) });
  const extractor = config.models.extractor ? modelOf(config.models.extractor) : undefined;
  await mkdir(outDir, { recursive: true });

  // What every setting's results depend on; a model setting adds its model, prompt and options.
  const inputs = {
    data: dataHash,
    read,
    factors: describeFactors(factors),
    scoring,
    extractor: extractor?.id ?? null,
  };
  // The model settings hold every pair in memory: read them once, and only if one runs.
  let stagePairs: Promise<StagePairs> | undefined;
  const pairs = () => {
    stagePairs ??= readStagePairs(dataPath, read, config.data.path);
    return stagePairs;
  };
  const common = { task, factors, scoring, ...(extractor ? { extractor } : {}) };

  const stages: StageOutcome[] = [];
  if (config.settings.human) {
    stages.push(
      await settleStage(
        {
          setting: "human",
          outDir,
          configHash: hashValue({ setting: "human", ...inputs }),
          run: async (stageDir, configHash, onProgress) => {
            const result = await runHumanStage({
              dataPath,
              dataName: config.data.path,
              read,
              factors,
              scoring,
              outDir: stageDir,
              configHash,
              ...(extractor ? { extractor } : {}),
              pluginModules: plugins.map(({ module }) => module),
              onProgress: (done) => onProgress("pairs", done),
            });
            return { profile: result.profile, ...(result.usage ? { usage: result.usage } : {}) };
          },
        },
        options,
      ),
    );
  }
  // ConfigSchema refuses settings.evaluation without models.judge, and generation without a generator.
  if (evaluation !== undefined) {
    const judge = modelOf(config.models.judge!);
    stages.push(
      await settleStage(
        {
          setting: "evaluation",
          outDir,
          configHash: hashValue({
            setting: "evaluation",
            ...inputs,
            judge: judge.id,
            prompt: task.prompts.judge!.version,
            allowTies: evaluation.allowTies,
          }),
          modelRole: "judge",
          run: async (stageDir, configHash, onProgress) =>
            runJudgeStage({
              ...common,
              input: await pairs(),
              model: judge,
              allowTies: evaluation.allowTies,
              outDir: stageDir,
              configHash,
              onProgress,
            }),
        },
        options,
      ),
    );
  }
  if (generation !== undefined) {
    const generator = modelOf(config.models.generator!);
    const selfCheck = generation.selfCheck ? { delta: generation.delta } : undefined;
    stages.push(
      await settleStage(
        {
          setting: "generation",
          outDir,
          configHash: hashValue({
            setting: "generation",
            ...inputs,
            generator: generator.id,
            prompt: task.prompts.generation!.version,
            levels: generation.levels,
            limit: generation.limit ?? null,
            selfCheck: selfCheck ? { ...selfCheck, prompt: selfScorePrompt.version } : null,
          }),
          modelRole: "generator",
          run: async (stageDir, configHash, onProgress) =>
            runGenerationStage({
              ...common,
              input: await pairs(),
              model: generator,
              levels: generation.levels,
              ...(generation.limit !== undefined ? { limit: generation.limit } : {}),
              ...(selfCheck ? { selfCheck } : {}),
              outDir: stageDir,
              configHash,
              onProgress,
            }),
        },
        options,
      ),
    );
  }

  // A model setting the config does not run may have been written into the run folder by
  // `profilekit judge` / `generate` (--out <run>/evaluation, <run>/generation): it is aligned too.
  for (const setting of ["evaluation", "generation"] as const) {
    if (config.settings[setting] !== undefined) continue;
    const found = await readStageFolder(join(outDir, setting));
    if (found === undefined) continue;
    options.onStage?.(setting, "found");
    const { models: ids, usage } = ModelStageManifestSchema.safeParse(found.manifest).data ?? {};
    const model = ids?.[setting === "evaluation" ? "judge" : "generator"];
    stages.push({
      setting,
      folder: setting,
      status: "found",
      profile: found.profile,
      ...(model ? { model } : {}),
      ...(usage ? { usage } : {}),
    });
  }

  const alignment = await alignStages(stages, outDir, {
    replicates: alignmentReplicates,
    seed: config.scoring.seed,
  });
  await writeJsonFile(outDir, "manifest.json", {
    schemaVersion: 1,
    command: "run",
    config: { file: relative(outDir, file), hash: hashValue(config), resolved: config },
    task: task.id,
    data: { path: config.data.path, sha256: dataHash },
    plugins: plugins.map(({ spec, factors: ids, tasks }) => ({ spec, factors: ids, tasks })),
    factors: describeFactors(factors),
    seed: config.scoring.seed,
    models: Object.fromEntries(
      (["judge", "generator", "extractor"] as const).flatMap((role) => {
        const ref = config.models[role];
        return ref ? [[role, ref.id]] : [];
      }),
    ),
    stages: Object.fromEntries([
      ...stages.map((stage) => [
        stage.setting,
        {
          folder: stage.folder,
          status: stage.status === "found" ? "found" : "run",
          ...(stage.configHash ? { configHash: stage.configHash } : {}),
          pairs: stage.profile.pairs,
          preferenceTies: stage.profile.preferenceTies,
          groups: stage.profile.groups,
          ...(stage.model ? { model: stage.model } : {}),
        },
      ]),
      ...(alignment
        ? [["alignment", { folder: "alignment", comparisons: alignment.comparisons.length }]]
        : []),
    ]),
    usage: usageOf(stages),
    versions: packageVersions([
      "@profilekit/core",
      "@profilekit/data",
      "@profilekit/llm",
      "@profilekit/spec",
      `@profilekit/task-${task.id}`,
    ]),
    node: process.versions.node,
  });
  return { outDir, stages, alignment, plugins };
}

/** alignment/alignment.json: every model setting's profile against the human one, when both ran. */
async function alignStages(
  stages: readonly StageOutcome[],
  outDir: string,
  options: { replicates: number; seed: number },
): Promise<AlignmentFile | undefined> {
  const human = stages.find((stage) => stage.setting === "human");
  const models = stages.filter((stage) => stage.setting !== "human");
  if (human === undefined || models.length === 0) return undefined;
  const input = (stage: StageOutcome): ProfileInput => ({
    file: join(stage.folder, "profile.json"),
    label: stage.setting,
    role: stage.setting,
    model: stage.model,
    profile: stage.profile,
  });
  const alignment = compareProfiles([human, ...models].map(input), options);
  await writeAlignmentFile(join(outDir, "alignment"), alignment);
  return alignment;
}

/**
 * manifest.json's usage: each stage's report (from when it ran), and the sums over every
 * stage and model: calls, tokens and cost (null when a model had no price).
 */
function usageOf(stages: readonly StageOutcome[]) {
  const reports = stages.flatMap((stage) => (stage.usage ? [[stage.setting, stage.usage] as const] : []));
  const summed = sumUsage(reports.map(([, report]) => report));
  return { byStage: Object.fromEntries(reports), ...summed, costUsd: summed.total.costUsd };
}
