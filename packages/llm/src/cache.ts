import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type ModelResponse, TokenUsageSchema } from "@profilekit/spec";
import { z } from "zod";
import { CacheError } from "./errors.js";

/** Where the cache lives unless configured: relative to the working directory. */
export const DEFAULT_CACHE_PATH = ".profilekit/cache.db";

const CachedResponseSchema = z.object({
  text: z.string(),
  usage: TokenUsageSchema,
  finishReason: z.string(),
});

export interface CacheEntryLabels {
  /** `provider:modelId`, for stats. */
  readonly model: string;
  readonly promptVersion: string;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID`;

/**
 * Successful model responses on disk, in SQLite (node:sqlite, no native
 * dependency) in WAL mode. Each `put` is its own committed transaction, so a
 * process killed at any moment keeps every answer it had received. The file
 * is created on the first `put`; reading a cache that does not exist is a miss.
 * Only successes are stored: errors never are.
 */
export class ResponseCache {
  readonly path: string;
  #db: DatabaseSync | undefined;
  #select: StatementSync | undefined;
  #insert: StatementSync | undefined;

  constructor(path: string = DEFAULT_CACHE_PATH) {
    this.path = resolve(path);
  }

  get(key: string): ModelResponse | undefined {
    if (!this.#open(false)) return undefined;
    const row = this.#run(() => this.#select!.get(key));
    if (!row) return undefined;
    const parsed = CachedResponseSchema.safeParse(safeJson(String(row.response)));
    // A damaged row is a miss; the next put overwrites it.
    return parsed.success ? parsed.data : undefined;
  }

  put(key: string, response: ModelResponse, labels: CacheEntryLabels): void {
    this.#open(true);
    const value = JSON.stringify({
      text: response.text,
      usage: response.usage,
      finishReason: response.finishReason,
    });
    this.#run(() =>
      this.#insert!.run(key, labels.model, labels.promptVersion, value, new Date().toISOString()),
    );
  }

  stats(): CacheStats {
    const bytes = fileBytes(this.path);
    const db = this.#open(false);
    if (!db) return { path: this.path, entries: 0, bytes, byModel: [] };
    const rows = this.#run(() =>
      db
        .prepare(
          "SELECT model, COUNT(*) AS entries, SUM(LENGTH(CAST(response AS BLOB)) + LENGTH(key)) AS bytes FROM responses GROUP BY model ORDER BY model",
        )
        .all(),
    );
    const byModel = rows.map((row) => ({
      model: String(row.model),
      entries: Number(row.entries),
      payloadBytes: Number(row.bytes ?? 0),
    }));
    return { path: this.path, entries: byModel.reduce((sum, row) => sum + row.entries, 0), bytes, byModel };
  }

  /** Deletes every entry and returns how many there were. */
  clear(): number {
    const db = this.#open(false);
    if (!db) return 0;
    const result = this.#run(() => db.prepare("DELETE FROM responses").run());
    this.#run(() => db.exec("VACUUM"));
    return Number(result.changes);
  }

  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }

  #open(create: boolean): DatabaseSync | undefined {
    if (this.#db) return this.#db;
    if (!create && !existsSync(this.path)) return undefined;
    this.#db = this.#run(() => {
      mkdirSync(dirname(this.path), { recursive: true });
      const db = new DatabaseSync(this.path, { timeout: 10_000 });
      db.exec("PRAGMA journal_mode = WAL");
      // WAL + NORMAL: a committed put survives the process being killed
      // (not a power cut, which would only lose recent answers, never corrupt).
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec(SCHEMA_SQL);
      this.#select = db.prepare("SELECT response FROM responses WHERE key = ?");
      this.#insert = db.prepare(
        "INSERT OR REPLACE INTO responses (key, model, prompt_version, response, created_at) VALUES (?, ?, ?, ?, ?)",
      );
      return db;
    });
    return this.#db;
  }

  #run<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw new CacheError(
        "cache_error",
        `The model cache at ${this.path} failed: ${(error as Error).message}`,
        {
          hint: "Check that the directory is writable and that the file is a profilekit cache; delete it to start over.",
          location: { file: this.path },
        },
      );
    }
  }
}

export interface CacheStats {
  readonly path: string;
  readonly entries: number;
  /** On disk: the database file plus its WAL and shared-memory files. */
  readonly bytes: number;
  /** Per `provider:model`: entries and the bytes of their keys and responses. */
  readonly byModel: readonly {
    readonly model: string;
    readonly entries: number;
    readonly payloadBytes: number;
  }[];
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

/** For `profilekit cache clear`: empties the cache, returns the number of entries removed. */
export function clearCache(path: string = DEFAULT_CACHE_PATH): number {
  const cache = new ResponseCache(path);
  try {
    return cache.clear();
  } finally {
    cache.close();
  }
}

function fileBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
