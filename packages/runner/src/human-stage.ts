import { ProfileSchema } from "@profilekit/core";
import { PairReader, readPairs, type SkipReport } from "@profilekit/data";
import {
  type BatchQueue,
  type ExtractionStats,
  ExtractionStatsSchema,
  type UsageReport,
  UsageTracker,
} from "@profilekit/llm";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { type AttributionSettings, runAnalysis } from "./analysis.js";
import { attributionDefaults } from "./attribution.js";
import { inStageBatchRounds } from "./batch-rounds.js";
import { createBuiltinRegistry } from "./builtins.js";
import { modelFreeFactorIds, needsModel, selectFactors } from "./factor-selection.js";
import { StageGuard } from "./stage-guard.js";
import { openStageExtraction, type StageProgress } from "./model-stage.js";
import { type CallPlan, type DryRun, priceCallPlans } from "./dry-run.js";
import { extractionCallPlan } from "./model-extraction.js";
import { describeRun, inputName, ProvenanceSchema, studyMarks } from "./provenance.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import {
  clusterLevelOf,
  FactorStageFields,
  PairsInputSchema,
  parseRequest,
  type Scoring,
} from "./stage-request.js";

/** What `analyze` is asked: the human setting, or the profile of any labelled pairs. */
export const AnalyzeRequestSchema = z.strictObject({
  pairs: PairsInputSchema,
  ...FactorStageFields,
  /**
   * Model-extracted factors without an extractor: `error` (the default) refuses the run; `skip`
   * leaves them out and lists them in the result's `skippedFactors` (the CLI warns about them).
   */
  withoutExtractor: z.enum(["error", "skip"]).default("error"),
  /** The joint regression and length-controlled scores, or false; skipped with a note above maxPairs. */
  attribution: z
    .union([
      z.literal(false),
      z.strictObject({
        maxPairs: z.int().min(1),
        bootstrap: z.int().min(0).default(attributionDefaults.bootstrap),
      }),
    ])
    .default(attributionDefaults),
  /** Threads that read and measure a large canonical .jsonl's rule-based factors (default: by size). */
  threads: z.int().min(1).max(64).optional(),
  /** Module files of plugin factors, so worker threads can load them too. */
  pluginModules: z.array(z.string()).default([]),
  /** Told as pairs are measured: `total` is known when a model extracts (the pairs are counted first) or pairs are given as an array; else 0. */
  onProgress: z.custom<StageProgress>((value) => typeof value === "function").optional(),
  provenance: ProvenanceSchema.default({ versions: {} }),
});
export type AnalyzeRequest = z.input<typeof AnalyzeRequestSchema>;
type ParsedAnalyzeRequest = z.output<typeof AnalyzeRequestSchema>;

/** How the model extracted, without the figures that depend on what the cache held (those are in manifest.json). */
export const ExtractionSummarySchema = ExtractionStatsSchema.pick({
  mode: true,
  bothOrders: true,
  sourcesCut: true,
  factors: true,
});

/** profile.json of analyze: the profile, what was skipped, and how the model extracted. */
export const AnalyzeProfileSchema = ProfileSchema.extend({
  skippedFactors: z.array(z.string()).optional(),
  extraction: ExtractionSummarySchema.optional(),
});
export type AnalyzeProfile = z.infer<typeof AnalyzeProfileSchema>;

export interface AnalyzeResult {
  /** profile.json, as written (or as it would be, without `out`). */
  readonly profile: AnalyzeProfile;
  /** The files written into `out`, manifest.json (written last) included; empty without `out`. */
  readonly files: readonly string[];
  /** manifest.json's content. */
  readonly manifest: Record<string, unknown>;
  /** Model-extracted factors left out because no extractor was given (with withoutExtractor "skip"). */
  readonly skippedFactors: readonly string[];
  /** Records of the input the reader skipped (with read.onInvalid "skip"). */
  readonly skipped: SkipReport;
  /** Model usage, when an extractor ran. */
  readonly usage: UsageReport | undefined;
  /** The extractor's figures, when it ran. */
  readonly extraction: ExtractionStats | undefined;
  /** Threads that measured the pairs. */
  readonly threads: number;
}

const emptySkips: SkipReport = { count: 0, byReason: {}, examples: [] };

