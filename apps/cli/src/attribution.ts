import { join } from "node:path";
import {
  jointRegression,
  lengthControlledScores,
  ProfileAttributionSchema,
  type ManifestationLike,
  type RegressionPair,
} from "@profilekit/core";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { fileLines, LabelLineSchema, ManifestationLineSchema, parseLine } from "./run-records.js";

/**
 * "Beyond PROFILE": the figures reported beside the marginal tau of every factor, computed from
 * a run folder's labels.jsonl and manifestations.jsonl.
 *
 * - `jointRegression`: core's L2-regularised logistic regression of the preference on every
 *   factor at once (signs, or standardised value differences where the factor has values), no
 *   intercept, with clustered-bootstrap intervals over the groups of labels.jsonl. It tells
 *   correlated factors apart (length and number of facts), which a marginal tau cannot.
 * - `lengthControlled`: core's Kendall partial tau of every other factor with the preference,
 *   length held fixed; null when the run has no `length` factor.
 *
 * Both hold every pair and its manifestations in memory, and the regression is refitted once per
 * bootstrap replicate, so a run with more than `maxPairs` pairs (default 50,000) is skipped with
 * a note; pass a larger `maxPairs` to compute it anyway. See docs/methodology.md.
 */
export const AttributionSchema = ProfileAttributionSchema;
export type Attribution = z.infer<typeof AttributionSchema>;

/** Runs with more pairs than this are skipped unless `maxPairs` is raised. */
export const defaultAttributionMaxPairs = 50_000;

