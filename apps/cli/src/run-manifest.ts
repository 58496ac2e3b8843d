import type { Profile } from "@profilekit/core";
import type { ReadPairsOptions, SkipReport } from "@profilekit/data";
import type { ScoringOptions } from "./analysis.js";
import type { SelectedFactor } from "./factor-selection.js";
import { packageVersions } from "./versions.js";

/**
 * manifest.json: everything needed to know what a run did and to repeat it.
 * It holds no timestamps, so the same inputs and seed give the same bytes.
 */
export function describeRun(run: {
  command: string;
  input: string;
  read: ReadPairsOptions;
  factors: readonly SelectedFactor[];
  scoring: ScoringOptions;
  profile: Profile;
  skipped: SkipReport;
}) {
  return {
    schemaVersion: 1,
    command: run.command,
    input: { path: run.input, ...run.read },
    factors: run.factors.map(({ plugin, options }) => ({
      id: plugin.id,
      method: plugin.method,
      level: plugin.level,
      options,
      ...(plugin.prompt ? { promptVersion: plugin.prompt.version } : {}),
    })),
    scoring: run.scoring,
    counts: {
      pairs: run.profile.pairs,
      preferenceTies: run.profile.preferenceTies,
      groups: run.profile.groups,
      skipped: run.skipped.count,
      skippedByReason: run.skipped.byReason,
    },
    versions: packageVersions(["@profilekit/core", "@profilekit/data", "@profilekit/spec"]),
    node: process.versions.node,
  };
}