/** The factors of an analyze request: named ones, or every registered factor that needs no model. */
function chosenFactors(request: ParsedAnalyzeRequest) {
  const registry = request.registry ?? createBuiltinRegistry();
  // A task given for every pair must be one the registry knows (the error lists them).
  if (request.read?.task !== undefined) registry.task(request.read.task);
  const chosen = selectFactors(
    registry,
    request.factors ?? modelFreeFactorIds(registry),
    request.factorOptions,
  );
  if (request.extractor !== undefined) return { factors: chosen, skipped: [] as string[] };
  const needing = chosen.filter(({ plugin }) => needsModel(plugin));
  if (needing.length > 0 && request.withoutExtractor === "error") {
    throw new ProfilekitError(
      "model_required",
      `factors measured by a language model (${needing.map(({ plugin }) => plugin.id).join(", ")}) need an extractor`,
      {
        hint:
          'give an extractor, e.g. extractor: "openai:gpt-4o-mini" (--extractor on the command line), or leave ' +
          "these factors out; the factors that need no model run without one",
      },
    );
  }
  const factors = chosen.filter(({ plugin }) => !needsModel(plugin));
  if (factors.length === 0) {
    throw new ProfilekitError("no_factors", "no factor is left to measure", {
      hint: "add a factor that needs no model (e.g. length), or configure a model with an extractor",
    });
  }
  return { factors, skipped: needing.map(({ plugin }) => plugin.id) };
}

/**
 * The human setting of PROFILE, or the profile of any labelled pairs: measures every factor on
 * every pair and scores how strongly each drives the labels (tau, its clustered-bootstrap
 * interval, the sign-flip p-value, the joint regression and the length-controlled score).
 *
 * ```ts
 * const { profile } = await analyze({ pairs: "pairs.jsonl", factors: ["length"], seed: 1 });
 * ```
 *
 * With `out`, writes profile.json, profile.csv, manifestations.jsonl, labels.jsonl and, last,
 * manifest.json there; without it nothing is written. A failed run publishes no file.
 */
export async function analyze(input: AnalyzeRequest): Promise<AnalyzeResult> {
  const request = parseRequest(AnalyzeRequestSchema, input, "analyze");
  return inStageBatchRounds(request, "analyze", analyzeOnce);
}

/** One run of analyze; in batch mode, the extractor on the round's queue. */
async function analyzeOnce(
  request: ParsedAnalyzeRequest,
  batch: BatchQueue | undefined,
): Promise<AnalyzeResult> {
  const { factors, skipped: skippedFactors } = chosenFactors(request);
  const scoring: Scoring = {
    variant: request.variant,
    bootstrap: request.bootstrap,
    permutations: request.permutations,
    seed: request.seed,
  };
  const read = readOptionsOf(request);
  const pairs = typeof request.pairs === "string" ? readPairs(request.pairs, read) : request.pairs;
  const usage = new UsageTracker();
  const guard = new StageGuard("analyze", request.maxFailures, request.signal, batch);
  guard.watch(() => usage.report());
  const folder = await RunFolderWriter.open(request.out);
  const { extraction, evidence } =
    request.extractor && factors.some(({ plugin }) => needsModel(plugin))
      ? openStageExtraction(request.extractor, request, folder, { usage, guard, seed: scoring.seed, batch })
      : {};
  try {
    const result = await runAnalysis({
      pairs,
      inputName: typeof request.pairs === "string" ? request.pairs : "the pairs given",
      factors,
      scoring,
      cluster: { keys: clusterLevelOf(request), recorded: clusterLevelOf(request) },
      folder,
      attribution: request.attribution as AttributionSettings,
      ...(extraction ? { modelExtractor: extraction.extractor, batchSize: modelBatchSize, evidence } : {}),
      ...(request.threads === undefined ? {} : { threads: request.threads }),
      pluginModules: request.pluginModules,
      ...(request.onProgress
        ? {
            onProgress: progressOf(
              request.onProgress,
              await totalOf(request, pairs, extraction !== undefined),
            ),
          }
        : {}),
      signal: guard.signal,
      ...(extraction ? { beforeCommit: () => guard.check(usage.report()) } : {}),
    });
    const stats = extraction?.extractor.stats();
    const profile = await folder.profile(
      {
        ...result.profile,
        ...(skippedFactors.length > 0 ? { skippedFactors } : {}),
        ...(stats ? { extraction: ExtractionSummarySchema.parse(stats) } : {}),
      },
      AnalyzeProfileSchema,
    );
    const skipped = pairs instanceof PairReader ? pairs.skipped : emptySkips;
    const report = extraction ? usage.report() : undefined;
    const manifest = {
      ...describeRun({
        provenance: request.provenance,
        command: "analyze",
        input: inputName(request.pairs, request.provenance),
        read: readRecordOf(request),
        factors,
        scoring,
        cluster: clusterLevelOf(request),
        profile: result.profile,
        skipped,
        packages: ["@profilekit/core", "@profilekit/data", "@profilekit/spec"],
      }),
      ...studyMarks(request.provenance),
      ...(skippedFactors.length > 0 ? { skippedFactors } : {}),
      ...(extraction
        ? { models: { extractor: extraction.client.modelName }, extraction: stats, usage: report }
        : {}),
    };
    await folder.json("manifest.json", manifest);
    return {
      profile,
      files: [...folder.files],
      manifest,
      skippedFactors,
      skipped,
      usage: report,
      extraction: stats,
      threads: result.threads,
    };
  } catch (error) {
    await folder.abandon();
    throw guard.translate(error);
  } finally {
    await extraction?.client.close();
  }
}

