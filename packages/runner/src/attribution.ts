import {
  jointRegression,
  lengthControlledScores,
  type ManifestationLike,
  type ProfileAttribution,
  type RegressionPair,
} from "@profilekit/core";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import type { AnalyzedBatch } from "./analysis-batch.js";
import { readRunPairs } from "./run-folder/run-pairs.js";

/**
 * "Beyond PROFILE": the figures reported beside the marginal tau of every factor.
 *
 * - `jointRegression`: core's L2-regularised logistic regression of the preference on every
 *   factor at once (signs, or standardised value differences where the factor has values), no
 *   intercept, with clustered-bootstrap intervals over the pairs' groups. It tells correlated
 *   factors apart (length and number of facts), which a marginal tau cannot.
 * - `lengthControlled`: core's Kendall partial tau of every other factor with the preference,
 *   length held fixed; null when the run has no `length` factor.
 *
 * Both hold every pair and its manifestations in memory, and the regression is refitted once per
 * bootstrap replicate, so a run with more than `maxPairs` pairs (default 50,000) is skipped with a
 * note. See docs/methodology.md.
 */
export type Attribution = ProfileAttribution;

/** Runs with more pairs than this are skipped unless `maxPairs` is raised. */
const defaultAttributionMaxPairs = 50_000;

/** Attribution defaults: B is capped because every replicate refits the regression. */
export const attributionDefaults = { maxPairs: defaultAttributionMaxPairs, bootstrap: 200 } as const;

const AttributionOptionsSchema = z.object({
  /** Seeds the regression's bootstrap (replicate r draws from seed + "joint-regression/<r>"). */
  seed: z.number().int(),
  /** B, clustered-bootstrap replicates of the regression; 0 leaves its intervals null. */
  bootstrap: z.number().int().nonnegative(),
  /** The regression's L2 penalty (core's default, 1, is a N(0, 1) prior on each coefficient). */
  lambda: z.number().positive().optional(),
  /** Skip both figures, with a note, when the run has more pairs than this. */
  maxPairs: z.number().int().positive().default(defaultAttributionMaxPairs),
});
export type AttributionOptions = z.input<typeof AttributionOptionsSchema>;

/** The id of the factor that the length-controlled score holds fixed. */
const lengthFactor = "length";

/** A label line and a manifestation line, as the run files hold them. */
interface LabelLine {
  readonly pairId: string;
  readonly label: "a" | "b" | "tie";
  readonly group?: string;
}
interface ManifestationLine {
  readonly pairId: string;
  readonly factor: string;
  readonly valueA?: number | null;
  readonly valueB?: number | null;
  readonly sign: -1 | 0 | 1 | null;
}

/**
 * What the attribution figures are computed from, collected as a run writes its labels and
 * manifestations (or read back from a run folder): up to `maxPairs` pairs; past that, only the
 * count, so an oversized run costs no memory. Pair ids and factor names are shared strings, so
 * memory grows with the number of lines, not their text.
 */
export class AttributionInputs {
  readonly maxPairs: number;
  readonly pairs: RegressionPair[] = [];
  readonly manifestations: ManifestationLike[] = [];
  /** Factors in order of first appearance. */
  readonly factors: string[] = [];
  #count = 0;
  #lengthMeasured = false;
  readonly #factorNames = new Map<string, string>();

  constructor(maxPairs: number) {
    this.maxPairs = maxPairs;
  }

  /** Pairs seen, collected or not. */
  get count(): number {
    return this.#count;
  }

  /** Whether more pairs were seen than are kept. */
  get overCap(): boolean {
    return this.#count > this.maxPairs;
  }

  /** Whether some pair has a non-null length sign. */
  get lengthMeasured(): boolean {
    return this.#lengthMeasured;
  }

  addPair(line: LabelLine): void {
    this.#count++;
    if (this.#count === this.maxPairs + 1) {
      this.pairs.length = 0;
      this.manifestations.length = 0;
    }
    if (this.overCap) return;
    this.pairs.push({
      id: line.pairId,
      label: line.label,
      ...(line.group === undefined ? {} : { group: line.group }),
    });
  }

  /** A manifestation of the pair added last (or of any collected pair, by the same id string). */
  addManifestation(line: ManifestationLine, pairId: string = line.pairId): void {
    if (this.overCap) return;
    let factor = this.#factorNames.get(line.factor);
    if (factor === undefined) {
      factor = line.factor;
      this.#factorNames.set(factor, factor);
      this.factors.push(factor);
    }
    if (factor === lengthFactor && line.sign !== null) this.#lengthMeasured = true;
    const manifestation: ManifestationLike = { pairId, factor, sign: line.sign };
    if (line.valueA !== undefined) manifestation.valueA = line.valueA;
    if (line.valueB !== undefined) manifestation.valueB = line.valueB;
    this.manifestations.push(manifestation);
  }
}

/**
 * Keeps the batches a run writes, as their raw lines, while the run has at most `maxPairs` pairs,
 * and parses them into attribution inputs at the end; past the cap it keeps nothing, so a large
 * run costs neither memory nor parsing.
 */
export class AttributionCollector {
  readonly maxPairs: number;
  #count = 0;
  #batches: AnalyzedBatch[] = [];

  constructor(maxPairs: number) {
    this.maxPairs = maxPairs;
  }

