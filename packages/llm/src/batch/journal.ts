import { createHash, randomUUID } from "node:crypto";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { BatchState, ModelResponse, TokenUsage } from "@profilekit/spec";
import { z } from "zod";
import { canonicalJson } from "@profilekit/spec";
import { type CacheCheck, CacheCheckSchema, type CacheEntryLabels, ResponseCache } from "../cache.js";

/**
 * The batch journal: every batch profilekit submitted or exported, and every call in it, kept in
 * the cache's own sqlite file (tables batch_jobs, batch_items, batch_schemas), so that any later
 * process (`profilekit batch collect`, a cron job, the next run) knows what is out, and a
 * collected answer and its item's new state are committed together. No API key is stored.
 *
 * A job is written before its upload ("submitting") and given the provider's id once the provider
 * has it ("submitted"); a process killed in between leaves a job without an id, whose calls are
 * not waiting for anything and are submitted again by the next run.
 */

const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS batch_jobs (
  job TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  base_url TEXT,
  structured_output TEXT NOT NULL,
  batch_id TEXT,
  state TEXT NOT NULL,
  requests INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  run_folder TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  provider_state TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS batch_items (
  job TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT NOT NULL,
  stage TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  checked TEXT NOT NULL,
  schema_hash TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cached_input_tokens INTEGER,
  cache_write_input_tokens INTEGER,
  error TEXT,
  PRIMARY KEY (job, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS batch_items_by_key ON batch_items (key);
CREATE TABLE IF NOT EXISTS batch_schemas (
  hash TEXT PRIMARY KEY,
  schema TEXT NOT NULL
) WITHOUT ROWID`;

/** A provider batch, or a batch file written for vLLM's run-batch. */
const BatchJobKindSchema = z.enum(["provider", "file"]);

/**
 * submitting: written before the upload; submitted: the provider has it (or the file was
 * written); collected: its results are in (an ended batch); interrupted: the upload never got an
 * id (a killed process), so its calls go out again.
 */
export const BatchJobStateSchema = z.enum(["submitting", "submitted", "collected", "interrupted"]);

/**
 * submitted: out, no result yet; answered: a good answer is in the cache; invalid: an answer that
 * failed the check a synchronous one gets; errored: the provider's error for it; expired and
 * cancelled: never run (sent again by the next run); lost: the ended batch did not mention it
 * (sent again too).
 */
export const BatchItemStateSchema = z.enum([
  "submitted",
  "answered",
  "invalid",
  "errored",
  "expired",
  "cancelled",
  "lost",
]);
export type BatchItemState = z.infer<typeof BatchItemStateSchema>;

const ProviderStateSchema = z.object({
  phase: z.string(),
  outcome: z.string().optional(),
  counts: z.object({ total: z.number(), finished: z.number() }),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  error: z.string().optional(),
});

/** A job as the journal holds it, with its items counted by state and the usage of its answers. */
export const BatchJobSchema = z.object({
  job: z.string(),
  kind: BatchJobKindSchema,
  provider: z.string(),
  /** `provider:modelId`. */
  model: z.string(),
  baseURL: z.string().nullable(),
  structuredOutput: z.string(),
  /** The provider's batch id, or the batch file's path. */
  batchId: z.string().nullable(),
  state: BatchJobStateSchema,
  requests: z.number().int(),
  bytes: z.number().int(),
  /** The run folder of the command that submitted it, where batches.jsonl is kept. */
  runFolder: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** What the provider said when last asked. */
  providerState: ProviderStateSchema.nullable(),
  items: z.partialRecord(BatchItemStateSchema, z.number().int()),
  usage: z.object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    cacheWriteInputTokens: z.number().int(),
  }),
});
export type BatchJob = z.infer<typeof BatchJobSchema>;

/** What the journal keeps of one call: enough to check and cache its answer in another process. */
export interface JournalItem {
  readonly key: string;
  readonly stage: string;
  readonly promptVersion: string;
  readonly checked: CacheCheck;
  /** For a structured call: the JSON Schema form of what an answer must satisfy. */
  readonly schema: Readonly<Record<string, unknown>> | undefined;
}

/** A job's item as collect reads it. */
export interface StoredItem extends JournalItem {
  readonly state: BatchItemState;
}

/** What became of one item: its new state, and the answer to cache when it was answered. */
export type ItemOutcome =
  | {
      readonly key: string;
      readonly state: "answered";
      readonly response: ModelResponse;
      readonly labels: CacheEntryLabels;
    }
  | { readonly key: string; readonly state: Exclude<BatchItemState, "answered">; readonly error?: string };

/** What the latest batch did with a call, for a run deciding what to do with it. */
export type KeyStatus =
  /** In a provider batch not yet collected. */
  | "waiting"
  /** A batch answered it (or tried and failed): a run that still misses it asks it synchronously. */
  | "tried"
  /** Never batched, or batched and not run (expired, cancelled, lost, interrupted): to be sent. */
  | "unsent";

const now = () => new Date().toISOString();

/**
 * A call exported again is in the new file only: its items in older files not yet imported are
 * closed (as lost), and a file left with nothing open is done, so an import settles each call once.
 */
function supersedeFiles(db: DatabaseSync, job: string, items: readonly JournalItem[]): void {
  const close = db.prepare(
    `UPDATE batch_items SET state = 'lost', error = 'exported again' WHERE key = ? AND job != ? AND state = 'submitted'
       AND job IN (SELECT job FROM batch_jobs WHERE kind = 'file' AND state = 'submitted')`,
  );
  for (const item of items) close.run(item.key, job);
  db.prepare(
    `UPDATE batch_jobs SET state = 'collected', updated_at = ? WHERE kind = 'file' AND state = 'submitted'
       AND NOT EXISTS (SELECT 1 FROM batch_items WHERE batch_items.job = batch_jobs.job AND state = 'submitted')`,
  ).run(now());
}

export class BatchJournal {
  readonly cache: ResponseCache;
  readonly #owned: boolean;
  #ready = false;
  /** status() runs once per call a batch round looks at: prepared once per connection. */
  #status: { readonly db: DatabaseSync; readonly statement: StatementSync } | undefined;

  /** On the cache file at `path`, or on an open cache (whose connection it then shares). */
  constructor(cache: string | ResponseCache) {
    this.#owned = typeof cache === "string";
    this.cache = typeof cache === "string" ? new ResponseCache(cache) : cache;
  }

  #db<T>(create: boolean, operation: (db: DatabaseSync) => T): T | undefined {
    return this.cache.withDatabase(create, (db) => {
      if (!this.#ready) {
        db.exec(SCHEMA_SQL);
        this.#ready = true;
      }
      return operation(db);
    });
  }

  /** What the latest batch holding `key` did with it. */
  status(key: string): KeyStatus {
    const row = this.#db(false, (db) => {
      if (this.#status?.db !== db) {
        const statement = db.prepare(
          `SELECT i.state AS item, j.state AS job, j.kind AS kind, j.batch_id AS batch
           FROM batch_items i JOIN batch_jobs j ON i.job = j.job
           WHERE i.key = ? ORDER BY j.seq DESC LIMIT 1`,
        );
        this.#status = { db, statement };
      }
      return this.#status.statement.get(key);
    });
    if (!row) return "unsent";
    const item = String(row.item);
    if (item === "answered" || item === "invalid" || item === "errored") return "tried";
    if (item !== "submitted") return "unsent";
    const waiting = row.kind === "provider" && row.batch !== null && row.job === "submitted";
    return waiting ? "waiting" : "unsent";
  }

  /** The open provider jobs (journal ids) that hold any of these calls still unanswered. */
  jobsHolding(keys: readonly string[]): string[] {
    const jobs = new Set<string>();
    this.#db(false, (db) => {
      const find = db.prepare(
        `SELECT i.job FROM batch_items i JOIN batch_jobs j ON i.job = j.job
         WHERE i.key = ? AND i.state = 'submitted' AND j.state = 'submitted' AND j.kind = 'provider'`,
      );
      for (const key of keys) for (const row of find.all(key)) jobs.add(String(row.job));
    });
    return [...jobs];
  }

  /** Records a job before its upload: its calls, and their schemas once each. Returns the job id. */
  begin(
    job: {
      readonly kind: "provider" | "file";
      readonly provider: string;
      readonly model: string;
      readonly baseURL: string | undefined;
      readonly structuredOutput: string;
      readonly bytes: number;
      readonly runFolder: string | undefined;
    },
    items: readonly JournalItem[],
  ): string {
    const id = randomUUID();
    const at = now();
    this.cache.transaction(() =>
      this.#db(true, (db) => {
        db.prepare(
          `INSERT INTO batch_jobs (job, seq, kind, provider, model, base_url, structured_output, batch_id, state,
             requests, bytes, run_folder, created_at, updated_at, provider_state)
           VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM batch_jobs), ?, ?, ?, ?, ?, NULL, 'submitting',
             ?, ?, ?, ?, ?, NULL)`,
        ).run(
          id,
          job.kind,
          job.provider,
          job.model,
          job.baseURL ?? null,
          job.structuredOutput,
          items.length,
          job.bytes,
          job.runFolder ?? null,
          at,
          at,
        );
        const schema = db.prepare("INSERT OR IGNORE INTO batch_schemas (hash, schema) VALUES (?, ?)");
        const item = db.prepare(
          `INSERT INTO batch_items (job, key, state, stage, prompt_version, checked, schema_hash)
           VALUES (?, ?, 'submitted', ?, ?, ?, ?)`,
        );
        const hashes = new Map<object, string>();
        for (const entry of items) {
          let hash: string | null = null;
          if (entry.schema) {
            hash = hashes.get(entry.schema) ?? null;
            if (hash === null) {
              const text = canonicalJson(entry.schema);
              hash = createHash("sha256").update(text).digest("hex");
              hashes.set(entry.schema, hash);
              schema.run(hash, text);
            }
          }
          item.run(id, entry.key, entry.stage, entry.promptVersion, entry.checked, hash);
        }
        if (job.kind === "file") supersedeFiles(db, id, items);
      }),
    );
    return id;
  }

  /** The provider has the job (or its file is written): its id, and what the provider said. */
  submitted(job: string, batchId: string, state: BatchState | undefined): void {
    this.#db(true, (db) =>
      db
        .prepare(
          "UPDATE batch_jobs SET batch_id = ?, state = 'submitted', updated_at = ?, provider_state = ? WHERE job = ?",
        )
        .run(batchId, now(), state ? JSON.stringify(state) : null, job),
    );
  }

  /** The upload failed: its calls are not out. */
  interrupted(job: string): void {
    this.#db(true, (db) =>
      db.prepare("UPDATE batch_jobs SET state = 'interrupted', updated_at = ? WHERE job = ?").run(now(), job),
    );
  }

  /** What the provider says of the job now. */
  observed(job: string, state: BatchState): void {
    this.#db(true, (db) =>
      db
        .prepare("UPDATE batch_jobs SET provider_state = ?, updated_at = ? WHERE job = ?")
        .run(JSON.stringify(state), now(), job),
    );
  }

  /**
   * Every job, newest first: all of them, those whose batch id (or job id) is in `ids`, or the
   * open ones (submitted and not collected, provider batches and files alike).
   */
  jobs(filter: { readonly ids?: readonly string[]; readonly open?: boolean } = {}): BatchJob[] {
    const rows =
      this.#db(false, (db) =>
        db
          .prepare(
            `SELECT j.*,
               (SELECT json_group_object(state, n) FROM
                  (SELECT state, COUNT(*) AS n FROM batch_items WHERE job = j.job GROUP BY state)) AS item_counts,
               (SELECT json_array(COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0),
                  COALESCE(SUM(cached_input_tokens), 0), COALESCE(SUM(cache_write_input_tokens), 0))
                FROM batch_items WHERE job = j.job AND state = 'answered') AS usage
             FROM batch_jobs j ORDER BY j.seq DESC`,
          )
          .all(),
      ) ?? [];
    const jobs = rows.map((row) => {
      const [inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens] = JSON.parse(
        String(row.usage),
      ) as number[];
      return BatchJobSchema.parse({
        job: row.job,
        kind: row.kind,
        provider: row.provider,
        model: row.model,
        baseURL: row.base_url ?? null,
        structuredOutput: row.structured_output,
        batchId: row.batch_id ?? null,
        state: row.state,
        requests: Number(row.requests),
        bytes: Number(row.bytes),
        runFolder: row.run_folder ?? null,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        providerState: row.provider_state ? JSON.parse(String(row.provider_state)) : null,
        items: JSON.parse(String(row.item_counts ?? "{}")),
        usage: { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens },
      });
    });
    const { ids, open } = filter;
    return jobs.filter(
      (job) =>
        (ids === undefined || ids.includes(job.batchId ?? "") || ids.includes(job.job)) &&
        (!open || job.state === "submitted"),
    );
  }

  /** A job's items, by key, with the schema each answer is checked against. */
  items(job: string): Map<string, StoredItem> {
    const rows =
      this.#db(false, (db) =>
        db
          .prepare(
            `SELECT i.key, i.state, i.stage, i.prompt_version, i.checked, s.schema
             FROM batch_items i LEFT JOIN batch_schemas s ON i.schema_hash = s.hash WHERE i.job = ?`,
          )
          .all(job),
      ) ?? [];
    const schemas = new Map<string, Record<string, unknown>>();
    return new Map(
      rows.map((row) => {
        const text = row.schema === null || row.schema === undefined ? undefined : String(row.schema);
        let schema = text === undefined ? undefined : schemas.get(text);
        if (text !== undefined && schema === undefined) {
          schema = JSON.parse(text) as Record<string, unknown>;
          schemas.set(text, schema);
        }
        return [
          String(row.key),
          {
            key: String(row.key),
            state: BatchItemStateSchema.parse(row.state),
            stage: String(row.stage),
            promptVersion: String(row.prompt_version),
            checked: CacheCheckSchema.parse(row.checked),
            schema,
          },
        ];
      }),
    );
  }

  /**
   * Records what became of items, each answer cached in the same transaction as its item's new
   * state: a process killed part way loses no answer and counts none twice.
   */
  settle(job: string, outcomes: readonly ItemOutcome[]): void {
    if (outcomes.length === 0) return;
    this.cache.transaction(() =>
      this.#db(true, (db) => {
        const update = db.prepare(
          `UPDATE batch_items SET state = ?, error = ?, input_tokens = ?, output_tokens = ?,
             cached_input_tokens = ?, cache_write_input_tokens = ? WHERE job = ? AND key = ?`,
        );
        for (const outcome of outcomes) {
          if (outcome.state === "answered") {
            this.cache.put(outcome.key, outcome.response, outcome.labels);
            const usage: TokenUsage = outcome.response.usage;
            update.run(
              "answered",
              null,
              usage.inputTokens,
              usage.outputTokens,
              usage.cachedInputTokens ?? 0,
              usage.cacheWriteInputTokens ?? 0,
              job,
              outcome.key,
            );
          } else {
            update.run(outcome.state, outcome.error ?? null, null, null, null, null, job, outcome.key);
          }
        }
      }),
    );
  }

  /** The job's results are all in. */
  collected(job: string): void {
    this.#db(true, (db) =>
      db.prepare("UPDATE batch_jobs SET state = 'collected', updated_at = ? WHERE job = ?").run(now(), job),
    );
  }

  close(): void {
    this.#status = undefined;
    if (this.#owned) this.cache.close();
  }
}
