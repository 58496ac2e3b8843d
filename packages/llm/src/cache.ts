import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { type ModelResponse, TokenUsageSchema } from "@profilekit/spec";
import { z } from "zod";
import { CacheError } from "./errors.js";

/** Where the cache lives unless configured: relative to the working directory. */
export const DEFAULT_CACHE_PATH = ".profilekit/cache.db";

export const CachedResponseSchema = z.object({
  text: z.string(),
  usage: TokenUsageSchema,
  finishReason: z.string(),
});

/**
 * How an entry was found good before it was stored: `structured`, it
 * validated against the call's `accept` schema; `text`, a non-empty text
 * answer. Entries written before this was recorded (profilekit 0.1) have none:
 * they may hold answers that were never valid, and are re-checked when read.
 */
export const CacheCheckSchema = z.enum(["structured", "text"]);
export type CacheCheck = z.infer<typeof CacheCheckSchema>;

export interface CacheEntryLabels {
  /** `provider:modelId`, for stats and `cache clear --model`. */
  readonly model: string;
  /** For `cache clear --factor`: a joint call's lists its factors' prompt versions. */
  readonly promptVersion: string;
  readonly checked: CacheCheck;
}

export interface CachedEntry {
  readonly response: ModelResponse;
  /** Undefined: written by a profilekit that did not record it. */
  readonly checked: CacheCheck | undefined;
}

