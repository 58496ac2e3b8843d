import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { computeProfile, type Profile, ProfileAccumulator } from "@profilekit/core";
import { ProfilekitError, type Sign } from "@profilekit/spec";
import type { ScoringOptions } from "./analysis.js";
import { computeAttribution } from "./attribution.js";
import { fileLines, LabelLineSchema, ManifestationLineSchema, parseLine } from "./run-records.js";

/** Marks a pair/factor with no manifestation line (it counts as missing, like a null sign). */
const absent = 2;

/**
 * Scores a run folder again from its labels.jsonl and manifestations.jsonl, with no model call
 * and without reading the original input: another variant, B, R or seed. Only compact columns
 * are kept (a label, a group and one sign per factor for every pair), so memory grows with the
 * number of pairs, not with their text. Blocks of the folder's profile.json that do not come
 * from the scores (a judge's agreement, a generation summary) are carried over unchanged.
 */
export async function rescoreRun(
  runDir: string,
  scoring: ScoringOptions,
  attribution: { readonly maxPairs: number; readonly bootstrap: number } | false,
): Promise<Profile & Record<string, unknown>> {
  const labelsFile = join(runDir, "labels.jsonl");
  const manifestationsFile = join(runDir, "manifestations.jsonl");
  const index = new Map<string, number>();
  const labels: ("a" | "b" | "tie")[] = [];
  const groups: string[] = [];
  for await (const { line, text } of fileLines(labelsFile)) {
    const record = parseLine(labelsFile, line, text, LabelLineSchema);
    if (index.has(record.pairId)) {
      throw new ProfilekitError(
        "duplicate_pair_id",
        `${labelsFile}:${line} labels pair "${record.pairId}" a second time`,
        {
          location: { file: labelsFile, line, pairId: record.pairId },
          hint: "labels.jsonl holds one line per pair; re-create the run folder rather than editing it",
        },
      );
    }
    index.set(record.pairId, labels.length);
    labels.push(record.label);
    groups.push(record.group ?? `pair:${record.pairId}`);
  }
  if (labels.length === 0) {
    throw new ProfilekitError("empty_input", `${labelsFile} holds no pair`, {
      location: { file: labelsFile },
      hint: "give a run folder written by `profilekit analyze`, `judge` or `generate`",
    });
  }

  const factors = new Map<string, Int8Array>();
  for await (const { line, text } of fileLines(manifestationsFile)) {
    const record = parseLine(manifestationsFile, line, text, ManifestationLineSchema);
    const at = index.get(record.pairId);
    if (at === undefined) {
      throw new ProfilekitError(
        "unknown_pair",
        `${manifestationsFile}:${line} measures "${record.factor}" on pair "${record.pairId}", which labels.jsonl does not list`,
        {
          location: { file: manifestationsFile, line, pairId: record.pairId },
          hint: "re-create the run folder",
        },
      );
    }
    let signs = factors.get(record.factor);
    if (!signs) {
      signs = new Int8Array(labels.length).fill(absent);
      factors.set(record.factor, signs);
    }
    signs[at] = record.sign === null ? absent : record.sign;
  }

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
  const profile: Profile = computeProfile(accumulator, scoring);
  const carried = await carriedBlocks(join(runDir, "profile.json"));
  const computed =
    attribution === false
      ? undefined
      : profile.pairs > attribution.maxPairs
        ? undefined
        : await computeAttribution(runDir, {
            seed: scoring.seed,
            bootstrap: Math.min(attribution.bootstrap, scoring.bootstrap),
            maxPairs: attribution.maxPairs,
          });
  return { ...carried, ...profile, ...(computed ? { attribution: computed } : {}) };
}

/** Top-level blocks of an existing profile.json that re-scoring does not recompute. */
async function carriedBlocks(file: string): Promise<Record<string, unknown>> {
  let existing: Record<string, unknown>;
  try {
    existing = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return {};
  }
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
  ]);
  return Object.fromEntries(Object.entries(existing).filter(([key]) => !recomputed.has(key)));
}
