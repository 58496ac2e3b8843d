import { existsSync, renameSync } from "node:fs";
import { resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import {
  CacheCheckSchema,
  CachedResponseSchema,
  type CacheRow,
  type CacheStats,
  DEFAULT_CACHE_PATH,
  ResponseCache,
} from "./cache.js";

/**
 * Which entries `clearCache` removes; the filters combine (an entry must match
 * each one given). No filter: every entry.
 */
export interface CacheFilter {
  /** `provider:model` as in `cache stats`, or the model name alone (any provider). */
  readonly model?: string;
  /**
   * A factor id (`fluency`) or a factor's prompt version (`fluency@1`): entries whose prompt
   * version lists it. A joint call's entry lists all its factors, so clearing one of them
   * clears the joint answer: the next run asks the whole call again.
   */
  readonly factor?: string;
  /**
   * Entries not known to be good: damaged rows, and entries written by profilekit 0.1, which
   * cached answers before validating them and recorded no check. A run re-checks each such
   * entry it reads (and drops it when invalid), so this is only needed to purge them at once;
   * old entries that were valid are removed too and cost a call again.
   */
  readonly invalid?: boolean;
}

/**
 * The factors a prompt version names: the part after the first colon, split at
 * commas (`joint-extraction@1:coherence@1,fluency@1` -> `coherence@1`,
 * `fluency@1`), or the whole version when it has no colon.
 */
export function promptVersionFactors(promptVersion: string): string[] {
  const colon = promptVersion.indexOf(":");
  const list = colon < 0 ? promptVersion : promptVersion.slice(colon + 1);
  return list
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/** Whether a prompt version lists the factor, by its prompt version (`fluency@1`) or its id (`fluency`). */
export function promptVersionNamesFactor(promptVersion: string, factor: string): boolean {
  return promptVersionFactors(promptVersion).some(
    (version) => version === factor || idOf(version) === factor,
  );
}

function idOf(version: string): string {
  const at = version.lastIndexOf("@");
  return at < 0 ? version : version.slice(0, at);
}

function modelMatches(label: string, model: string): boolean {
  return label === model || label.slice(label.indexOf(":") + 1) === model;
}

/** For `profilekit cache stats`. Does not create the cache. */
export function cacheStats(path: string = DEFAULT_CACHE_PATH): CacheStats {
  const cache = new ResponseCache(path);
  try {
    return cache.stats();
  } finally {
    cache.close();
  }
}

/** For `profilekit cache clear`: removes the entries the filter selects, returns how many. */
export function clearCache(path: string = DEFAULT_CACHE_PATH, filter: CacheFilter = {}): number {
  const cache = new ResponseCache(path);
  try {
    if (filter.model === undefined && filter.factor === undefined && !filter.invalid) return cache.clear();
    const keys: string[] = [];
    for (const row of cache.rows()) {
      if (filter.model !== undefined && !modelMatches(row.model, filter.model)) continue;
      if (filter.factor !== undefined && !promptVersionNamesFactor(row.promptVersion, filter.factor))
        continue;
      if (filter.invalid && row.response !== undefined && row.checked !== undefined) continue;
      keys.push(row.key);
    }
    const removed = cache.deleteKeys(keys);
    if (removed > 0) cache.compact();
    return removed;
  } finally {
    cache.close();
  }
}

export interface RepairReport {
  readonly path: string;
  /**
   * `missing`: no file, nothing to do; `healthy`: the file passed SQLite's integrity check and
   * holds a profilekit cache, left as it was; `repaired`: a new file holds every entry that
   * could be read; `recreated`: nothing could be read, the new file is empty.
   */
  readonly status: "missing" | "healthy" | "repaired" | "recreated";
  /** Entries in the cache now. */
  readonly entries: number;
  /** Where the damaged file (and its WAL) was moved, when it was replaced. */
  readonly damagedCopy: string | undefined;
}

/**
 * For `profilekit cache repair`: a cache that fails SQLite's integrity check,
 * or is not a profilekit cache, is replaced by a new file holding every entry
 * that can still be read (read from both ends, so rows on either side of a
 * damaged page survive). The damaged file is kept beside it, renamed
 * `<file>.damaged-<time>`, to delete once the run is good.
 */
export function repairCache(path: string = DEFAULT_CACHE_PATH): RepairReport {
  const file = resolve(path);
  if (!existsSync(file)) return { path: file, status: "missing", entries: 0, damagedCopy: undefined };
  if (isHealthy(file)) {
    const stats = cacheStats(file);
    return { path: file, status: "healthy", entries: stats.entries, damagedCopy: undefined };
  }
  const salvaged = salvage(file);
  const damagedCopy = `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  for (const suffix of ["", "-wal", "-shm"]) {
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${damagedCopy}${suffix}`);
  }
  const cache = new ResponseCache(file);
  try {
    cache.restore([...salvaged.values()]);
    const entries = cache.stats().entries;
    return { path: file, status: entries > 0 ? "repaired" : "recreated", entries, damagedCopy };
  } finally {
    cache.close();
  }
}