/** One row as maintenance sees it; `response` is undefined when the row is damaged. */
export interface CacheRow {
  readonly key: string;
  readonly model: string;
  readonly promptVersion: string;
  readonly checked: CacheCheck | undefined;
  readonly response: ModelResponse | undefined;
  readonly createdAt: string;
}

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  checked TEXT
) WITHOUT ROWID`;

const REQUIRED_COLUMNS = ["key", "model", "prompt_version", "response", "created_at"];

/** SQLite primary result codes that mean the file itself is bad. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** The command that repairs a cache, for hints. */
export function repairCommand(path: string): string {
  return `profilekit cache repair --cache-path ${JSON.stringify(path)}`;
}

/**
 * Model answers on disk, in SQLite (node:sqlite, no native dependency) in WAL
 * mode, keyed by cache key. Only answers found good are stored (see
 * CacheCheck); each `put` is its own committed transaction, so a process
 * killed at any moment keeps every answer it had received. The file is created
 * on the first `put`; reading a cache that does not exist is a miss. A damaged
 * file is a `cache_corrupt` error naming the file and the repair command.
 */
export class ResponseCache {
  readonly path: string;
  #db: DatabaseSync | undefined;
  #select: StatementSync | undefined;
  #insert: StatementSync | undefined;
  #mark: StatementSync | undefined;
  #delete: StatementSync | undefined;

  constructor(path: string = DEFAULT_CACHE_PATH) {
    this.path = resolve(path);
  }

  /** Opens an existing file now, so a damaged one is reported before any model call. */
  verify(): void {
    this.#open(false);
  }

  get(key: string): CachedEntry | undefined {
    if (!this.#open(false)) return undefined;
    const row = this.#run(() => this.#select!.get(key));
    if (!row) return undefined;
    const response = parseResponse(row.response);
    // A damaged row is a miss; the next put overwrites it.
    return response ? { response, checked: checkOf(row.checked) } : undefined;
  }

  put(key: string, response: ModelResponse, labels: CacheEntryLabels): void {
    this.#open(true);
    const value = JSON.stringify({
      text: response.text,
      usage: response.usage,
      finishReason: response.finishReason,
    });
    this.#run(() =>
      this.#insert!.run(
        key,
        labels.model,
        labels.promptVersion,
        value,
        new Date().toISOString(),
        labels.checked,
      ),
    );
  }

  /** Writes rows as they were (their check and date kept), in one transaction: for repair. */
  restore(rows: readonly CacheRow[]): void {
    const db = this.#open(true)!;
    this.#run(() => {
      db.exec("BEGIN");
      try {
        for (const row of rows) {
          if (!row.response) continue;
          this.#insert!.run(
            row.key,
            row.model,
            row.promptVersion,
            JSON.stringify(row.response),
            row.createdAt,
            row.checked ?? null,
          );
        }
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    });
  }

  /** Records that an unchecked entry (from an older version) has now been found good. */
  markChecked(key: string, checked: CacheCheck): void {
    if (!this.#open(false)) return;
    this.#run(() => this.#mark!.run(checked, key));
  }

  /** Removes one entry (e.g. an old one that turned out invalid). */
  delete(key: string): void {
    if (!this.#open(false)) return;
    this.#run(() => this.#delete!.run(key));
  }

  /** Every row, for maintenance (filters, repair). */
  *rows(): Generator<CacheRow> {
    const db = this.#open(false);
    if (!db) return;
    const statement = this.#run(() =>
      db.prepare("SELECT key, model, prompt_version, response, created_at, checked FROM responses"),
    );
    const iterator = this.#run(() => statement.iterate());
    for (;;) {
      const next = this.#run(() => iterator.next());
      if (next.done) return;
      const row = next.value as Record<string, unknown>;
      yield {
        key: String(row.key),
        model: String(row.model),
        promptVersion: String(row.prompt_version),
        checked: checkOf(row.checked),
        response: parseResponse(row.response),
        createdAt: String(row.created_at),
      };
    }
  }

  /** Deletes the entries with these keys, in one transaction; returns how many there were. */
  deleteKeys(keys: readonly string[]): number {
    const db = this.#open(false);
    if (!db || keys.length === 0) return 0;
    let removed = 0;
    this.#run(() => {
      db.exec("BEGIN");
      try {
        for (const key of keys) removed += Number(this.#delete!.run(key).changes);
        db.exec("COMMIT");
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    });
    return removed;
  }

  stats(): CacheStats {
    const bytes = fileBytes(this.path);
    const db = this.#open(false);
    if (!db) return { path: this.path, entries: 0, unchecked: 0, bytes, byModel: [] };
    const rows = this.#run(() =>
      db
        .prepare(
          "SELECT model, COUNT(*) AS entries, SUM(checked IS NULL) AS unchecked, SUM(LENGTH(CAST(response AS BLOB)) + LENGTH(key)) AS bytes FROM responses GROUP BY model ORDER BY model",
        )
        .all(),
    );
    const byModel = rows.map((row) => ({
      model: String(row.model),
      entries: Number(row.entries),
      unchecked: Number(row.unchecked ?? 0),
      payloadBytes: Number(row.bytes ?? 0),
    }));
    const sum = (pick: (row: (typeof byModel)[number]) => number) =>
      byModel.reduce((total, row) => total + pick(row), 0);
    return {
      path: this.path,
      entries: sum((row) => row.entries),
      unchecked: sum((row) => row.unchecked),
      bytes,
      byModel,
    };
  }

  /** Deletes every entry and returns how many there were. */
  clear(): number {
    const db = this.#open(false);
    if (!db) return 0;
    const result = this.#run(() => db.prepare("DELETE FROM responses").run());
    this.compact();
    return Number(result.changes);
  }

  /** Gives the space of deleted entries back to the file system. */
  compact(): void {
    const db = this.#open(false);
    if (db) this.#run(() => db.exec("VACUUM"));
  }

  /**
   * Runs `operation` on the database, with the cache's error reporting: for the batch journal,
   * which keeps its tables in the same file. Undefined, without running it, when the file does
   * not exist and `create` is false.
   */
  withDatabase<T>(create: boolean, operation: (db: DatabaseSync) => T): T | undefined {
    const db = this.#open(create);
    return db ? this.#run(() => operation(db)) : undefined;
  }

  /**
   * Runs `operation` in one write transaction (taken at once, so two processes writing the same
   * file wait for each other instead of failing): what it writes, to the cache and to the batch
   * journal, is committed together or not at all.
   */
  transaction<T>(operation: () => T): T {
    const db = this.#open(true)!;
    this.#run(() => db.exec("BEGIN IMMEDIATE"));
    try {
      const result = operation();
      this.#run(() => db.exec("COMMIT"));
      return result;
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
  }

  close(): void {
    this.#db?.close();
    this.#db = undefined;
  }

  #open(create: boolean): DatabaseSync | undefined {
    if (this.#db) return this.#db;
    if (!create && !existsSync(this.path)) return undefined;
    let db: DatabaseSync | undefined;
    try {
      db = this.#run(() => {
        mkdirSync(dirname(this.path), { recursive: true });
        return new DatabaseSync(this.path, { timeout: 10_000 });
      });
      this.#run(() => {
        db!.exec("PRAGMA journal_mode = WAL");
        // WAL + NORMAL: a committed put survives the process being killed
        // (not a power cut, which would only lose recent answers, never corrupt).
        db!.exec("PRAGMA synchronous = NORMAL");
        db!.exec(SCHEMA_SQL);
        migrate(db!, this.path);
        this.#select = db!.prepare("SELECT response, checked FROM responses WHERE key = ?");
        this.#insert = db!.prepare(
          "INSERT OR REPLACE INTO responses (key, model, prompt_version, response, created_at, checked) VALUES (?, ?, ?, ?, ?, ?)",
        );
        this.#mark = db!.prepare("UPDATE responses SET checked = ? WHERE key = ?");
        this.#delete = db!.prepare("DELETE FROM responses WHERE key = ?");
      });
    } catch (error) {
      db?.close();
      throw error;
    }
    this.#db = db;
    return db;
  }

  #run<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof CacheError) throw error;
      throw cacheErrorOf(error, this.path);
    }
  }
}

/** Adds the columns newer versions record to a cache an older version made. */
function migrate(db: DatabaseSync, path: string): void {
  const columns = new Set(
    db
      .prepare("PRAGMA table_info(responses)")
      .all()
      .map((row) => String(row.name)),
  );
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.has(column));
  if (missing.length > 0) {
    throw corrupt(
      path,
      `its responses table has no ${missing.join(", ")} column: it is not a profilekit cache`,
    );
  }
  if (columns.has("checked")) return;
  try {
    db.exec("ALTER TABLE responses ADD COLUMN checked TEXT");
  } catch (error) {
    // Another process added it first.
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}

function cacheErrorOf(error: unknown, path: string): CacheError {
  const { errcode, message } = error as { errcode?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : String(error);
  const primary = typeof errcode === "number" ? errcode & 0xff : undefined;
  if (primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB || /no such (column|table)/i.test(text)) {
    return corrupt(path, text);
  }
  return new CacheError("cache_error", `The model cache at ${path} failed: ${text}`, {
    hint: "Check that the directory exists and is writable, and that no other program holds the file.",
    location: { file: path },
  });
}

function corrupt(path: string, detail: string): CacheError {
  return new CacheError(
    "cache_corrupt",
    `The model cache at ${path} is damaged or is not a profilekit cache (${detail}).`,
    {
      hint: `Run \`${repairCommand(path)}\`: it keeps every answer that can still be read and sets the damaged file aside. Or give another --cache-path.`,
      location: { file: path },
    },
  );
}

function parseResponse(value: unknown): ModelResponse | undefined {
  if (typeof value !== "string") return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = CachedResponseSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function checkOf(value: unknown): CacheCheck | undefined {
  const parsed = CacheCheckSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export interface CacheStats {
  readonly path: string;
  readonly entries: number;
  /** Entries written by a profilekit that did not record a check (0.1): `cache clear --invalid` removes them. */
  readonly unchecked: number;
  /** On disk: the database file plus its WAL and shared-memory files. */
  readonly bytes: number;
  /** Per `provider:model`: entries, unchecked entries and the bytes of their keys and responses. */
  readonly byModel: readonly {
    readonly model: string;
    readonly entries: number;
    readonly unchecked: number;
    readonly payloadBytes: number;
  }[];
}

function fileBytes(path: string): number {
  let total = 0;
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) total += statSync(file).size;
  }
  return total;
}
