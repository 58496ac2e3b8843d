import { rm } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { GroupCountsSchema, type PluginRegistry, type Profile } from "@profilekit/core";
import {
  type BatchQueue,
  createLanguageModel,
  createProviderRegistry,
  EXTRACTION_TEMPLATE_VERSIONS,
  type ProviderRegistry,
  type UsageReport,
  UsageReportSchema,
} from "@profilekit/llm";
import { canonicalHash, ProfilekitError, runFolderSchemaVersion, type TaskAdapter } from "@profilekit/spec";
import { z } from "zod";
import { type AlignmentFile, compareProfiles, writeAlignmentFile } from "./alignment-stage.js";
import { type BatchMode, inBatchRounds, leftToQueue, pendingOn, plannedRounds } from "./batch-rounds.js";
import { createBuiltinRegistry } from "./builtins.js";
import {
  type SelectedFactor,
  requireExtractorFor,
  selectFactors,
  taskFactorIds,
} from "./factor-selection.js";
import { hashPath } from "./fingerprint.js";
import { type CallPlan, type DryRun, priceCallPlans } from "./dry-run.js";
import { generate, planGenerate } from "./generation-stage.js";
import { analyze, planAnalyze } from "./human-stage.js";
import { judge, planJudge } from "./judge-stage.js";
import type { StageProgress } from "./model-stage.js";
import type { ModelSpec } from "./model-spec.js";
import { type PairSet, readPairSet } from "./pair-set.js";
import { type LoadedPlugin, loadPlugins } from "./plugin-loading.js";
import type { ProfileInput, ProfileRole } from "./profile-inputs.js";
import { packageVersions } from "./provenance.js";
import { prepareOutputFolder } from "./run-folder/output-folder.js";
import { finishedRunFolder, foundStageFolder, readRunJson } from "./run-folder/reader.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import { selfScorePrompt } from "./self-score-prompt.js";
import type { Config } from "./study-config.js";
import type {
  AddedStageOutcome,
  StudyCommonFields,
  StudyModelRole,
  StudyStage,
  StudyStageContext,
} from "./study-stage.js";
import { clusterLevelOf } from "./stage-request.js";
import { sumUsage } from "./usage-sum.js";

/** A validated config and where it came from: relative paths in it are taken from `dir`. */
export interface StudyConfig {
  /** The config file, absolute (named in messages and in the run's manifest.json). */
  readonly file: string;
  /** Its folder: relative paths in the config are resolved from here. */
  readonly dir: string;
  /** Validated, every default applied, paths as written. */
  readonly config: Config;
}

/** What one setting of a study produced, and whether it ran now or was already finished. */
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

export interface StudyOutcome {
  readonly outDir: string;
  readonly stages: readonly StageOutcome[];
  /** The registered stages the config ran (after the built-in settings and the alignment). */
  readonly added: readonly AddedStageOutcome[];
  readonly alignment: AlignmentFile | undefined;
  readonly plugins: readonly LoadedPlugin[];
}

export interface StudyOptions {
  /** Run every stage, finished or not. */
  readonly force?: boolean;
  /** Where the config's factor ids and tasks are looked up; its plugins are registered here too. */
  readonly registry?: PluginRegistry;
  /** Where the config's model ids are resolved; the model providers its plugins export join it. */
  readonly providers?: ProviderRegistry;
  /** Versions of the app that runs the study, for the manifests. */
  readonly versions?: Readonly<Record<string, string>>;
  /** A setting (a built-in one, or a registered stage's) starts, is skipped as finished, or is found. */
  readonly onStage?: (setting: string, status: "running" | "resumed" | "found") => void;
  /**
   * `step` names what is counted ("pairs", "pairs judged", "responses", "pairs profiled"); in
   * batch wait mode, "batch" tells the batches' progress.
   */
  readonly onProgress?: (setting: string, event: Parameters<StageProgress>[0]) => void;
  readonly signal?: AbortSignal;
  /** Batch mode for every stage, over the config's `batch`. */
  readonly batch?: BatchMode;
  /** Stages registered beside the built-in settings (refine's `improvement`); see StudyStage. */
  readonly stages?: readonly StudyStage[];
}

/** What the study reads of a model setting's manifest.json (written by it, or by `judge` or `generate`). */
const ModelStageManifestSchema = z.looseObject({
  models: z.record(z.string(), z.string()).optional(),
  usage: UsageReportSchema.optional(),
});

