import { mkdir, readdir, rmdir } from "node:fs/promises";
import { join } from "node:path";
import {
  computeProfile,
  groupKeyOf,
  type KendallVariant,
  type Profile,
  ProfileAccumulator,
  type ProfileAttribution,
} from "@profilekit/core";
import { type AtomicWriter, createAtomicWriter } from "@profilekit/data";
import {
  type FactorPlugin,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  ProfilekitError,
  type Sign,
} from "@profilekit/spec";
import { computeAttribution, defaultAttributionMaxPairs } from "./attribution.js";
import type { SelectedFactor } from "./factor-selection.js";
import { PairIdSet } from "./pair-id-set.js";

export interface ScoringOptions {
  readonly variant: KendallVariant;
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
}

export interface AnalysisRequest {
  /** The pairs to score, with the labels to profile (human, or a model's). */
  readonly pairs: AsyncIterable<Pair> | Iterable<Pair>;
  /** Names the pairs' origin in messages (a file path, or e.g. "judge labels"). */
  readonly inputName: string;
  /** Who gave the labels, written to labels.jsonl: "human" (the default), "judge:<model>", "generation:<model>". */
  readonly labelSource?: string;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: ScoringOptions;
  readonly outDir: string;
  readonly modelExtractor?: ModelFactorExtractor;
  readonly batchSize?: number;
  /**
   * The joint regression and length-controlled scores, computed from the written run files.
   * Off with false; otherwise skipped (with a note) above `maxPairs`, since both hold every pair
   * in memory and the regression is refitted once per bootstrap replicate.
   */
  readonly attribution?: { readonly maxPairs: number; readonly bootstrap: number } | false;
  readonly onProgress?: (pairsDone: number) => void;
}

export interface AnalysisResult {
  readonly profile: Profile;
  readonly files: readonly string[];
}

const defaultBatchSize = 512;

/**
 * Reads pairs, extracts every factor batch by batch, and scores the profile.
 * Nothing is visible in `outDir` until the whole run has succeeded: each file
 * is written to a temporary name and renamed at the end, and an output
 * directory this run created is removed again if the run fails.
 */
export async function runAnalysis(request: AnalysisRequest): Promise<AnalysisResult> {
  const createdDir = await ensureDirectory(request.outDir);
  const manifestations = createAtomicWriter(join(request.outDir, "manifestations.jsonl"));
  const labels = createAtomicWriter(join(request.outDir, "labels.jsonl"));
  try {
    const accumulator = new ProfileAccumulator(request.factors.map((f) => f.plugin.id));
    const seenIds = new PairIdSet();
    let batch: Pair[] = [];
    let done = 0;
    const flush = async () => {
      await processBatch(batch, request, accumulator, manifestations, labels);
      done += batch.length;
      batch = [];
      request.onProgress?.(done);
    };
    for await (const chunk of inBatches(request.pairs)) {
      for (const pair of chunk) {
        if (!seenIds.add(pair.id)) {
          throw new ProfilekitError(
            "duplicate_pair_id",
            `pair id "${pair.id}" appears twice in ${request.inputName}`,
            {
              location: { file: request.inputName, pairId: pair.id },
              hint: "pair ids must be unique within a file; fix the ids or map another column with --map id=...",
            },
          );
        }
        batch.push(pair);
        if (batch.length >= (request.batchSize ?? defaultBatchSize)) await flush();
      }
    }
    if (batch.length > 0) await flush();
    const profile = computeProfile(accumulator, request.scoring);
    await manifestations.commit();
    await labels.commit();
    const attribution = await attributionOf(request, profile);
    return {
      profile: attribution ? { ...profile, attribution } : profile,
      files: ["labels.jsonl", "manifestations.jsonl"],
    };
  } catch (error) {
    await manifestations.abort();
    await labels.abort();
    if (createdDir) await removeIfEmpty(request.outDir);
    throw error;
  }
}

/** Attribution defaults: B is capped because every replicate refits the regression. */
export const attributionDefaults = { maxPairs: defaultAttributionMaxPairs, bootstrap: 200 } as const;

async function attributionOf(
  request: AnalysisRequest,
  profile: Profile,
): Promise<ProfileAttribution | undefined> {
  if (request.attribution === false) return undefined;
  const { maxPairs, bootstrap } = request.attribution ?? attributionDefaults;
  if (profile.pairs > maxPairs) {
    return {
      jointRegression: null,
      lengthControlled: null,
      notes: [
        `skipped: ${profile.pairs} pairs is more than --attribution-max-pairs ${maxPairs} ` +
          "(the joint regression holds every pair in memory and refits once per bootstrap replicate); raise it to compute them",
      ],
    };
  }
  return computeAttribution(request.outDir, {
    seed: request.scoring.seed,
    bootstrap: Math.min(bootstrap, request.scoring.bootstrap),
    maxPairs,
  });
}

