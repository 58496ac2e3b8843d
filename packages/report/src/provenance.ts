import { formatCount, formatUsd } from "./number-format.js";
import type { ReportModel } from "./report-model.js";
import type { ReportStudyManifest, SourceManifest } from "./input/file-schemas.js";

/** What one folder's manifest says about how it was made. */
export interface ProvenanceEntry {
  readonly folder: string;
  /** "human (analyze)", "study (run)". */
  readonly what: string;
  /** Label and value, in a fixed order; only what the manifest holds. */
  readonly facts: readonly (readonly [string, string])[];
  /** Usage in total and per model: calls, requests, cache hits, tokens, cost. */
  readonly usage: readonly UsageLine[];
}

interface UsageLine {
  readonly model: string;
  readonly calls: string;
  readonly requests: string;
  readonly cacheHits: string;
  readonly inputTokens: string;
  readonly outputTokens: string;
  readonly cost: string;
}

const sortedEntries = (record: Readonly<Record<string, string>>) =>
  Object.entries(record).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));

/** One row of a usage block. */
interface UsageRow {
  readonly calls?: number | undefined;
  readonly requests?: number | undefined;
  readonly cacheHits?: number | undefined;
  readonly inputTokens?: number | undefined;
  readonly outputTokens?: number | undefined;
  readonly costUsd?: number | null | undefined;
}

function usageLines(
  usage:
    | { readonly total?: UsageRow; readonly byModel?: readonly (UsageRow & { model: string })[] }
    | undefined,
): UsageLine[] {
  if (usage === undefined) return [];
  const line = (model: string, row: UsageRow): UsageLine => ({
    model,
    calls: formatCount(row.calls),
    requests: formatCount(row.requests),
    cacheHits: formatCount(row.cacheHits),
    inputTokens: formatCount(row.inputTokens),
    outputTokens: formatCount(row.outputTokens),
    cost: formatUsd(row.costUsd),
  });
  const lines = (usage.byModel ?? []).map((row) => line(row.model, row));
  if (usage.total !== undefined) lines.push(line("total", usage.total));
  return lines;
}

/** What a manifest says about how a folder was made, whichever kind of manifest it is. */
interface ManifestFacts {
  readonly command: string;
  readonly task: string | undefined;
  readonly input: string;
  readonly preset: string | undefined;
  readonly dataSha256: string | undefined;
  readonly configHash: string | undefined;
  readonly models: Readonly<Record<string, string>> | undefined;
  readonly promptVersions: readonly string[];
  readonly seeds: readonly string[];
  readonly scoring: Readonly<Record<string, unknown>> | undefined;
  readonly versions: Readonly<Record<string, string>>;
  readonly node: string;
  readonly pricesAsOf: string | undefined;
  readonly extraction: { readonly calls: number; readonly cacheHits: number } | undefined;
}

const factorPromptVersions = (factors: readonly { promptVersion?: string | undefined }[]) =>
  factors.flatMap((f) => (f.promptVersion === undefined ? [] : [f.promptVersion]));

function studyFacts(manifest: ReportStudyManifest): ManifestFacts {
  return {
    command: manifest.command,
    task: manifest.task,
    input: manifest.data.path,
    preset: undefined,
    dataSha256: manifest.data.sha256,
    configHash: manifest.config.hash,
    models: manifest.models,
    promptVersions: factorPromptVersions(manifest.factors),
    seeds: [`run ${manifest.seed}`],
    scoring: undefined,
    versions: manifest.versions,
    node: manifest.node,
    pricesAsOf: manifest.usage.pricesAsOf,
    extraction: undefined,
  };
}

