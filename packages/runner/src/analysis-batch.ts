import { clusterKeyOf, groupHash, NULL_SIGN, type PairColumns } from "@profilekit/core";
import {
  type ClusterLevel,
  type FactorPlugin,
  type Manifestation,
  type ModelFactorExtractor,
  type Pair,
  ProfilekitError,
} from "@profilekit/spec";
import type { SelectedFactor } from "./factor-selection.js";
import { writeIdFingerprint } from "./pair-id-set.js";

/** How every batch of a run is analysed. */
export interface BatchSettings {
  readonly factors: readonly SelectedFactor[];
  /** The run's seed, handed to every factor. */
  readonly seed: number;
  /** Who gave the labels, written to labels.jsonl: "human", "judge:<model>", "generation:<model>". */
  readonly labelSource: string;
  /** How a pair's resampling cluster (labels.jsonl's `group`) is derived. */
  readonly clusterLevel: ClusterLevel;
  readonly modelExtractor?: ModelFactorExtractor;
  /** Stops the model calls of a batch (an interruption, or too many failures). */
  readonly signal?: AbortSignal;
}

/**
 * What one batch of pairs adds to a run, in a form that can cross threads: its lines of
 * manifestations.jsonl and labels.jsonl, its pair id fingerprints (for the duplicate check),
 * and its columns for the profile.
 */
export interface AnalyzedBatch {
  readonly count: number;
  /** Two 32-bit lanes per pair, as {@link writeIdFingerprint} writes them. */
  readonly idFingerprints: Uint32Array;
  /** Lines of manifestations.jsonl, each ending in a newline (UTF-8 bytes when made in a worker). */
  readonly manifestations: string | Uint8Array;
  /** Lines of labels.jsonl, one per pair in order, each ending in a newline. */
  readonly labels: string | Uint8Array;
  readonly columns: PairColumns;
}

/** Measures every factor on a batch of pairs and lays out what the run keeps of it. */
export async function analyzeBatch(pairs: readonly Pair[], settings: BatchSettings): Promise<AnalyzedBatch> {
  const perFactor = await extractFactors(pairs, settings);
  const count = pairs.length;
  const idFingerprints = new Uint32Array(count * 2);
  const preferences = new Int8Array(count);
  const groupHashes = new Float64Array(count);
  const signs = perFactor.map(() => new Int8Array(count));
  // Lines are built from JSON.stringify of each string, not of whole objects: this loop runs
  // once per pair and factor, and is a large share of a long run's time.
  const source = JSON.stringify(settings.labelSource);
  const manifestationLines: string[] = new Array(count * perFactor.length);
  const labelLines: string[] = new Array(count);
  let line = 0;
  for (let i = 0; i < count; i++) {
    const pair = pairs[i]!;
    const group = clusterKeyOf(pair, settings.clusterLevel);
    for (let f = 0; f < perFactor.length; f++) {
      const manifestation = perFactor[f]![i]!;
      signs[f]![i] = manifestation.sign ?? NULL_SIGN;
      manifestationLines[line++] = JSON.stringify(manifestation);
    }
    labelLines[i] =
      `{"pairId":${JSON.stringify(pair.id)},"label":"${pair.label}","group":${JSON.stringify(group)},"source":${source}}`;
    writeIdFingerprint(pair.id, idFingerprints, i * 2);
    preferences[i] = pair.label === "a" ? 1 : pair.label === "b" ? -1 : 0;
    groupHashes[i] = groupHash(group);
  }
  return {
    count,
    idFingerprints,
    manifestations: count === 0 || perFactor.length === 0 ? "" : `${manifestationLines.join("\n")}\n`,
    labels: count === 0 ? "" : `${labelLines.join("\n")}\n`,
    columns: { preferences, groupHashes, signs },
  };
}

/** The manifestations of each factor, in the order of `settings.factors`. */
export async function extractFactors(
  pairs: readonly Pair[],
  settings: BatchSettings,
): Promise<(readonly Manifestation[])[]> {
  const { modelExtractor } = settings;
  // Model-extracted factors go to the extractor together, so joint mode can measure
  // all of them in one call per pair; the others extract themselves.
  const modelPlugins = modelExtractor
    ? settings.factors.filter(({ plugin }) => isModelExtracted(plugin)).map(({ plugin }) => plugin)
    : [];
  const fromModel =
    modelExtractor && modelPlugins.length > 0
      ? await modelExtractor.extract(modelPlugins, pairs, settings.signal ? { signal: settings.signal } : {})
      : new Map<string, readonly Manifestation[]>();
  const perFactor: (readonly Manifestation[])[] = [];
  for (const { plugin, options } of settings.factors) {
    const extracted =
      fromModel.get(plugin.id) ??
      (await plugin.extract(pairs, {
        options,
        seed: settings.seed,
        ...(modelExtractor ? { modelExtractor } : {}),
        ...(settings.signal ? { signal: settings.signal } : {}),
      }));
    checkExtraction(plugin.id, pairs, extracted);
    perFactor.push(extracted);
  }
  return perFactor;
}

/** Whether a factor is measured by a model through the run's extractor (it carries a prompt). */
export function isModelExtracted(plugin: FactorPlugin): boolean {
  return plugin.method === "llm" && plugin.prompt !== undefined;
}

/**
 * A plugin must return one manifestation per pair, in order, each with a sign of -1, 0, 1 or
 * null; anything else is its bug, named.
 */
function checkExtraction(factor: string, pairs: readonly Pair[], extracted: readonly Manifestation[]): void {
  if (extracted.length !== pairs.length) {
    throw new ProfilekitError(
      "plugin_contract",
      `factor "${factor}" returned ${extracted.length} manifestations for ${pairs.length} pairs`,
      { exitCode: 1, hint: "a factor's extract must return one manifestation per pair, in the pairs' order" },
    );
  }
  for (let i = 0; i < pairs.length; i++) {
    const m = extracted[i]!;
    if (m.pairId !== pairs[i]!.id || m.factor !== factor) {
      throw new ProfilekitError(
        "plugin_contract",
        `factor "${factor}" returned a manifestation for pair "${m.pairId}"/factor "${m.factor}" where pair "${pairs[i]!.id}" was expected`,
        { exitCode: 1, location: { pairId: pairs[i]!.id, factor } },
      );
    }
    if (m.sign !== null && m.sign !== 1 && m.sign !== 0 && m.sign !== -1) {
      throw new ProfilekitError(
        "plugin_contract",
        `factor "${factor}" returned sign ${JSON.stringify(m.sign)} for pair "${m.pairId}"`,
        {
          exitCode: 1,
          location: { pairId: m.pairId, factor },
          hint: "a sign is -1, 0, 1, or null when the factor could not be measured",
        },
      );
    }
  }
}
