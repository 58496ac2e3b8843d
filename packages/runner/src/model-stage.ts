import type { GroupCounts, PluginRegistry, Profile } from "@profilekit/core";
import type { SkipReport } from "@profilekit/data";
import {
  type BatchQueue,
  type ModelClient,
  type ProviderRegistry,
  type UsageReport,
  UsageTracker,
} from "@profilekit/llm";
import { type ClusterLevel, type Pair, ProfilekitError, type TaskAdapter } from "@profilekit/spec";
import { z } from "zod";
import { type AnalysisResult, duplicatePairId, runAnalysis } from "./analysis.js";
import { createBuiltinRegistry } from "./builtins.js";
import {
  requireExtractorFor,
  type SelectedFactor,
  selectFactors,
  taskFactorIds,
} from "./factor-selection.js";
import { EvidenceLog } from "./evidence-log.js";
import type { StageGuard } from "./stage-guard.js";
import { type Extraction, type ExtractionSettings, openExtraction } from "./model-extraction.js";
import { type CacheSpec, ModelSpecSchema, openModelClient } from "./model-spec.js";
import { PairSet, readPairSet } from "./pair-set.js";
import { describeRun, inputName, type Provenance, ProvenanceSchema, studyMarks } from "./provenance.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import { clusterLevelOf, FactorStageFields, PairsInputSchema, type Scoring } from "./stage-request.js";
import { resolveRunTask } from "./task-selection.js";

/** Progress of a model stage: what is counted ("pairs judged", "responses", "pairs profiled"), how many of how many. */
export type StageProgress = (event: {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}) => void;

/** The fields of every model stage (judge, generate). */
export const ModelStageFields = {
  pairs: PairsInputSchema,
  ...FactorStageFields,
  /** The stage's model: the judge, or the writer. */
  model: ModelSpecSchema,
  onProgress: z.custom<StageProgress>((value) => typeof value === "function").optional(),
  provenance: ProvenanceSchema.default({ versions: {} }),
};

/** The fields shared by every parsed model-stage request. */
export interface ModelStageRequest {
  readonly pairs: string | Iterable<Pair> | AsyncIterable<Pair>;
  readonly read?: Record<string, unknown> | undefined;
  readonly factors?: readonly (string | import("@profilekit/spec").FactorPlugin)[] | undefined;
  readonly factorOptions: Record<string, Record<string, unknown>>;
  readonly extractor?: z.output<typeof ModelSpecSchema> | undefined;
  readonly extraction: import("./model-extraction.js").ExtractionSettings;
  readonly cache: import("./model-spec.js").CacheSpec;
  readonly providers?: import("@profilekit/llm").ProviderRegistry | undefined;
  readonly out?: string | undefined;
  readonly registry?: PluginRegistry | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly cluster?: ClusterLevel | undefined;
  readonly variant: Scoring["variant"];
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
  readonly model: z.output<typeof ModelSpecSchema>;
  readonly onProgress?: StageProgress | undefined;
  readonly provenance: Provenance;
  readonly maxFailures: number;
  readonly batch?: import("./batch-rounds.js").BatchOption | undefined;
}

/** A model stage's input, resolved before any model is called: pairs, task, factors, scoring. */
export interface StageInput {
  readonly pairs: readonly Pair[];
  /** The input as manifest.json names it. */
  readonly name: string;
  readonly read: Record<string, unknown>;
  readonly skipped: SkipReport;
  readonly task: TaskAdapter;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: Scoring;
  /** The resampling unit of the stage's pairs. */
  readonly cluster: ClusterLevel;
}

const emptySkips: SkipReport = { count: 0, byReason: {}, examples: [] };

/** Pairs given in code, checked for repeated ids. */
async function collectPairs(
  source: Iterable<Pair> | AsyncIterable<Pair>,
  where: string,
  read: Record<string, unknown>,
): Promise<PairSet> {
  const pairs: Pair[] = [];
  const seen = new Set<string>();
  for await (const pair of source) {
    if (seen.has(pair.id)) throw duplicatePairId(pair.id, where);
    seen.add(pair.id);
    pairs.push(pair);
  }
  return new PairSet(where, pairs, read, emptySkips);
}

/**
 * Reads every pair of the request (in file order; ids must be unique, since results are keyed by
 * them), resolves the one task they belong to, and selects the factors: named ones, or the task's
 * (with its model-extracted factors when an extractor is given).
 */