async function processBatch(
  batch: readonly Pair[],
  request: AnalysisRequest,
  accumulator: ProfileAccumulator,
  manifestations: AtomicWriter,
  labels: AtomicWriter,
): Promise<void> {
  const perFactor: (readonly Manifestation[])[] = [];
  // Model-extracted factors go to the extractor together, so joint mode can measure
  // all of them in one call per pair; the others extract themselves.
  const modelPlugins = request.modelExtractor
    ? request.factors.filter(({ plugin }) => isModelExtracted(plugin)).map(({ plugin }) => plugin)
    : [];
  const fromModel =
    modelPlugins.length > 0 && request.modelExtractor
      ? await request.modelExtractor.extract(modelPlugins, batch)
      : new Map<string, readonly Manifestation[]>();
  for (const { plugin, options } of request.factors) {
    const extracted =
      fromModel.get(plugin.id) ??
      (await plugin.extract(batch, {
        options,
        seed: request.scoring.seed,
        ...(request.modelExtractor ? { modelExtractor: request.modelExtractor } : {}),
      }));
    checkExtraction(plugin.id, batch, extracted);
    perFactor.push(extracted);
  }
  // Lines are built from JSON.stringify of each string, not of whole objects: this loop runs
  // once per pair and factor, and is a large share of a long run's time.
  const source = JSON.stringify(request.labelSource ?? "human");
  const manifestationLines: string[] = new Array(batch.length * perFactor.length);
  const labelLines: string[] = new Array(batch.length);
  const signs: Sign[] = new Array(perFactor.length);
  let line = 0;
  for (let i = 0; i < batch.length; i++) {
    const pair = batch[i]!;
    const group = groupKeyOf(pair);
    for (let f = 0; f < perFactor.length; f++) {
      const manifestation = perFactor[f]![i]!;
      signs[f] = manifestation.sign;
      manifestationLines[line++] = JSON.stringify(manifestation);
    }
    labelLines[i] =
      `{"pairId":${JSON.stringify(pair.id)},"label":"${pair.label}","group":${JSON.stringify(group)},"source":${source}}`;
    accumulator.add(pair.label, group, signs);
  }
  await manifestations.write(`${manifestationLines.join("\n")}\n`);
  await labels.write(`${labelLines.join("\n")}\n`);
}

/** A source's pairs in batches: its own when it reads in batches (a PairReader), else one by one. */
async function* inBatches(pairs: AsyncIterable<Pair> | Iterable<Pair>): AsyncGenerator<readonly Pair[]> {
  if ("batches" in pairs && typeof pairs.batches === "function") {
    yield* (pairs as { batches(): AsyncIterable<readonly Pair[]> }).batches();
    return;
  }
  for await (const pair of pairs) yield [pair];
}

/** Whether a factor is measured by a model through the run's extractor (it carries a prompt). */
export function isModelExtracted(plugin: FactorPlugin): boolean {
  return plugin.method === "llm" && plugin.prompt !== undefined;
}

/** A plugin must return one manifestation per pair, in order; anything else is its bug, named. */
function checkExtraction(factor: string, batch: readonly Pair[], extracted: readonly Manifestation[]): void {
  if (extracted.length !== batch.length) {
    throw new ProfilekitError(
      "plugin_contract",
      `factor "${factor}" returned ${extracted.length} manifestations for ${batch.length} pairs`,
      { exitCode: 1, hint: "a factor's extract must return one manifestation per pair, in the pairs' order" },
    );
  }
  for (let i = 0; i < batch.length; i++) {
    const m = extracted[i]!;
    if (m.pairId !== batch[i]!.id || m.factor !== factor) {
      throw new ProfilekitError(
        "plugin_contract",
        `factor "${factor}" returned a manifestation for pair "${m.pairId}"/factor "${m.factor}" where pair "${batch[i]!.id}" was expected`,
        { exitCode: 1, location: { pairId: batch[i]!.id, factor } },
      );
    }
  }
}

async function ensureDirectory(dir: string): Promise<boolean> {
  const created = await mkdir(dir, { recursive: true });
  return created !== undefined;
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    if ((await readdir(dir)).length === 0) await rmdir(dir);
  } catch {
    // Leaving an empty directory behind is harmless; the error that stopped the run matters more.
  }
}