export const AttributionOptionsSchema = z.object({
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

/**
 * Streams `<runDir>/labels.jsonl` and `<runDir>/manifestations.jsonl` line by line and computes
 * the joint regression and the length-controlled scores. The same folder, options and seed give
 * the same result, byte for byte once serialised.
 */
export async function computeAttribution(runDir: string, options: AttributionOptions): Promise<Attribution> {
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
  const { seed, bootstrap, lambda, maxPairs } = parsed.data;
  const labels = await readLabels(join(runDir, "labels.jsonl"), maxPairs);
  if (labels.pairs === null) {
    const note =
      `Joint regression and length-controlled scores skipped: the run has ${labels.count} pairs, more than ` +
      `maxPairs = ${maxPairs}. Both hold every pair and its manifestations in memory (about 3 KB a pair at 10 ` +
      `factors) and the regression is refitted for each of the ${bootstrap} bootstrap replicates; set maxPairs ` +
      `to ${labels.count} or more to compute them anyway (docs/methodology.md, section 12).`;
    return { jointRegression: null, lengthControlled: null, notes: [note] };
  }
  const { pairs } = labels;
  const { manifestations, factors, lengthMeasured } = await readManifestations(
    join(runDir, "manifestations.jsonl"),
    pairs,
  );

  const notes: string[] = [];
  if (factors.length === 0) {
    notes.push("Joint regression and length-controlled scores skipped: manifestations.jsonl has no factor.");
    return { jointRegression: null, lengthControlled: null, notes };
  }
  return {
    jointRegression: regression(pairs, manifestations, factors, { seed, bootstrap, lambda }, notes),
    lengthControlled: lengthControlled(pairs, manifestations, factors, lengthMeasured, notes),
    notes,
  };
}

function regression(
  pairs: readonly RegressionPair[],
  manifestations: readonly ManifestationLike[],
  factors: readonly string[],
  options: { seed: number; bootstrap: number; lambda: number | undefined },
  notes: string[],
): Attribution["jointRegression"] {
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
  pairs: readonly RegressionPair[],
  manifestations: readonly ManifestationLike[],
  factors: readonly string[],
  lengthMeasured: boolean,
  notes: string[],
): Attribution["lengthControlled"] {
  if (!factors.includes(lengthFactor)) {
    notes.push(
      `Length-controlled scores skipped: the run has no "${lengthFactor}" factor; add it to the run's factors to hold length fixed.`,
    );
    return null;
  }
  if (!lengthMeasured) {
    notes.push(`Length-controlled scores skipped: "${lengthFactor}" was not measured on any pair.`);
    return null;
  }
  return lengthControlledScores(pairs, manifestations, { lengthFactor, factors });
}

type LabelsRead = { pairs: RegressionPair[]; count: number } | { pairs: null; count: number };

/**
 * Reads labels.jsonl into pairs; past `maxPairs` it drops them and only counts the remaining
 * lines, so an oversized run costs one pass and no memory.
 */
async function readLabels(file: string, maxPairs: number): Promise<LabelsRead> {
  let pairs: RegressionPair[] | null = [];
  let count = 0;
  const ids = new Set<string>();
  for await (const { line, text } of fileLines(file)) {
    count++;
    if (count > maxPairs && pairs !== null) {
      pairs = null;
      ids.clear();
    }
    if (pairs === null) continue;
    const record = parseLine(file, line, text, LabelLineSchema);
    if (ids.has(record.pairId)) {
      throw new ProfilekitError(
        "duplicate_pair_id",
        `${file}:${line} labels pair "${record.pairId}" a second time`,
        {
          location: { file, line, pairId: record.pairId },
          hint: "labels.jsonl holds one line per pair; re-create the run folder rather than editing it",
        },
      );
    }
    ids.add(record.pairId);
    pairs.push({
      id: record.pairId,
      label: record.label,
      ...(record.group === undefined ? {} : { group: record.group }),
    });
  }
  return pairs === null ? { pairs: null, count } : { pairs, count };
}

interface ManifestationsRead {
  manifestations: ManifestationLike[];
  /** In order of first appearance. */
  factors: string[];
  /** Whether some pair has a non-null length sign. */
  lengthMeasured: boolean;
}

/**
 * Reads manifestations.jsonl, keeping per line only what the figures need. The pair id and factor
 * strings are shared with the labels and between lines, so memory grows with the number of lines,
 * not their text. Fails, naming the line, on a pair missing from labels.jsonl and on a second
 * manifestation of one pair and factor.
 */
async function readManifestations(
  file: string,
  pairs: readonly RegressionPair[],
): Promise<ManifestationsRead> {
  const pairIndex = new Map(pairs.map((pair, i) => [pair.id, i]));
  /** Per factor: its name as first read, and which pairs already have a manifestation of it. */
  const seen = new Map<string, { factor: string; measured: Uint8Array }>();
  const manifestations: ManifestationLike[] = [];
  let lengthMeasured = false;
  for await (const { line, text } of fileLines(file)) {
    const record = parseLine(file, line, text, ManifestationLineSchema);
    const location = { file, line, pairId: record.pairId, factor: record.factor };
    const i = pairIndex.get(record.pairId);
    if (i === undefined) {
      throw new ProfilekitError(
        "unknown_pair",
        `${file}:${line} measures "${record.factor}" on pair "${record.pairId}", which labels.jsonl does not list`,
        {
          location,
          hint: "labels.jsonl and manifestations.jsonl come from the same run; re-create the run folder",
        },
      );
    }
    let factor = seen.get(record.factor);
    if (factor === undefined) {
      factor = { factor: record.factor, measured: new Uint8Array(pairs.length) };
      seen.set(record.factor, factor);
    }
    if (factor.measured[i] === 1) {
      throw new ProfilekitError(
        "duplicate_manifestation",
        `${file}:${line} measures "${record.factor}" on pair "${record.pairId}" a second time`,
        {
          location,
          hint: "manifestations.jsonl holds one line per pair and factor; re-create the run folder",
        },
      );
    }
    factor.measured[i] = 1;
    if (record.factor === lengthFactor && record.sign !== null) lengthMeasured = true;
    const manifestation: ManifestationLike = {
      pairId: pairs[i]!.id,
      factor: factor.factor,
      sign: record.sign,
    };
    if (record.valueA !== undefined) manifestation.valueA = record.valueA;
    if (record.valueB !== undefined) manifestation.valueB = record.valueB;
    manifestations.push(manifestation);
  }
  const factors = [...seen.keys()];
  return { manifestations, factors, lengthMeasured };
}