/** The step every analyze progress event names. */
const pairsStep = "pairs";

function progressOf(onProgress: StageProgress, total: number) {
  return (done: number) => onProgress({ step: pairsStep, done, total });
}

/**
 * The number of pairs, when it is cheap to know next to the run: an array's length, or, when a
 * model extracts (so reading the file once more is nothing beside the calls), the pairs counted
 * by a first read. Else 0 (unknown).
 */
async function totalOf(
  request: ParsedAnalyzeRequest,
  pairs: AsyncIterable<unknown> | Iterable<unknown>,
  withModel: boolean,
): Promise<number> {
  if (Array.isArray(request.pairs)) return request.pairs.length;
  if (!withModel || !(pairs instanceof PairReader)) return 0;
  let count = 0;
  for await (const batch of pairs.batches()) count += batch.length;
  return count;
}

/**
 * Pairs per batch when a model extracts: every call of a batch is issued at once and the client's
 * scheduler bounds concurrency, so a large batch keeps the scheduler full.
 */
const modelBatchSize = 2048;

/** The reader's options: the request's, with the run's seed (it seeds randomised mappings). */
function readOptionsOf(request: ParsedAnalyzeRequest) {
  return { ...request.read, seed: request.seed };
}

/** The read options as manifest.json records them: as given, then the seed. */
function readRecordOf(request: ParsedAnalyzeRequest): Record<string, unknown> {
  return { ...(request.read ?? {}), seed: request.seed };
}

/** The calls analyze would make, for a dry run: the extractor's, planned from every pair, calling nothing. */
export async function planAnalyze(input: AnalyzeRequest): Promise<{ pairs: number; plans: CallPlan[] }> {
  const request = parseRequest(AnalyzeRequestSchema, input, "analyze");
  const { factors } = chosenFactors(request);
  const all = [];
  const source =
    typeof request.pairs === "string" ? readPairs(request.pairs, readOptionsOf(request)) : request.pairs;
  for await (const pair of source) all.push(pair);
  const plan =
    request.extractor === undefined
      ? undefined
      : await extractionCallPlan(
          { model: request.extractor, settings: request.extraction },
          { cache: request.cache, seed: request.seed, providers: request.providers },
          factors.map(({ plugin }) => plugin),
          all,
        );
  return { pairs: all.length, plans: plan ? [plan] : [] };
}

/** A dry run of analyze: its calls priced (standard and batch rates), nothing called or written. */
export async function estimateAnalyze(input: AnalyzeRequest): Promise<{ pairs: number; dryRun: DryRun }> {
  const { pairs, plans } = await planAnalyze(input);
  const request = parseRequest(AnalyzeRequestSchema, input, "analyze");
  return { pairs, dryRun: await priceCallPlans(plans, request.cache, request.providers) };
}