export async function resolveStageInput(request: ModelStageRequest): Promise<StageInput> {
  const registry = request.registry ?? createBuiltinRegistry();
  // A task given for every pair must be one the registry knows, before anything is read.
  const given = (request.read as { task?: string } | undefined)?.task;
  if (given !== undefined) registry.task(given);
  const where = typeof request.pairs === "string" ? request.pairs : "the pairs given";
  const set =
    request.pairs instanceof PairSet
      ? request.pairs
      : typeof request.pairs === "string"
        ? await readPairSet(request.pairs, { ...(request.read ?? {}), seed: request.seed })
        : await collectPairs(request.pairs, where, { ...(request.read ?? {}), seed: request.seed });
  const { pairs } = set;
  const task = resolveRunTask(registry, pairs, where);
  const factors = selectFactors(
    registry,
    request.factors ?? taskFactorIds(registry, task, request.extractor !== undefined),
    request.factorOptions,
  );
  requireExtractorFor(
    factors,
    request.extractor,
    "add an extractor (--extractor <model>, e.g. openai:gpt-4o-mini), or leave these factors out",
  );
  return {
    pairs,
    name:
      request.provenance.input ??
      (request.pairs instanceof PairSet ? set.name : inputName(request.pairs, request.provenance)),
    read: set.read,
    skipped: set.skipped,
    task,
    factors,
    scoring: {
      variant: request.variant,
      bootstrap: request.bootstrap,
      permutations: request.permutations,
      seed: request.seed,
    },
    cluster: clusterLevelOf(request),
  };
}

/** The clients of a model stage: the stage's model and the extractor, on one usage tracker. */
export interface StageClients {
  readonly client: ModelClient;
  readonly extraction: Extraction | undefined;
  /** What the extractor read, for evidence.jsonl. */
  readonly evidence: EvidenceLog | undefined;
  /** Every call of the stage's clients so far (its model's, the extractor's, and those `open` made). */
  usage(): UsageReport;
  /** Another model on the same tracker and guard (a stage's second model, such as an evaluator); closed with the rest. */
  open(spec: z.output<typeof ModelSpecSchema>): ModelClient;
  close(): Promise<void>;
}

/**
 * Runs a model stage's `body` with its clients open, closing them after. The model and its
 * extractor share one usage tracker, so manifest.json's usage and the budget cover both; in batch
 * mode, both are on the round's queue. An error that ended the stage becomes the guard's own, an
 * interruption, or stays itself (StageGuard.translate).
 */
export async function withStageClients<T>(
  request: ModelStageRequest,
  input: StageInput,
  folder: RunFolderWriter,
  guard: StageGuard,
  batch: BatchQueue | undefined,
  body: (clients: StageClients) => Promise<T>,
): Promise<T> {
  const clients = openStageClients(request, input, folder, guard, batch);
  try {
    return await body(clients);
  } catch (error) {
    throw guard.translate(error);
  } finally {
    await clients.close();
  }
}

/** Opens the stage's model and its extractor on one usage tracker (see withStageClients). */
function openStageClients(
  request: ModelStageRequest,
  input: StageInput,
  folder: RunFolderWriter,
  guard: StageGuard,
  batch?: BatchQueue,
): StageClients {
  const usage = new UsageTracker();
  guard.watch(() => usage.report());
  const client = openModelClient(request.model, request.cache, {
    usage,
    providers: request.providers,
    onEvent: guard.onEvent,
    batch,
  });
  let stageExtraction: StageExtraction | undefined;
  try {
    stageExtraction =
      request.extractor === undefined
        ? undefined
        : openStageExtraction(request.extractor, request, folder, {
            usage,
            guard,
            seed: input.scoring.seed,
            batch,
          });
  } catch (error) {
    void client.close();
    throw error;
  }
  const { extraction, evidence } = stageExtraction ?? {};
  const opened: ModelClient[] = [];
  return {
    client,
    extraction,
    evidence,
    usage: () => usage.report(),
    open(spec) {
      const other = openModelClient(spec, request.cache, {
        usage,
        providers: request.providers,
        onEvent: guard.onEvent,
        batch,
      });
      opened.push(other);
      return other;
    },
    async close() {
      await client.close();
      await extraction?.client.close();
      for (const other of opened) await other.close();
    },
  };
}

/** What a model stage (judge, generate) returns beside its own records: the objects it wrote into `out`. */
export interface ModelStageResult<P, C> {
  /** profile.json as written. */
  readonly profile: P;
  /** The profile's counts per cluster (groups.json), for paired comparisons with other profiles. */
  readonly groupCounts: GroupCounts;
  readonly counts: C;
  /** The files written into `out`, manifest.json (written last) included; empty without `out`. */
  readonly files: readonly string[];
  readonly manifest: Record<string, unknown>;
  /** The stage's model (the judge or the writer), `provider:model`. */
  readonly model: string;
  readonly task: string;
  readonly prompt: { readonly id: string; readonly version: string };
  /** Every call of the stage, the extractor's included. */
  readonly usage: UsageReport;
  /** Records of the input the reader skipped (with read.onInvalid "skip"). */
  readonly skipped: SkipReport;
}

/** A stage's extractor, and evidence.jsonl for what it reads. */
export interface StageExtraction {
  readonly extraction: Extraction;
  readonly evidence: EvidenceLog;
}