/** A config error naming the file and the field, from an error raised deeper down. */
function atField(error: unknown, file: string, field: string, hint?: string): never {
  if (!(error instanceof ProfilekitError)) throw error;
  throw new ProfilekitError(error.code, `${file}: ${field}: ${error.message}`, {
    location: { file, field },
    ...((hint ?? error.hint) ? { hint: hint ?? error.hint } : {}),
  });
}

function resolveTask(registry: PluginRegistry, config: Config, file: string): TaskAdapter {
  try {
    return registry.task(config.task);
  } catch (error) {
    atField(error, file, "task", "use a built-in task, or load a task adapter through plugins");
  }
}

/** The factors of a config: `factors` when given, else the task's (all of them with models.extractor). */
function configuredFactors(registry: PluginRegistry, task: TaskAdapter, config: Config, file: string) {
  const extractor = config.models.extractor;
  let factors: SelectedFactor[];
  try {
    factors = selectFactors(
      registry,
      config.factors ?? taskFactorIds(registry, task, extractor !== undefined),
      config.factorOptions,
      { prefix: `${file}: `, file },
    );
  } catch (error) {
    if (error instanceof ProfilekitError && error.location?.file === file) throw error;
    atField(error, file, "factors");
  }
  try {
    requireExtractorFor(
      factors,
      extractor,
      'set models.extractor, e.g. "openai:gpt-4o-mini", or leave these factors out',
    );
  } catch (error) {
    atField(error, file, "models.extractor");
  }
  return factors;
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
function checkModels(
  models: Record<"extractor" | "judge" | "generator", ModelSpec | undefined>,
  providers: ProviderRegistry,
  file: string,
): Partial<Record<"extractor" | "judge" | "generator", string | null>> {
  const endpoints: Partial<Record<"extractor" | "judge" | "generator", string | null>> = {};
  for (const role of ["extractor", "judge", "generator"] as const) {
    const spec = models[role];
    if (spec === undefined) continue;
    try {
      const model = createLanguageModel(spec.id, {
        ...(spec.baseURL ? { baseURL: spec.baseURL } : {}),
        registry: providers,
      });
      // The endpoint it resolved to (the config's, or the environment's): part of the resume key.
      endpoints[role] = model.baseURL ?? null;
    } catch (error) {
      atField(error, file, `models.${role}`);
    }
  }
  return endpoints;
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

/** A config's model, with the config's defaults under its own settings and its cache. */
function modelOf(ref: ModelSpec, config: Config): ModelSpec {
  return { ...config.models.defaults, ...ref };
}

/** What a setting produced when it ran. */
interface StageRun {
  readonly profile: Profile;
  readonly usage?: UsageReport;
  readonly model?: string;
}

/** One run of a study in batch mode: the round's queue, and the settings whose calls went to it. */
interface StudyRound {
  readonly queue: BatchQueue | undefined;
  /** Each pending setting (built-in or registered), run again on a planning queue (to count the rounds ahead). */
  readonly pending: Map<string, (planning: BatchQueue) => Promise<unknown>>;
  /** What the pending settings' synchronous calls (canaries, fallbacks) used. */
  readonly usage: UsageReport[];
}

/** Runs one setting into `stageDir`, its manifest.json carrying `configHash`; in batch mode, on `batch`. */
type StageRunner = (stageDir: string, configHash: string, batch: BatchQueue | undefined) => Promise<StageRun>;

/**
 * One setting of the study: skipped, and its profile read, when its folder holds a finished run
 * for the same `configHash` (unless `force`); otherwise run now.
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
  options: StudyOptions,
  batch: StudyRound,
): Promise<StageOutcome> {
  const { setting, configHash } = stage;
  const stageDir = join(stage.outDir, setting);
  const found = options.force ? undefined : await finishedRunFolder(stageDir);
  const finished = found?.manifest?.configHash === configHash ? found : undefined;
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
    try {
      result = await stage.run(stageDir, configHash, batch.queue);
    } catch (error) {
      // Its calls went to the round's queue: planned ahead with the round's other stages.
      if (leftToQueue(error)) {
        batch.pending.set(setting, (planning) => stage.run(stageDir, configHash, planning));
      }
      throw error;
    }
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

const describeFactors = (factors: readonly SelectedFactor[]) =>
  factors.map(({ plugin, options }) => ({
    id: plugin.id,
    method: plugin.method,
    options,
    ...(plugin.prompt ? { promptVersion: plugin.prompt.version } : {}),
  }));

/**
 * A study, as `profilekit run` runs a profilekit.config.ts: loads the config's plugins, then runs
 * each configured setting into its folder of the run folder (human/, evaluation/, generation/),
 * skipping a setting that has already finished for the same inputs, then aligns every model
 * profile with the human one (alignment/), and writes manifest.json at the top.
 */
/** Everything a study resolves from its config before any setting runs (or is priced). */
async function resolveStudy(study: StudyConfig, options: StudyOptions) {
  const { config, file, dir } = study;
  const registry = options.registry ?? createBuiltinRegistry();
  const providers = options.providers ?? createProviderRegistry();
  const plugins = await loadPlugins(config.plugins, study, registry, providers);
  const task = resolveTask(registry, config, file);
  const factors = configuredFactors(registry, task, config, file);
  const { evaluation, generation } = config.settings;
  if (evaluation !== undefined) requireTaskPrompt(task, "judge", "evaluation", file);
  if (generation !== undefined) requireTaskPrompt(task, "generation", "generation", file);
  const extractor = config.models.extractor ? modelOf(config.models.extractor, config) : undefined;
  const added = addedStagesOf(config, options.stages ?? []);
  const uses = (role: StudyModelRole) =>
    added.some(({ stage, settings }) => stage.models(settings).includes(role));
  // ConfigSchema refuses settings.evaluation without models.judge, and generation without a generator.
  const judgeModel =
    evaluation !== undefined || uses("judge") ? modelOf(config.models.judge!, config) : undefined;
  const generator =
    generation !== undefined || uses("generator") ? modelOf(config.models.generator!, config) : undefined;
  const endpoints = checkModels({ extractor, judge: judgeModel, generator }, providers, file);
  const outDir = resolve(dir, config.out ?? join("runs", task.id));
  const dataPath = resolve(dir, config.data.path);
  const dataHash = await fingerprintData(dataPath, file);
  const { path: _path, ...dataOptions } = config.data;
  const read = { ...dataOptions, task: config.task };
  const { alignmentReplicates, cluster: chosenCluster, ...scoring } = config.scoring;
  const cluster = clusterLevelOf({ cluster: chosenCluster, read });
  const cache: string | false = config.cache === false ? false : resolve(dir, config.cache);

  // What every setting's results depend on; a model setting adds its model, prompt and options.
  const inputs = {
    data: dataHash,
    read: { ...read, seed: scoring.seed },
    factors: describeFactors(factors),
    scoring,
    extractor: extractor?.id ?? null,
    ...(cluster === "auto" ? {} : { cluster }),
    // What else changes a model factor's value: where the extractor is, and how it is asked.
    ...(extractor
      ? {
          extractorEndpoint: endpoints.extractor ?? null,
          extraction: config.extraction,
          extractionTemplates: EXTRACTION_TEMPLATE_VERSIONS,
        }
      : {}),
  };
  // The model settings hold every pair in memory: read them once, and only if one runs.
  let pairSet: Promise<PairSet> | undefined;
  const pairs = () => {
    pairSet ??= readPairSet(dataPath, { ...read, seed: scoring.seed }, config.data.path);
    return pairSet;
  };
  const common: StudyCommonFields = {
    cluster,
    factors: factors.map(({ plugin }) => plugin),
    factorOptions: Object.fromEntries(factors.map(({ plugin, options: o }) => [plugin.id, o])),
    ...scoring,
    ...(extractor ? { extractor } : {}),
    extraction: config.extraction,
    cache,
    registry,
    providers,
    maxFailures: config.maxFailures,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const provenance = (setting: ProfileRole, configHash: string) => ({
    command: "run",
    setting,
    configHash,
    input: config.data.path,
    versions: { ...options.versions },
  });
  const progress = (setting: string) => (event: Parameters<StageProgress>[0]) =>
    options.onProgress?.(setting, event);
  /** What a registered stage gets; `configHash` is its resume key (the empty string for a dry run). */
  const contextOf = <S>(
    setting: string,
    settings: S,
    configHash: string,
    batch?: BatchQueue,
  ): StudyStageContext<S> => ({
    ...(batch ? { batch } : {}),
    settings,
    config,
    configDir: dir,
    outDir,
    dir: join(outDir, setting),
    task,
    models: {
      ...(judgeModel ? { judge: judgeModel } : {}),
      ...(generator ? { generator } : {}),
      ...(extractor ? { extractor } : {}),
    },
    pairs,
    common,
    alignmentReplicates,
    provenance: {
      command: "run",
      setting,
      configHash,
      input: config.data.path,
      versions: { ...options.versions },
    },
    onProgress: progress(setting),
  });

  return {
    config,
    file,
    plugins,
    task,
    factors,
    evaluation,
    generation,
    extractor,
    judgeModel,
    generator,
    outDir,
    dataPath,
    dataHash,
    read,
    scoring,
    cluster,
    cache,
    providers,
    alignmentReplicates,
    endpoints,
    inputs,
    pairs,
    common,
    provenance,
    progress,
    added,
    contextOf,
  };
}

/** The registered stages whose settings the config holds, in the order registered. */
function addedStagesOf(config: Config, stages: readonly StudyStage[]) {
  const settings = config.settings as Record<string, unknown>;
  return stages.flatMap((stage) =>
    settings[stage.setting] === undefined ? [] : [{ stage, settings: settings[stage.setting] }],
  );
}

/** What the study reads of a registered stage's manifest.json when it resumes it. */
const AddedManifestSchema = z.looseObject({
  configHash: z.string().optional(),
  usage: UsageReportSchema.optional(),
});

/**
 * A registered stage: skipped when its folder's manifest.json carries the same configHash (the
 * study's inputs, and what the stage says changes its result), otherwise run now.
 */
async function settleAdded(
  stage: StudyStage,
  context: StudyStageContext<unknown>,
  options: StudyOptions,
): Promise<AddedStageOutcome> {
  const configHash = context.provenance.configHash!;
  const manifestFile = join(context.dir, "manifest.json");
  const found = options.force ? undefined : await readRunJson(manifestFile, AddedManifestSchema);
  const base = { setting: stage.setting, folder: stage.setting, configHash };
  if (found?.configHash === configHash) {
    options.onStage?.(stage.setting, "resumed");
    return { ...base, status: "resumed", ...(found.usage ? { usage: found.usage } : {}) };
  }
  options.onStage?.(stage.setting, "running");
  await rm(manifestFile, { force: true });
  const result = await stage.run(context);
  return { ...base, status: "ran", ...(result.usage ? { usage: result.usage } : {}) };
}

export async function runStudy(study: StudyConfig, options: StudyOptions = {}): Promise<StudyOutcome> {
  const resolved = await resolveStudy(study, options);
  const round = (queue: BatchQueue | undefined): StudyRound => ({ queue, pending: new Map(), usage: [] });
  let last = round(undefined);
  // Pending built-in settings stop a round before the registered stages, which run after them.
  const beforeAdded = () =>
    resolved.added.length > 0 && !resolved.added.some(({ stage }) => last.pending.has(stage.setting));
  return inBatchRounds(
    {
      batch: options.batch ?? resolved.config.batch,
      cache: resolved.cache,
      out: resolved.outDir,
      command: "run",
      onProgress: (event) => options.onProgress?.("batch", event),
      signal: options.signal,
    },
    (queue) => {
      last = round(queue);
      return runStudyRound(resolved, options, last);
    },
    // The rounds ahead: those of the pending setting that needs the most (unknown while the
    // registered stages, which run after the built-in ones, have not started).
    async (queue) => {
      if (beforeAdded()) return null;
      let most = 0;
      for (const plan of last.pending.values()) {
        const rounds = await plannedRounds(plan, queue);
        if (rounds === null) return null;
        most = Math.max(most, rounds);
      }
      return most;
    },
  );
}

/**
 * One run of the study's settings; in batch mode, every setting on the round's queue: a setting
 * whose calls went to it is pending, the others run on, and the study stops before the alignment.
 */
async function runStudyRound(
  resolved: Awaited<ReturnType<typeof resolveStudy>>,
  options: StudyOptions,
  round: StudyRound,
): Promise<StudyOutcome> {
  const { config, file, plugins, task, factors, evaluation, generation, judgeModel, generator } = resolved;
  const { outDir, dataPath, dataHash, read, scoring, alignmentReplicates, inputs, pairs, common } = resolved;
  const { provenance, progress, endpoints } = resolved;
  await prepareOutputFolder(outDir);

  const stages: StageOutcome[] = [];
  // The first stage that fails stops the study: it is recorded as failed, published nothing, and
  // runs again next time; the stages that finished before it resume.
  let failed: { readonly setting: string; readonly error: unknown } | undefined;
  const attempt = async (setting: ProfileRole, run: () => Promise<StageOutcome>) => {
    if (failed !== undefined) return;
    try {
      stages.push(await run());
    } catch (error) {
      if (!(round.queue && leftToQueue(error))) {
        failed = { setting, error };
      } else if (error.usage) round.usage.push(error.usage);
    }
  };
  if (config.settings.human) {
    await attempt("human", () =>
      settleStage(
        {
          setting: "human",
          outDir,
          configHash: canonicalHash({ setting: "human", ...inputs }),
          run: async (stageDir, configHash, batch) => {
            const result = await analyze({
              ...common,
              ...(batch ? { batch } : {}),
              pairs: dataPath,
              read,
              out: stageDir,
              pluginModules: plugins.map(({ module }) => module),
              onProgress: progress("human"),
              provenance: provenance("human", configHash),
            });
            return { profile: result.profile, ...(result.usage ? { usage: result.usage } : {}) };
          },
        },
        options,
        round,
      ),
    );
  }
  if (evaluation !== undefined && judgeModel !== undefined) {
    await attempt("evaluation", () =>
      settleStage(
        {
          setting: "evaluation",
          outDir,
          configHash: canonicalHash({
            setting: "evaluation",
            ...inputs,
            judge: judgeModel.id,
            judgeEndpoint: endpoints.judge ?? null,
            prompt: task.prompts.judge!.version,
            allowTies: evaluation.allowTies,
          }),
          modelRole: "judge",
          run: async (stageDir, configHash, batch) =>
            judge({
              ...common,
              ...(batch ? { batch } : {}),
              pairs: await pairs(),
              model: judgeModel,
              allowTies: evaluation.allowTies,
              out: stageDir,
              onProgress: progress("evaluation"),
              provenance: provenance("evaluation", configHash),
            }),
        },
        options,
        round,
      ),
    );
  }
  if (generation !== undefined && generator !== undefined) {
    const selfCheck = generation.selfCheck ? { delta: generation.delta } : undefined;
    await attempt("generation", () =>
      settleStage(
        {
          setting: "generation",
          outDir,
          configHash: canonicalHash({
            setting: "generation",
            ...inputs,
            generator: generator.id,
            generatorEndpoint: endpoints.generator ?? null,
            prompt: task.prompts.generation!.version,
            levels: generation.levels,
            limit: generation.limit ?? null,
            selfCheck: selfCheck ? { ...selfCheck, prompt: selfScorePrompt.version } : null,
          }),
          modelRole: "generator",
          run: async (stageDir, configHash, batch) =>
            generate({
              ...common,
              ...(batch ? { batch } : {}),
              pairs: await pairs(),
              model: generator,
              levels: generation.levels,
              ...(generation.limit !== undefined ? { limit: generation.limit } : {}),
              ...(selfCheck ? { selfCheck } : {}),
              out: stageDir,
              onProgress: progress("generation"),
              provenance: provenance("generation", configHash),
            }),
        },
        options,
        round,
      ),
    );
  }

  // A model setting the config does not run may have been written into the run folder by
  // `profilekit judge` / `generate` (--out <run>/evaluation, <run>/generation): it is aligned too.
  for (const setting of ["evaluation", "generation"] as const) {
    if (config.settings[setting] !== undefined) continue;
    const found = await foundStageFolder(join(outDir, setting));
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

  // Settings whose calls went to batches: the study goes on once they are collected.
  const stopIfPending = () => {
    if (round.pending.size > 0 && failed === undefined) throw pendingOn(round.queue!, round.usage);
  };
  stopIfPending();
  const alignment = await alignStages(stages, outDir, {
    replicates: alignmentReplicates,
    seed: scoring.seed,
  });
  const added: AddedStageOutcome[] = [];
  for (const { stage, settings } of resolved.added) {
    if (failed !== undefined) break;
    const { setting } = stage;
    let configHash = "";
    try {
      const hashContext = resolved.contextOf(setting, settings, "");
      configHash = canonicalHash({ setting, ...inputs, stage: stage.hashInputs(hashContext) });
      added.push(
        await settleAdded(stage, resolved.contextOf(setting, settings, configHash, round.queue), options),
      );
    } catch (error) {
      if (!(round.queue && leftToQueue(error))) {
        failed = { setting, error };
        continue;
      }
      // Its calls went to the round's queue: planned ahead on a planning queue.
      if (error.usage) round.usage.push(error.usage);
      round.pending.set(setting, (planning) =>
        stage.run(resolved.contextOf(setting, settings, configHash, planning)),
      );
    }
  }
  stopIfPending();
  const top = await RunFolderWriter.open(outDir);
  await top.json("manifest.json", {
    schemaVersion: runFolderSchemaVersion,
    command: "run",
    config: { file: relative(outDir, file), hash: canonicalHash(config), resolved: config },
    task: task.id,
    data: { path: config.data.path, sha256: dataHash },
    plugins: plugins.map(({ spec, factors: ids, tasks, providers: prefixes }) => ({
      spec,
      factors: ids,
      tasks,
      ...(prefixes.length > 0 ? { providers: prefixes } : {}),
    })),
    factors: describeFactors(factors),
    seed: scoring.seed,
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
      ...(failed
        ? [[failed.setting, { folder: failed.setting, status: "failed", error: errorRecord(failed.error) }]]
        : []),
      ...(alignment
        ? [["alignment", { folder: "alignment", comparisons: alignment.comparisons.length }]]
        : []),
      ...added.map((stage) => [
        stage.setting,
        { folder: stage.folder, status: "run", configHash: stage.configHash },
      ]),
    ]),
    usage: usageOf([...stages, ...added]),
    versions: {
      ...options.versions,
      ...packageVersions([
        "@profilekit/core",
        "@profilekit/data",
        "@profilekit/llm",
        "@profilekit/spec",
        `@profilekit/task-${task.id}`,
      ]),
    },
    node: process.versions.node,
  });
  if (failed) throw failed.error;
  return { outDir, stages, added, alignment, plugins };
}

/** A failed stage as the study's manifest.json records it. */
function errorRecord(error: unknown): { code: string; message: string } {
  return error instanceof ProfilekitError
    ? { code: error.code, message: error.message }
    : { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

/**
 * A dry run of a study: every call its settings would make, priced per model at standard and batch
 * rates (the extraction of the same pairs in two settings counted once), calling nothing and
 * writing nothing.
 */
export async function estimateStudy(study: StudyConfig, options: StudyOptions = {}): Promise<DryRun> {
  const {
    config,
    evaluation,
    generation,
    judgeModel,
    generator,
    dataPath,
    read,
    pairs,
    common,
    cache,
    providers,
    added,
    contextOf,
  } = await resolveStudy(study, options);
  const plans: CallPlan[] = [];
  if (config.settings.human) plans.push(...(await planAnalyze({ ...common, pairs: dataPath, read })).plans);
  if (evaluation !== undefined && judgeModel !== undefined) {
    plans.push(
      ...(
        await planJudge({
          ...common,
          pairs: await pairs(),
          model: judgeModel,
          allowTies: evaluation.allowTies,
        })
      ).plans,
    );
  }
  if (generation !== undefined && generator !== undefined) {
    plans.push(
      ...(
        await planGenerate({
          ...common,
          pairs: await pairs(),
          model: generator,
          levels: generation.levels,
          ...(generation.limit !== undefined ? { limit: generation.limit } : {}),
          ...(generation.selfCheck ? { selfCheck: { delta: generation.delta } } : {}),
        })
      ).plans,
    );
  }
  for (const { stage, settings } of added)
    plans.push(...(await stage.plan(contextOf(stage.setting, settings, ""))));
  return priceCallPlans(plans, cache, providers);
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
  const input = async (stage: StageOutcome): Promise<ProfileInput> => {
    const groupCounts = await readRunJson(join(outDir, stage.folder, "groups.json"), GroupCountsSchema);
    return {
      file: join(stage.folder, "profile.json"),
      label: stage.setting,
      role: stage.setting,
      ...(stage.model ? { model: stage.model } : {}),
      profile: stage.profile,
      ...(groupCounts ? { groupCounts } : {}),
    };
  };
  const alignment = compareProfiles(await Promise.all([human, ...models].map(input)), options);
  await writeAlignmentFile(join(outDir, "alignment"), alignment);
  return alignment;
}

/**
 * manifest.json's usage: each stage's report (from when it ran), and the sums over every
 * stage and model: calls, tokens and cost (null when a model had no price).
 */
function usageOf(stages: readonly { readonly setting: string; readonly usage?: UsageReport | undefined }[]) {
  const reports = stages.flatMap((stage) => (stage.usage ? [[stage.setting, stage.usage] as const] : []));
  const summed = sumUsage(reports.map(([, report]) => report));
  return { byStage: Object.fromEntries(reports), ...summed, costUsd: summed.total.costUsd };
}