function stageFacts(manifest: SourceManifest): ManifestFacts {
  const prompts = [manifest.judge?.prompt, manifest.generation?.prompt].flatMap((p) =>
    p === undefined ? [] : [p.version],
  );
  return {
    command: manifest.command,
    task: manifest.input.task,
    input: manifest.input.path,
    preset: manifest.input.preset,
    dataSha256: undefined,
    configHash: undefined,
    models: manifest.models,
    promptVersions: [...factorPromptVersions(manifest.factors), ...prompts],
    seeds: [`input ${manifest.input.seed}`, `scoring ${manifest.scoring.seed}`],
    scoring: manifest.scoring,
    versions: manifest.versions,
    node: manifest.node,
    pricesAsOf: manifest.usage?.pricesAsOf,
    extraction: manifest.extraction,
  };
}

function scoringText(scoring: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (scoring === undefined) return undefined;
  const parts = Object.entries(scoring)
    .filter(([, value]) => typeof value === "string" || typeof value === "number")
    .map(([key, value]) => `${key} ${value}`);
  return parts.length === 0 ? undefined : parts.join(", ");
}

function factsOf(manifest: ManifestFacts): [string, string][] {
  const facts: [string, string][] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== "") facts.push([label, value]);
  };
  add("command", manifest.command);
  add("task", manifest.task);
  add("input", manifest.input);
  add("input preset", manifest.preset);
  add("data sha256", manifest.dataSha256);
  add("config hash", manifest.configHash);
  add(
    "models",
    sortedEntries(manifest.models ?? {})
      .map(([role, id]) => `${role}: ${id}`)
      .join("; "),
  );
  add("prompt versions", manifest.promptVersions.join(", "));
  add("seeds", manifest.seeds.join(", "));
  add("scoring", scoringText(manifest.scoring));
  add(
    "package versions",
    sortedEntries(manifest.versions)
      .map(([name, v]) => `${name} ${v}`)
      .join(", "),
  );
  add("node", manifest.node);
  add("prices as of", manifest.pricesAsOf);
  const { extraction } = manifest;
  if (extraction !== undefined)
    add(
      "extraction",
      `${formatCount(extraction.calls)} calls, ${formatCount(extraction.cacheHits)} from the cache`,
    );
  return facts;
}

/** Provenance of every study and source folder, in the report's order. */
export function provenanceOf(model: ReportModel): ProvenanceEntry[] {
  const entries: ProvenanceEntry[] = model.studies.map((study) => ({
    folder: study.folder,
    what: "study (run)",
    facts: factsOf(studyFacts(study.manifest)),
    usage: usageLines(study.manifest.usage),
  }));
  for (const source of model.sources) {
    if (source.manifest === undefined) continue;
    entries.push({
      folder: source.folder,
      what: `${source.label} (${source.manifest.command})`,
      facts: factsOf(stageFacts(source.manifest)),
      usage: usageLines(source.manifest.usage),
    });
  }
  for (const { folder, alignment } of model.alignments) {
    const facts: [string, string][] = [
      ["comparisons", String(alignment.comparisons.length)],
      ["replicates", String(alignment.replicates)],
      ["seeds", `alignment ${alignment.seed}`],
    ];
    entries.push({ folder, what: "alignment (align)", facts, usage: [] });
  }
  for (const { folder, improvement, usage } of model.improvements) {
    const models = [
      improvement.model,
      ...(improvement.baseModel ? [`base ${improvement.baseModel}`] : []),
      ...(improvement.evaluator
        ? [`evaluator ${improvement.evaluator.model}${improvement.evaluator.self ? " (itself)" : ""}`]
        : []),
      ...(improvement.extractor ? [`extractor ${improvement.extractor}`] : []),
    ];
    const facts: [string, string][] = [
      ["method", improvement.method],
      ["models", models.join(", ")],
      ["inputs", `${improvement.inputs.count} (${improvement.inputs.split}) x ${improvement.levels} levels`],
      ["paired interval", `${improvement.resampling.method}, B = ${improvement.resampling.replicates}`],
      ["seeds", `${improvement.seed}`],
    ];
    entries.push({
      folder,
      what: `improvement (improve --method ${improvement.method})`,
      facts,
      usage: usageLines(usage),
    });
  }
  return entries;
}
