import { mkdir } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { PluginRegistry, Profile } from "@profilekit/core";
import type { ReadPairsOptions } from "@profilekit/data";
import {
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
import { type LoadedPlugin, loadPlugins } from "./plugin-loading.js";
import { type AlignmentFile, compareProfiles, writeAlignmentFile } from "./profile-comparison.js";
import type { ProfileInput, ProfileRole } from "./profile-inputs.js";
import { writeJsonFile } from "./run-folder.js";
import { finishedStage, readStageFolder } from "./stage-state.js";
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
  readonly onProgress?: (setting: ProfileRole, pairsDone: number) => void;
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

/** What the runner reads of a manifest.json written by `judge` or `generate`. */
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
  // INTEGRATION POINT (evaluation and generation settings): `judge` and `generate` keep their
  // stage logic inside their command actions (commands/judge.ts, commands/generate.ts), which
  // take command-line flags (string column mappings, `factor.key=value` options), not this
  // config. Once they export stage functions taking the reader options, the selected factors,
  // the scoring options, the model's id and ModelFlags (modelFlagsOf) and an output folder,
  // call them after the human stage like runHumanStage: each into its own folder (evaluation/,
  // generation/), with a configHash in its manifest.json for resume (finishedStage), pushing a
  // StageOutcome (setting "evaluation" / "generation", the model id, its usage), in place of
  // the "found" profiles read below. alignStages and the manifest already take them. Until
  // then, refuse before running anything.
  for (const setting of ["evaluation", "generation"] as const) {
    if (config.settings[setting] !== undefined) {
      throw new ProfilekitError(
        "setting_unavailable",
        `${file}: settings.${setting}: \`profilekit run\` does not run the ${setting} setting yet`,
        {
          location: { file, field: `settings.${setting}` },
          hint: `remove settings.${setting}, run \`profilekit ${setting === "evaluation" ? "judge" : "generate"} <data> --model <id> --out ${join(config.out ?? join("runs", config.task), setting)}\`, and \`profilekit run\` aligns the profile it finds there with the human one`,
        },
      );
    }
  }

  const plugins = await loadPlugins(config.plugins, loaded, registry);
  const task = resolveTask(registry, config, file);
  const factors = selectConfiguredFactors(registry, task, config, file);
  const outDir = resolve(dir, config.out ?? join("runs", task.id));
  const dataPath = resolve(dir, config.data.path);
  const dataHash = await fingerprintData(dataPath, file);
  const { path: _path, ...dataOptions } = config.data;
  const read: ReadPairsOptions = { ...dataOptions, task: config.task, seed: config.scoring.seed };
  const { alignmentReplicates, ...scoringFields } = config.scoring;
  const scoring: ScoringOptions = scoringFields;
  const extractor = config.models.extractor;
  await mkdir(outDir, { recursive: true });

  const stages: StageOutcome[] = [];
  if (config.settings.human) {
    const folder = "human";
    const stageDir = join(outDir, folder);
    const configHash = hashValue({
      setting: "human",
      data: dataHash,
      read,
      factors: describeFactors(factors),
      scoring,
      extractor: extractor?.id ?? null,
    });
    const finished = options.force ? undefined : await finishedStage(stageDir, configHash);
    if (finished) {
      options.onStage?.("human", "resumed");
      const usage = UsageReportSchema.safeParse(finished.manifest.usage).data;
      stages.push({
        setting: "human",
        folder,
        status: "resumed",
        configHash,
        profile: finished.profile,
        ...(usage ? { usage } : {}),
      });
    } else {
      options.onStage?.("human", "running");
      const result = await runHumanStage({
        dataPath,
        read,
        factors,
        scoring,
        outDir: stageDir,
        configHash,
        ...(extractor
          ? { extractor: { id: extractor.id, flags: modelFlagsOf(extractor, config, dir) } }
          : {}),
        onProgress: (done) => options.onProgress?.("human", done),
      });
      stages.push({
        setting: "human",
        folder,
        status: "ran",
        configHash,
        profile: result.profile,
        ...(result.usage ? { usage: result.usage } : {}),
      });
    }
  }

  // Model profiles that `profilekit judge` / `generate` wrote into the run folder
  // (--out <run>/evaluation, <run>/generation) are aligned with the human one.
  for (const setting of ["evaluation", "generation"] as const) {
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

/** Each stage's usage report (from when it ran) and the summed cost; null cost when a model had no price. */
function usageOf(stages: readonly StageOutcome[]) {
  const reports = stages.flatMap((stage) => (stage.usage ? [[stage.setting, stage.usage] as const] : []));
  const costs = reports.map(([, report]) => report.total.costUsd);
  return {
    byStage: Object.fromEntries(reports),
    costUsd: costs.some((cost) => cost === null)
      ? null
      : costs.reduce<number>((sum, cost) => sum + (cost ?? 0), 0),
  };
}
