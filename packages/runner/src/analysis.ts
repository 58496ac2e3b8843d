import {
  computeProfile,
  type GroupCounts,
  groupCountsOf,
  type Profile,
  ProfileAccumulator,
} from "@profilekit/core";
import { PairReader } from "@profilekit/data";
import { type ClusterLevel, type ModelFactorExtractor, type Pair, ProfilekitError } from "@profilekit/spec";
import { type AnalyzedBatch, analyzeBatch, type BatchSettings } from "./analysis-batch.js";
import { AttributionCollector, attributionDefaults, attributionOf } from "./attribution.js";
import type { EvidenceLog } from "./evidence-log.js";
import type { SelectedFactor } from "./factor-selection.js";
import { PairIdSet } from "./pair-id-set.js";
import type { RunFolderWriter } from "./run-folder/writer.js";
import type { Scoring } from "./stage-request.js";
import { analyzeInThreads, planThreads } from "./threaded-analysis.js";

/** How the joint regression and the length-controlled scores are computed, or false for neither. */
export type AttributionSettings = { readonly maxPairs: number; readonly bootstrap: number } | false;

export interface AnalysisRequest {
  /** The pairs to score, with the labels to profile (human, or a model's). */
  readonly pairs: AsyncIterable<Pair> | Iterable<Pair>;
  /** Names the pairs' origin in messages (a file path, or e.g. "judge labels"). */
  readonly inputName: string;
  /** Who gave the labels, written to labels.jsonl: "human" (the default), "judge:<model>", "generation:<model>". */
  readonly labelSource?: string;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: Scoring;
  /** How each pair's resampling cluster is derived, and the level the profile records (when it differs: generated pairs carry their input's human cluster as `group`). */
  readonly cluster: { readonly keys: ClusterLevel; readonly recorded: ClusterLevel };
  /** Where labels.jsonl, manifestations.jsonl and groups.json go (a writer without a folder writes nothing). */
  readonly folder: RunFolderWriter;
  readonly modelExtractor?: ModelFactorExtractor;
  readonly batchSize?: number;
  /**
   * Threads that read and measure the pairs (see threaded-analysis.ts): 1 keeps the run in this
   * thread; unset chooses by the input's size. Only runs whose pairs come from a canonical JSON
   * Lines file (a PairReader) and whose factors are all rule-based use them.
   */
  readonly threads?: number;
  /** Module files of the non-built-in factor plugins, so worker threads can load them too. */
  readonly pluginModules?: readonly string[];
  /**
   * The joint regression and length-controlled scores. Off with false; otherwise skipped (with a
   * note) above `maxPairs`, since both hold every pair in memory and the regression is refitted
   * once per bootstrap replicate.
   */
  readonly attribution?: AttributionSettings;
  readonly onProgress?: (pairsDone: number) => void;
  readonly signal?: AbortSignal;
  /** What the model extractor read, streamed to evidence.jsonl batch by batch. */
  readonly evidence?: EvidenceLog;
  /** Runs after every pair is measured, before any file is published: it may refuse the run (too many failed calls). */
  readonly beforeCommit?: () => void;
}

export interface AnalysisResult {
  readonly profile: Profile;
  /** What the profile's bootstrap is drawn from, per cluster: groups.json, the alignment's paired draws. */
  readonly groupCounts: GroupCounts;
  /** Threads that measured the pairs: 1, or this thread plus the workers. */
  readonly threads: number;
}

const defaultBatchSize = 512;

/**
 * Reads pairs, extracts every factor batch by batch, and scores the profile. labels.jsonl and
 * manifestations.jsonl are streamed under temporary names and published only when the whole
 * run has succeeded. The outputs are the same byte for byte whether the pairs were measured in
 * this thread or in workers.
 */