function isHealthy(file: string): boolean {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const check = db.prepare("PRAGMA integrity_check").all();
    if (check.length !== 1 || check[0]?.integrity_check !== "ok") return false;
    const cache = new ResponseCache(file);
    try {
      cache.verify();
    } finally {
      cache.close();
    }
    return true;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** Every row that can be read, by key: scanning up until a damaged page, then down until one. */
function salvage(file: string): Map<string, CacheRow> {
  const rows = new Map<string, CacheRow>();
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch {
    return rows;
  }
  try {
    const columns = new Set<string>();
    try {
      for (const row of db.prepare("PRAGMA table_info(responses)").all()) columns.add(String(row.name));
    } catch {
      return rows;
    }
    if (!["key", "model", "prompt_version", "response"].every((column) => columns.has(column))) return rows;
    const checked = columns.has("checked") ? "checked" : "NULL AS checked";
    const created = columns.has("created_at") ? "created_at" : "NULL AS created_at";
    for (const order of ["ASC", "DESC"]) {
      try {
        const statement = db.prepare(
          `SELECT key, model, prompt_version, response, ${created}, ${checked} FROM responses ORDER BY key ${order}`,
        );
        for (const row of statement.iterate()) {
          const entry = salvagedRow(row as Record<string, unknown>);
          if (entry && !rows.has(entry.key)) rows.set(entry.key, entry);
        }
      } catch {
        // A damaged page: keep what was read, try the other direction.
      }
    }
  } finally {
    db.close();
  }
  return rows;
}

function salvagedRow(row: Record<string, unknown>): CacheRow | undefined {
  if (
    typeof row.key !== "string" ||
    typeof row.model !== "string" ||
    typeof row.prompt_version !== "string"
  ) {
    return undefined;
  }
  if (typeof row.response !== "string") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(row.response);
  } catch {
    return undefined;
  }
  const response = CachedResponseSchema.safeParse(json);
  if (!response.success) return undefined;
  const checked = CacheCheckSchema.safeParse(row.checked);
  return {
    key: row.key,
    model: row.model,
    promptVersion: row.prompt_version,
    checked: checked.success ? checked.data : undefined,
    response: response.data,
    createdAt: typeof row.created_at === "string" ? row.created_at : new Date().toISOString(),
  };
}

/** What a repair did, in one sentence (what `profilekit cache repair` prints). */
export function describeRepair(report: RepairReport): string {
  switch (report.status) {
    case "missing":
      return `no cache at ${report.path}; nothing to repair`;
    case "healthy":
      return `${report.path} is healthy (${report.entries} entries); nothing to repair`;
    case "repaired":
      return `repaired ${report.path}: kept the ${report.entries} entries that could be read; the damaged file is now ${report.damagedCopy} (delete it once runs work)`;
    case "recreated":
      return `recreated ${report.path} empty: nothing could be read from the damaged file, now ${report.damagedCopy}; the next run asks the models again`;
  }
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** What `profilekit cache stats` prints: entries and size, per model, and the unchecked entries. */
export function describeCacheStats(stats: CacheStats): string {
  const lines = [`${stats.path}: ${stats.entries} entries, ${megabytes(stats.bytes)} on disk`];
  for (const row of stats.byModel)
    lines.push(`  ${row.model}  ${row.entries} entries, ${megabytes(row.payloadBytes)}`);
  if (stats.unchecked > 0) {
    lines.push(
      `${stats.unchecked} entries were written by profilekit 0.1 without a check; runs re-check them as they read them, \`profilekit cache clear --invalid\` removes them now`,
    );
  }
  return lines.join("\n");
}

/** What `profilekit cache clear` prints: how many responses went, and which the filter selected. */
export function describeClear(path: string, removed: number, filter: CacheFilter): string {
  const selected = [
    filter.model === undefined ? undefined : `model ${filter.model}`,
    filter.factor === undefined ? undefined : `factor ${filter.factor}`,
    filter.invalid ? "not known to be good" : undefined,
  ].filter((part) => part !== undefined);
  return `removed ${removed} cached responses${selected.length > 0 ? ` (${selected.join(", ")})` : ""} from ${path}`;
}
