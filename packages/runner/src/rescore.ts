import { join } from "node:path";
import {
  computeProfile,
  groupCountsOf,
  type Profile,
  ProfileAccumulator,
  ProfileSchema,
} from "@profilekit/core";
import { ProfilekitError, type Sign } from "@profilekit/spec";
import { z } from "zod";
import { AttributionInputs, attributionDefaults, attributionOf } from "./attribution.js";
import { readRunPairs } from "./run-folder/run-pairs.js";
import { readRunJson } from "./run-folder/reader.js";
import { RunFolderWriter } from "./run-folder/writer.js";
import { parseRequest, ScoringSchema } from "./stage-request.js";

/** What `rescore` is asked: a run folder to score again, without reading its input or calling a model. */
export const RescoreRequestSchema = z.strictObject({
  /** The run folder (written by analyze, judge, generate, or a setting of run). */
  run: z.string().min(1),
  /** Where to write profile.json and profile.csv (default: the run folder itself); false: nowhere. */
  out: z.union([z.string().min(1), z.literal(false)]).optional(),
  attribution: z
    .union([z.literal(false), z.strictObject({ maxPairs: z.int().min(1), bootstrap: z.int().min(0) })])
    .default(attributionDefaults),
  ...ScoringSchema.shape,
});
export type RescoreRequest = z.input<typeof RescoreRequestSchema>;

/** Marks a pair/factor with no manifestation line (it counts as missing, like a null sign). */
const absent = 2;

/** Top-level blocks of profile.json that re-scoring recomputes; every other block is carried over. */
const recomputed = new Set([
  "schemaVersion",
  "variant",
  "pairs",
  "preferenceTies",
  "groups",
  "seed",
  "bootstrap",
  "permutations",
  "factors",
  "attribution",
  "intervalMethod",
  "pValueMethod",
  "warnings",
  "clusterLevel",
]);

/**
 * Scores a run folder again from its labels.jsonl and manifestations.jsonl: another variant, B, R
 * or seed, with no model call and without reading the original input. Only compact columns are
 * kept (a label, a group and one sign per factor for every pair), so memory grows with the number
 * of pairs, not with their text. Blocks of the folder's profile.json that do not come from the
 * scores (a judge's agreement, a generation summary) are carried over unchanged.
 */
export async function rescore(
  input: RescoreRequest,
): Promise<{ profile: Profile & Record<string, unknown>; files: string[] }> {
  const request = parseRequest(RescoreRequestSchema, input, "rescore");
  const labels: ("a" | "b" | "tie")[] = [];
  const groups: string[] = [];
  const factors = new Map<string, Int8Array>();
  // Attribution reads the same lines: they are read once, for both.
  const { attribution } = request;
  const inputs = attribution === false ? undefined : new AttributionInputs(attribution.maxPairs);
  const pairs = await readRunPairs(request.run, {
    pair(record) {
      labels.push(record.label);
      groups.push(record.group ?? `pair:${record.pairId}`);
      inputs?.addPair(record);
    },
    manifestation(record, at) {
      let signs = factors.get(record.factor);
      if (!signs) {
        signs = new Int8Array(labels.length).fill(absent);
        factors.set(record.factor, signs);
      }
      signs[at] = record.sign === null ? absent : record.sign;
      inputs?.addManifestation(record, inputs.pairs[at]?.id);
    },
  });
  if (pairs === 0) {
    const labelsFile = join(request.run, "labels.jsonl");
    throw new ProfilekitError("empty_input", `${labelsFile} holds no pair`, {
      location: { file: labelsFile },
      hint: "give a run folder written by `profilekit analyze`, `judge` or `generate`",
    });
  }
  // The folder's own profile.json, when it has a readable one, names the clusters' level and lends
  // the blocks scores do not make.
  const existing = await readRunJson(join(request.run, "profile.json"), z.looseObject({})).catch(
    () => undefined,
  );
  const ids = [...factors.keys()];
  const columns = [...factors.values()];
  const accumulator = new ProfileAccumulator(ids);
  const signs: Sign[] = new Array(ids.length);
  for (let pair = 0; pair < labels.length; pair++) {
    for (let f = 0; f < columns.length; f++) {
      const sign = columns[f]![pair]!;
      signs[f] = sign === absent ? null : (sign as -1 | 0 | 1);
    }
    accumulator.add(labels[pair]!, groups[pair]!, signs);
  }
  const scoring = {
    variant: request.variant,
    bootstrap: request.bootstrap,
    permutations: request.permutations,
    seed: request.seed,
  };
  // The clusters are labels.jsonl's groups; the folder's profile.json names their level.
  const clusterLevel = typeof existing?.clusterLevel === "string" ? existing.clusterLevel : undefined;
  const profile: Profile = computeProfile(accumulator, {
    ...scoring,
    ...(clusterLevel ? { clusterLevel } : {}),
  });
  const carried = Object.fromEntries(Object.entries(existing ?? {}).filter(([key]) => !recomputed.has(key)));
  const computed =
    attribution === false || inputs === undefined || inputs.overCap
      ? undefined
      : attributionOf(inputs, {
          seed: scoring.seed,
          bootstrap: Math.min(attribution.bootstrap, scoring.bootstrap),
          maxPairs: attribution.maxPairs,
        });
  const result = { ...carried, ...profile, ...(computed ? { attribution: computed } : {}) };
  const out = request.out === undefined ? request.run : request.out;
  const writer = await RunFolderWriter.open(out === false ? undefined : out);
  await writer.profile(result, ProfileSchema.loose());
  await writer.json(
    "groups.json",
    groupCountsOf(accumulator, clusterLevel ? { clusterLevel } : {}),
    "compact",
  );
  return { profile: result, files: [...writer.files] };
}