export async function runAnalysis(request: AnalysisRequest): Promise<AnalysisResult> {
  const { folder } = request;
  const manifestations = folder.lines("manifestations.jsonl");
  const labels = folder.lines("labels.jsonl");
  const attribution = request.attribution ?? attributionDefaults;
  const collector = attribution === false ? undefined : new AttributionCollector(attribution.maxPairs);
  try {
    const accumulator = new ProfileAccumulator(request.factors.map((f) => f.plugin.id));
    const seenIds = new PairIdSet();
    let done = 0;
    const settings: BatchSettings = {
      factors: request.factors,
      seed: request.scoring.seed,
      labelSource: request.labelSource ?? "human",
      clusterLevel: request.cluster.keys,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.modelExtractor ? { modelExtractor: request.modelExtractor } : {}),
    };
    const keep = async (batch: AnalyzedBatch) => {
      if (batch.manifestations.length > 0) await manifestations.write(batch.manifestations);
      if (batch.labels.length > 0) await labels.write(batch.labels);
      accumulator.addColumns(batch.columns);
      collector?.add(batch);
      await request.evidence?.flush();
      done += batch.count;
      request.onProgress?.(done);
      request.signal?.throwIfAborted();
    };
    const { pairs } = request;
    const plan =
      pairs instanceof PairReader
        ? await planThreads({
            reader: pairs,
            settings,
            threads: request.threads,
            pluginModules: request.pluginModules ?? [],
          })
        : undefined;
    if (plan && pairs instanceof PairReader) {
      await analyzeInThreads(plan, pairs, settings, async (batch) => {
        checkIds(batch, seenIds, request.inputName);
        await keep(batch);
      });
    } else {
      let batch: Pair[] = [];
      const batchSize = request.batchSize ?? defaultBatchSize;
      for await (const chunk of inBatches(pairs)) {
        for (const pair of chunk) {
          // Checked before measuring, so a repeated pair never costs a model call.
          if (!seenIds.add(pair.id)) throw duplicatePairId(pair.id, request.inputName);
          batch.push(pair);
          if (batch.length >= batchSize) {
            await keep(await analyzeBatch(batch, settings));
            batch = [];
          }
        }
      }
      if (batch.length > 0) await keep(await analyzeBatch(batch, settings));
    }
    request.beforeCommit?.();
    const clusterLevel = request.cluster.recorded;
    const profile = computeProfile(accumulator, { ...request.scoring, clusterLevel });
    const groupCounts = groupCountsOf(accumulator, { clusterLevel });
    await manifestations.commit();
    await labels.commit();
    await request.evidence?.commit();
    await writeGroupCounts(folder, groupCounts);
    const figures =
      attribution === false
        ? undefined
        : attributionFigures(collector!, attribution, profile, request.scoring);
    return {
      profile: figures ? { ...profile, attribution: figures } : profile,
      groupCounts,
      threads: plan?.threads ?? 1,
    };
  } catch (error) {
    await manifestations.abort();
    await labels.abort();
    await request.evidence?.abort();
    throw error;
  }
}

/** Checks a batch measured in a worker against the ids seen so far, by their fingerprints. */
function checkIds(batch: AnalyzedBatch, seenIds: PairIdSet, inputName: string): void {
  const { idFingerprints } = batch;
  for (let i = 0; i < batch.count; i++) {
    if (!seenIds.addFingerprint(idFingerprints[i * 2]!, idFingerprints[i * 2 + 1]!)) {
      // The id itself is in the batch's labels.jsonl lines, one per pair.
      const labels =
        typeof batch.labels === "string" ? batch.labels : Buffer.from(batch.labels).toString("utf8");
      const { pairId } = JSON.parse(labels.split("\n")[i]!) as { pairId: string };
      throw duplicatePairId(pairId, inputName);
    }
  }
}

export function duplicatePairId(id: string, inputName: string): ProfilekitError {
  return new ProfilekitError("duplicate_pair_id", `pair id "${id}" appears twice in ${inputName}`, {
    location: { file: inputName, pairId: id },
    hint: "pair ids must be unique within a file; fix the ids or map another column with --map id=...",
  });
}

/**
 * Cells of groups.json above which it is not written (about 10 MB of JSON): a run whose every pair is
 * its own cluster would write a sidecar as large as its data. The alignment then falls back to the
 * profile's intervals, and says so.
 */
const maxGroupCountCells = 2_000_000;

/** groups.json: the profile's counts per cluster, which a paired alignment draws from. */
async function writeGroupCounts(folder: RunFolderWriter, groupCounts: GroupCounts): Promise<void> {
  if (groupCounts.keys.length * groupCounts.factors.length > maxGroupCountCells) return;
  await folder.json("groups.json", groupCounts, "compact");
}

function attributionFigures(
  collector: AttributionCollector,
  settings: Exclude<AttributionSettings, false>,
  profile: Profile,
  scoring: Scoring,
) {
  if (profile.pairs > settings.maxPairs) {
    return {
      jointRegression: null,
      lengthControlled: null,
      notes: [
        `skipped: ${profile.pairs} pairs is more than --attribution-max-pairs ${settings.maxPairs} ` +
          "(the joint regression holds every pair in memory and refits once per bootstrap replicate); raise it to compute them",
      ],
    };
  }
  return attributionOf(collector.inputs(), {
    seed: scoring.seed,
    bootstrap: Math.min(settings.bootstrap, scoring.bootstrap),
    maxPairs: settings.maxPairs,
  });
}

/** A source's pairs in batches: its own when it reads in batches (a PairReader), else one by one. */
async function* inBatches(pairs: AsyncIterable<Pair> | Iterable<Pair>): AsyncGenerator<readonly Pair[]> {
  if ("batches" in pairs && typeof pairs.batches === "function") {
    yield* (pairs as { batches(): AsyncIterable<readonly Pair[]> }).batches();
    return;
  }
  for await (const pair of pairs) yield [pair];
}
