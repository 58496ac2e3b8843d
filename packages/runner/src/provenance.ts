import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Profile } from "@profilekit/core";
import type { SkipReport } from "@profilekit/data";
import { runFolderSchemaVersion } from "@profilekit/spec";
import { z } from "zod";
import type { SelectedFactor } from "./factor-selection.js";
import type { Scoring } from "./stage-request.js";

const require = createRequire(import.meta.url);

/** This package's own version, from its package.json. */
const runnerVersion: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

/** Versions of the packages a run used, for manifest.json; a package that cannot be found is "unknown". */
export function packageVersions(names: readonly string[]): Record<string, string> {
  const versions: Record<string, string> = { "@profilekit/runner": runnerVersion };
  for (const name of names) {
    try {
      versions[name] = require(`${name}/package.json`).version;
    } catch {
      versions[name] = "unknown";
    }
  }
  return versions;
}

/** How a stage's manifest.json names the run: who ran it, and for `run`, its setting and resume key. */
export const ProvenanceSchema = z.strictObject({
  /** The command that ran the stage: analyze, judge, generate, run (default: the stage's own name). */
  command: z.string().min(1).optional(),
  /** Under `run`: the setting this stage is (human, evaluation, generation, or a registered stage's). */
  setting: z.string().min(1).optional(),
  /** Under `run`: the hash of everything that changes the stage's result; a later run resumes by it. */
  configHash: z.string().min(1).optional(),
  /** How manifest.json names the input (default: the path given, or "(pairs given in code)"). */
  input: z.string().min(1).optional(),
  /** Versions of the app that called the runner (the CLI gives its own), written before the packages'. */
  versions: z.record(z.string(), z.string()).default({}),
});
export type Provenance = z.output<typeof ProvenanceSchema>;

/** The input as manifest.json names it. */
export function inputName(pairs: unknown, provenance: Provenance): string {
  return provenance.input ?? (typeof pairs === "string" ? pairs : "(pairs given in code)");
}

/** How manifest.json lists a run's factors. */
export function describeFactors(factors: readonly SelectedFactor[]) {
  return factors.map(({ plugin, options }) => ({
    id: plugin.id,
    method: plugin.method,
    level: plugin.level,
    options,
    ...(plugin.prompt ? { promptVersion: plugin.prompt.version } : {}),
  }));
}

/**
 * The part of manifest.json every stage writes: what ran, on what input, with which factors,
 * scoring, counts and versions. It holds no timestamps, so the same inputs and seed give the same
 * bytes.
 */
export function describeRun(run: {
  readonly provenance: Provenance;
  readonly command: string;
  readonly input: string;
  readonly read: Record<string, unknown>;
  readonly factors: readonly SelectedFactor[];
  readonly scoring: Scoring;
  /** The resampling unit, recorded beside the scoring when it is not `auto`. */
  readonly cluster: string;
  readonly profile: Profile;
  readonly skipped: SkipReport;
  readonly packages: readonly string[];
}) {
  const { provenance } = run;
  return {
    schemaVersion: runFolderSchemaVersion,
    command: provenance.command ?? run.command,
    input: { path: run.input, ...run.read },
    factors: describeFactors(run.factors),
    scoring: run.cluster === "auto" ? run.scoring : { ...run.scoring, cluster: run.cluster },
    counts: {
      pairs: run.profile.pairs,
      preferenceTies: run.profile.preferenceTies,
      groups: run.profile.groups,
      skipped: run.skipped.count,
      skippedByReason: run.skipped.byReason,
    },
    versions: { ...provenance.versions, ...packageVersions(run.packages) },
    node: process.versions.node,
  };
}

/** The `setting` and `configHash` a stage run by `run` records, right after describeRun's fields. */
export function studyMarks(provenance: Provenance) {
  return {
    ...(provenance.setting === undefined ? {} : { setting: provenance.setting }),
    ...(provenance.configHash === undefined ? {} : { configHash: provenance.configHash }),
  };
}
