import { formatCount, formatUsd } from "./number-format.js";
import type { ReportModel } from "./report-model.js";
import type { Manifest, Usage } from "./run-folder-input.js";

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

export interface UsageLine {
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

function usageLines(usage: Usage | undefined): UsageLine[] {
  if (usage === undefined) return [];
  const line = (model: string, row: NonNullable<Usage["total"]>): UsageLine => ({
    model,
    calls: formatCount(row.calls),
    requests: formatCount(row.requests),
    cacheHits: formatCount(row.cacheHits),
    inputTokens: formatCount(row.inputTokens),
    outputTokens: formatCount(row.outputTokens),
    cost: formatUsd(row.costUsd),
  });
  const lines = (usage.byModel ?? []).map((row) => line(row.model, row));
  if (usage.total !== undefined)
    lines.push(line("total", { ...usage.total, costUsd: usage.total.costUsd ?? usage.costUsd }));
  return lines;
}

function promptVersions(manifest: Manifest): string[] {
  const versions = (manifest.factors ?? []).flatMap((f) =>
    f.promptVersion === undefined ? [] : [f.promptVersion],
  );
  for (const prompt of [manifest.judge?.prompt, manifest.generation?.prompt]) {
    if (prompt?.version !== undefined) versions.push(prompt.version);
  }
  return versions;
}

function scoringText(scoring: Record<string, unknown> | undefined): string | undefined {
  if (scoring === undefined) return undefined;
  const parts = Object.entries(scoring)
    .filter(([, value]) => typeof value === "string" || typeof value === "number")
    .map(([key, value]) => `${key} ${value}`);
  return parts.length === 0 ? undefined : parts.join(", ");
}

function factsOf(manifest: Manifest): [string, string][] {
  const facts: [string, string][] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== "") facts.push([label, value]);
  };
  add("command", manifest.command);
  add("task", manifest.task ?? manifest.input?.task);
  add("input", manifest.input?.path ?? manifest.data?.path);
  add("input preset", manifest.input?.preset);
  add("data sha256", manifest.data?.sha256);
  add("config hash", manifest.config?.hash);
  add(
    "models",
    sortedEntries(manifest.models ?? {})
      .map(([role, id]) => `${role}: ${id}`)
      .join("; "),
  );
  add("prompt versions", promptVersions(manifest).join(", "));
  const seeds = [
    manifest.seed === undefined ? undefined : `run ${manifest.seed}`,
    manifest.input?.seed === undefined ? undefined : `input ${manifest.input.seed}`,
    typeof manifest.scoring?.seed === "number" ? `scoring ${manifest.scoring.seed}` : undefined,
  ].filter((s) => s !== undefined);
  add("seeds", seeds.join(", "));
  add("scoring", scoringText(manifest.scoring));
  add(
    "package versions",
    sortedEntries(manifest.versions ?? {})
      .map(([name, v]) => `${name} ${v}`)
      .join(", "),
  );
  add("node", manifest.node);
  if (manifest.usage?.pricesAsOf !== undefined) add("prices as of", manifest.usage.pricesAsOf);
  const extraction = manifest.extraction;
  if (extraction?.calls !== undefined)
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
    facts: factsOf(study.manifest),
    usage: usageLines(study.manifest.usage),
  }));
  for (const source of model.sources) {
    if (source.manifest === undefined) continue;
    entries.push({
      folder: source.folder,
      what: `${source.label}${source.manifest.command === undefined ? "" : ` (${source.manifest.command})`}`,
      facts: factsOf(source.manifest),
      usage: usageLines(source.manifest.usage),
    });
  }
  for (const { folder, alignment } of model.alignments) {
    const facts: [string, string][] = [["comparisons", String(alignment.comparisons.length)]];
    if (alignment.replicates !== undefined) facts.push(["replicates", String(alignment.replicates)]);
    if (alignment.seed !== undefined) facts.push(["seeds", `alignment ${alignment.seed}`]);
    entries.push({ folder, what: "alignment (align)", facts, usage: [] });
  }
  for (const { folder, improvement } of model.improvements) {
    const facts: [string, string][] = [];
    if (improvement.strategy !== undefined) facts.push(["strategy", improvement.strategy]);
    if (improvement.model !== undefined) facts.push(["models", improvement.model]);
    if (improvement.delta.method !== undefined) facts.push(["paired interval", improvement.delta.method]);
    if (improvement.delta.seed !== undefined) facts.push(["seeds", `delta ${improvement.delta.seed}`]);
    const usage =
      improvement.usage === undefined ? [] : usageLines({ total: improvement.usage, costUsd: null });
    entries.push({ folder, what: "improvement", facts, usage });
  }
  return entries;
}
