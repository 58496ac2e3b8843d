import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResponseCache } from "./cache.js";
import { cacheStats, clearCache } from "./cache-maintenance.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const answer = { text: '{"score":3}', usage: { inputTokens: 12, outputTokens: 4 }, finishReason: "stop" };
const labels = (model = "m", promptVersion = "p") => ({
  model,
  promptVersion,
  checked: "structured" as const,
});

/** A cache as profilekit 0.1 wrote it: no `checked` column. */
function oldCache(path: string, rows: [key: string, response: string][]): void {
  const db = new DatabaseSync(path);
  db.exec(
    "CREATE TABLE responses (key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID",
  );
  const insert = db.prepare(
    "INSERT INTO responses VALUES (?, 'openai:gpt-4o-mini', 'p', ?, '2025-01-01T00:00:00Z')",
  );
  for (const [key, response] of rows) insert.run(key, response);
  db.close();
}

describe("ResponseCache", () => {
  it("misses without creating the file, then stores on put with its check", () => {
    const path = join(dir, "nested", "cache.db");
    const cache = new ResponseCache(path);
    expect(cache.get("k")).toBeUndefined();
    cache.verify();
    expect(existsSync(path)).toBe(false);
    cache.put("k", answer, labels("openai:gpt-4o-mini", "p1"));
    expect(cache.get("k")).toEqual({ response: answer, checked: "structured" });
    cache.close();
  });

  it("keeps the cached-token counts of an answer", () => {
    const cache = new ResponseCache(join(dir, "cache.db"));
    const withCache = { ...answer, usage: { inputTokens: 12, outputTokens: 4, cachedInputTokens: 8 } };
    cache.put("k", withCache, labels());
    expect(cache.get("k")?.response).toEqual(withCache);
    cache.close();
  });

  it("persists across connections, in WAL mode", () => {
    const path = join(dir, "cache.db");
    const writer = new ResponseCache(path);
    writer.put("k", answer, labels());
    // Not closed: a second connection (another process, say) sees the committed row.
    const reader = new ResponseCache(path);
    expect(reader.get("k")?.response).toEqual(answer);
    const raw = new DatabaseSync(path);
    expect(raw.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    raw.close();
    reader.close();
    writer.close();
  });

  it("treats a damaged row as a miss", () => {
    const path = join(dir, "cache.db");
    const cache = new ResponseCache(path);
    cache.put("k", answer, labels());
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE responses SET response = ? WHERE key = ?").run("{not json", "k");
    raw.close();
    expect(cache.get("k")).toBeUndefined();
    cache.close();
  });

  it("reads a cache written by profilekit 0.1: its entries are unchecked until marked", () => {
    const path = join(dir, "old.db");
    oldCache(path, [["k", JSON.stringify(answer)]]);
    const cache = new ResponseCache(path);
    expect(cache.get("k")).toEqual({ response: answer, checked: undefined });
    expect(cache.stats()).toMatchObject({ entries: 1, unchecked: 1 });
    cache.markChecked("k", "structured");
    expect(cache.get("k")?.checked).toBe("structured");
    expect(cache.stats().unchecked).toBe(0);
    cache.delete("k");
    expect(cache.get("k")).toBeUndefined();
    cache.close();
  });

  it("reports stats by model and clears", () => {
    const path = join(dir, "cache.db");
    expect(cacheStats(path)).toMatchObject({ entries: 0, bytes: 0, byModel: [] });
    expect(existsSync(path)).toBe(false);
    const cache = new ResponseCache(path);
    cache.put("a", answer, labels("openai:gpt-4o-mini"));
    cache.put("b", answer, labels("openai:gpt-4o-mini"));
    cache.put("c", answer, labels("anthropic:claude-haiku-4-5"));
    cache.put("c", answer, labels("anthropic:claude-haiku-4-5")); // same key: replaced
    cache.close();
    const stats = cacheStats(path);
    expect(stats.entries).toBe(3);
    expect(stats.bytes).toBeGreaterThan(0);
    const payload = JSON.stringify(answer).length + 1; // one-letter key
    expect(stats.byModel).toEqual([
      { model: "anthropic:claude-haiku-4-5", entries: 1, unchecked: 0, payloadBytes: payload },
      { model: "openai:gpt-4o-mini", entries: 2, unchecked: 0, payloadBytes: 2 * payload },
    ]);
    expect(clearCache(path)).toBe(3);
    expect(cacheStats(path).entries).toBe(0);
  });

  it("names the file and the repair command when the file is not a cache", () => {
    const path = join(dir, "cache.db");
    const raw = new DatabaseSync(path);
    raw.exec("CREATE TABLE responses (other TEXT)");
    raw.close();
    const cache = new ResponseCache(path);
    expect(() => cache.get("k")).toThrow(
      expect.objectContaining({
        code: "cache_corrupt",
        message: expect.stringContaining(path),
        hint: expect.stringContaining(`profilekit cache repair --cache-path "${path}"`),
        location: { file: path },
      }),
    );
    cache.close();
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "not a database, only text ".repeat(100));
    const broken = new ResponseCache(garbage);
    expect(() => broken.verify()).toThrow(
      expect.objectContaining({
        code: "cache_corrupt",
        message: expect.stringContaining("file is not a database"),
      }),
    );
    broken.close();
  });
});
