import { type UsageReport, UsageReportSchema, UsageTracker } from "@profilekit/llm";
import { sumUsage } from "@profilekit/runner";
import { packageVersions } from "@profilekit/runner/stage-kit";
import { runFolderSchemaVersion } from "@profilekit/spec";
import type { ImproveContext } from "./improve-context.js";

/**
 * The usage of every part of a run as one report: the totals and each model's summed, each part's
 * stages listed as `<part>/<stage>` (before/generate, after/critique, ...), and the prices,
 * failures and notes of all of them.
 */
export function mergeUsage(parts: ReadonlyMap<string, UsageReport>): UsageReport {
  const reports = [...parts.values()];
  const { total, byModel } = sumUsage(reports);
  const prices = new Map(reports.flatMap((report) => report.prices.map((price) => [price.model, price])));
  return UsageReportSchema.parse({
    pricesAsOf: reports[0]?.pricesAsOf ?? new UsageTracker().report().pricesAsOf,
    total,
    byModel,
    byStage: [...parts].flatMap(([part, report]) =>
      report.byStage.map((row) => ({ ...row, stage: `${part}/${row.stage}` })),
    ),
    prices: [...prices.values()],
    failureCauses: [...parts].flatMap(([part, report]) =>
      report.failureCauses.map((group) => ({ ...group, stage: `${part}/${group.stage}` })),
    ),
    notes: [...new Set(reports.flatMap((report) => report.notes))],
  });
}

/**
 * manifest.json at the top of an improvement run, written last: what ran (the method, its models
 * and options, the human profile, the factors and scoring), the parts' folders and counts, the
 * usage of every part, and the versions. No timestamps: the same inputs and seed give the same bytes.
 */
export function improveManifest(
  context: ImproveContext,
  parts: {
    readonly models: Readonly<Record<string, string>>;
    /** The method's own options and prompts, under `improve`. */
    readonly improve: Readonly<Record<string, unknown>>;
    readonly folders: Readonly<Record<string, string>>;
    readonly counts: Readonly<Record<string, unknown>>;
  },
): Record<string, unknown> {
  const { request, input, human } = context;
  const { provenance } = request;
  return {
    schemaVersion: runFolderSchemaVersion,
    command: provenance.command ?? "improve",
    ...(provenance.setting === undefined ? {} : { setting: provenance.setting }),
    ...(provenance.configHash === undefined ? {} : { configHash: provenance.configHash }),
    method: request.method,
    input: { path: input.name, ...input.read },
    human: { file: context.shown(human.file), pairs: human.profile.pairs, groups: human.profile.groups },
    factors: input.factors.map(({ plugin, options }) => ({
      id: plugin.id,
      method: plugin.method,
      options,
      ...(plugin.prompt ? { promptVersion: plugin.prompt.version } : {}),
    })),
    scoring: input.cluster === "auto" ? input.scoring : { ...input.scoring, cluster: input.cluster },
    models: parts.models,
    improve: { levels: request.levels, limit: request.limit ?? null, ...parts.improve },
    folders: parts.folders,
    counts: { inputs: context.inputs.length, ...parts.counts },
    usage: mergeUsage(context.usage),
    versions: {
      ...provenance.versions,
      ...packageVersions([
        "@profilekit/refine",
        "@profilekit/core",
        "@profilekit/llm",
        "@profilekit/spec",
        `@profilekit/task-${input.task.id}`,
      ]),
    },
    node: process.versions.node,
  };
}