  add(batch: AnalyzedBatch): void {
    this.#count += batch.count;
    if (this.#count > this.maxPairs) this.#batches = [];
    else this.#batches.push(batch);
  }

  /** The collected pairs and manifestations (or only their count, past the cap). */
  inputs(): AttributionInputs {
    const inputs = new AttributionInputs(this.maxPairs);
    if (this.#count > this.maxPairs) {
      for (let i = 0; i < this.#count; i++) inputs.addPair({ pairId: "", label: "tie" });
      return inputs;
    }
    const text = (lines: string | Uint8Array) => (typeof lines === "string" ? lines : decoder.decode(lines));
    for (const batch of this.#batches) {
      const labels = text(batch.labels).split("\n");
      const ids: string[] = [];
      for (let i = 0; i < batch.count; i++) {
        const line = JSON.parse(labels[i]!) as LabelLine;
        inputs.addPair(line);
        ids.push(line.pairId);
      }
      const manifestations = text(batch.manifestations);
      if (manifestations === "") continue;
      // analyzeBatch writes, pair by pair, one line per factor.
      const perPair = batch.columns.signs.length;
      const lines = manifestations.split("\n");
      for (let i = 0; i < batch.count * perPair; i++) {
        inputs.addManifestation(JSON.parse(lines[i]!) as ManifestationLine, ids[Math.floor(i / perPair)]);
      }
    }
    return inputs;
  }
}

const decoder = new TextDecoder();

/**
 * The joint regression and the length-controlled scores from collected inputs. The same inputs,
 * options and seed give the same result, byte for byte once serialised.
 */
export function attributionOf(inputs: AttributionInputs, options: AttributionOptions): Attribution {
  const { seed, bootstrap, lambda, maxPairs } = parseOptions(options);
  if (inputs.count > maxPairs) {
    const note =
      `Joint regression and length-controlled scores skipped: the run has ${inputs.count} pairs, more than ` +
      `maxPairs = ${maxPairs}. Both hold every pair and its manifestations in memory (about 3 KB a pair at 10 ` +
      `factors) and the regression is refitted for each of the ${bootstrap} bootstrap replicates; set maxPairs ` +
      `to ${inputs.count} or more to compute them anyway (docs/methodology.md, section 12).`;
    return { jointRegression: null, lengthControlled: null, notes: [note] };
  }
  const notes: string[] = [];
  if (inputs.factors.length === 0) {
    notes.push("Joint regression and length-controlled scores skipped: manifestations.jsonl has no factor.");
    return { jointRegression: null, lengthControlled: null, notes };
  }
  return {
    jointRegression: regression(inputs, { seed, bootstrap, lambda }, notes),
    lengthControlled: lengthControlled(inputs, { seed, bootstrap }, notes),
    notes,
  };
}

/**
 * The attribution figures of a run folder, from its labels.jsonl and manifestations.jsonl. Fails,
 * naming the line, on a pair labelled twice, a pair missing from labels.jsonl, and a second
 * manifestation of one pair and factor.
 */
export async function computeAttribution(runDir: string, options: AttributionOptions): Promise<Attribution> {
  const { maxPairs } = parseOptions(options);
  return attributionOf(await readAttributionInputs(runDir, maxPairs), options);
}

/** Reads a run folder's labels and manifestations into attribution inputs, checking them line by line. */
async function readAttributionInputs(runDir: string, maxPairs: number): Promise<AttributionInputs> {
  const inputs = new AttributionInputs(maxPairs);
  await readRunPairs(runDir, {
    pair: (record) => inputs.addPair(record),
    readManifestations: () => !inputs.overCap,
    manifestation: (record, i) => inputs.addManifestation(record, inputs.pairs[i]!.id),
  });
  return inputs;
}

function parseOptions(options: AttributionOptions) {
  const parsed = AttributionOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ProfilekitError(
      "invalid_option",
      `Invalid attribution options: ${z.prettifyError(parsed.error)}`,
      {
        hint: "seed: an integer; bootstrap: an integer >= 0; lambda: > 0; maxPairs: an integer >= 1.",
      },
    );
  }
  return parsed.data;
}

function regression(
  inputs: AttributionInputs,
  options: { seed: number; bootstrap: number; lambda: number | undefined },
  notes: string[],
): Attribution["jointRegression"] {
  const { pairs, manifestations, factors } = inputs;
  if (pairs.every((pair) => pair.label === "tie")) {
    notes.push(
      "Joint regression skipped: every pair is labelled tie, and the regression is fitted on the others.",
    );
    return null;
  }
  const fitted = jointRegression(pairs, manifestations, {
    factors: [...factors],
    seed: options.seed,
    bootstrap: options.bootstrap,
    ...(options.lambda === undefined ? {} : { lambda: options.lambda }),
  });
  if (fitted.used === 0) {
    notes.push(
      `Joint regression skipped: each of the ${fitted.dropped} non-tie pairs misses at least one factor, ` +
        "and the regression is fitted on pairs where every factor was measured.",
    );
    return null;
  }
  if (fitted.dropped > 0) {
    notes.push(
      `Joint regression: ${fitted.dropped} of ${fitted.dropped + fitted.used} non-tie pairs left out ` +
        "because a factor was not measured on them (see each factor's missing).",
    );
  }
  return fitted;
}

function lengthControlled(
  inputs: AttributionInputs,
  draws: { seed: number; bootstrap: number },
  notes: string[],
): Attribution["lengthControlled"] {
  if (!inputs.factors.includes(lengthFactor)) {
    notes.push(
      `Length-controlled scores skipped: the run has no "${lengthFactor}" factor; add it to the run's factors to hold length fixed.`,
    );
    return null;
  }
  if (!inputs.lengthMeasured) {
    notes.push(`Length-controlled scores skipped: "${lengthFactor}" was not measured on any pair.`);
    return null;
  }
  // On the profile's own cluster draws (the first `bootstrap` of them): an interval and a p-value.
  return lengthControlledScores(inputs.pairs, inputs.manifestations, {
    lengthFactor,
    factors: inputs.factors,
    bootstrap: draws.bootstrap,
    seed: draws.seed,
  });
}