/**
 * Opens a stage's extractor on the stage's usage tracker and guard (the clients' events, the
 * batch queue), what it reads going to evidence.jsonl in `folder`.
 */
export function openStageExtraction(
  extractor: z.output<typeof ModelSpecSchema>,
  request: {
    readonly extraction: ExtractionSettings;
    readonly cache: CacheSpec;
    readonly providers?: ProviderRegistry | undefined;
  },
  folder: RunFolderWriter,
  stage: {
    readonly usage: UsageTracker;
    readonly guard: StageGuard;
    readonly seed: number;
    readonly batch?: BatchQueue | undefined;
  },
): StageExtraction {
  const evidence = new EvidenceLog(folder);
  const extraction = openExtraction(
    { model: extractor, settings: request.extraction },
    request.cache,
    stage.usage,
    stage.seed,
    {
      onRecord: evidence.add,
      providers: request.providers,
      onEvent: stage.guard.onEvent,
      batch: stage.batch,
    },
  );
  return { extraction, evidence };
}

/** Profiles the stage's pairs (labelled by `labelSource`), the extractor measuring the model factors. */
export function profileStagePairs(
  request: ModelStageRequest,
  input: StageInput,
  stage: { readonly clients: StageClients; readonly folder: RunFolderWriter; readonly guard: StageGuard },
  pairs: readonly Pair[],
  names: { readonly inputName: string; readonly labelSource: string },
  cluster: { readonly keys: ClusterLevel; readonly recorded: ClusterLevel } = {
    keys: input.cluster,
    recorded: input.cluster,
  },
): Promise<AnalysisResult> {
  const { extraction, evidence } = stage.clients;
  return runAnalysis({
    pairs,
    ...names,
    factors: input.factors,
    scoring: input.scoring,
    cluster,
    folder: stage.folder,
    ...(extraction ? { modelExtractor: extraction.extractor } : {}),
    ...(evidence ? { evidence } : {}),
    onProgress: (done) => request.onProgress?.({ step: "pairs profiled", done, total: pairs.length }),
    signal: stage.guard.signal,
    beforeCommit: () => stage.guard.check(stage.clients.client.usage()),
  });
}

/** What a stage's manifest.json says beyond what every run's does. */
export interface StageManifestParts {
  /** The command when run on its own ("judge", "generate"). */
  readonly command: string;
  /** The profile of the stage's pairs, as the analysis scored it. */
  readonly profile: Profile;
  /** The stage model's key in `models` ("judge", "generator"). */
  readonly role: string;
  /** How the stage ran, under its own key (`judge`, `generation`): written before `counts`. */
  readonly stage: Readonly<Record<string, unknown>>;
  /** The stage's counts, after those of every run. */
  readonly counts: object;
  /** The stage's own figures (judge's `agreement`): written after `counts`. */
  readonly figures?: Readonly<Record<string, unknown>>;
}

/** manifest.json of a model stage: what ran, with which models, seeds, counts and usage. */
export function stageManifest(
  request: ModelStageRequest,
  input: StageInput,
  { client, extraction }: StageClients,
  usage: UsageReport,
  parts: StageManifestParts,
): Record<string, unknown> {
  const base = describeRun({
    provenance: request.provenance,
    command: parts.command,
    input: input.name,
    read: input.read,
    factors: input.factors,
    scoring: input.scoring,
    cluster: input.cluster,
    profile: parts.profile,
    skipped: input.skipped,
    packages: [
      "@profilekit/core",
      "@profilekit/data",
      "@profilekit/spec",
      "@profilekit/llm",
      `@profilekit/task-${input.task.id}`,
    ],
  });
  return {
    ...base,
    ...studyMarks(request.provenance),
    models: {
      [parts.role]: client.modelName,
      ...(extraction ? { extractor: extraction.client.modelName } : {}),
    },
    ...parts.stage,
    counts: { ...base.counts, ...parts.counts },
    ...parts.figures,
    ...(extraction ? { extraction: extraction.extractor.stats() } : {}),
    usage,
  };
}

/** Opens the stage's folder (a writer of nothing without `out`) and runs `body`; a failed stage publishes nothing more. */
export async function inStageFolder<T>(
  out: string | undefined,
  body: (folder: RunFolderWriter) => Promise<T>,
): Promise<T> {
  const folder = await RunFolderWriter.open(out);
  try {
    return await body(folder);
  } catch (error) {
    await folder.abandon();
    throw error;
  }
}

/** The task's prompt for a setting; a task without one cannot run that setting. */
export function taskPrompt(task: TaskAdapter, setting: "judge" | "generation") {
  const prompt = task.prompts[setting];
  if (!prompt) {
    throw new ProfilekitError("missing_task_prompt", `task "${task.id}" has no ${setting} prompt`, {
      hint: `give the task adapter a prompts.${setting} template, or choose another task`,
    });
  }
  return prompt;
}
