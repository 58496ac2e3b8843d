import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cacheStats, clearCache, ResponseCache } from "./cache.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const answer = { text: '{"score":3}', usage: { inputTokens: 12, outputTokens: 4 }, finishReason: "stop" };

describe("ResponseCache", () => {
  it("misses without creating the file, then stores on put", () => {
    const path = join(dir, "nested", "cache.db");
    const cache = new ResponseCache(path);
    expect(cache.get("k")).toBeUndefined();
    expect(existsSync(path)).toBe(false);
    cache.put("k", answer, { model: "openai:gpt-4o-mini", promptVersion: "p1" });
    expect(cache.get("k")).toEqual(answer);
    cache.close();
  });

  it("persists across connections, in WAL mode", () => {
    const path = join(dir, "cache.db");
    const writer = new ResponseCache(path);
    writer.put("k", answer, { model: "m", promptVersion: "p" });
    // Not closed: a second connection (another process, say) sees the committed row.
    const reader = new ResponseCache(path);
    expect(reader.get("k")).toEqual(answer);
    const raw = new DatabaseSync(path);
    expect(raw.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    raw.close();
    reader.close();
    writer.close();
  });

  it("treats a damaged row as a miss", () => {
    const path = join(dir, "cache.db");
    const cache = new ResponseCache(path);
    cache.put("k", answer, { model: "m", promptVersion: "p" });
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE responses SET response = ? WHERE key = ?").run("{not json", "k");
    raw.close();
    expect(cache.get("k")).toBeUndefined();
    cache.close();
  });

  it("reports stats by model and clears", () => {
    const path = join(dir, "cache.db");
    expect(cacheStats(path)).toMatchObject({ entries: 0, bytes: 0, byModel: [] });
    expect(existsSync(path)).toBe(false);
    const cache = new ResponseCache(path);
    cache.put("a", answer, { model: "openai:gpt-4o-mini", promptVersion: "p" });
    cache.put("b", answer, { model: "openai:gpt-4o-mini", promptVersion: "p" });
    cache.put("c", answer, { model: "anthropic:claude-haiku-4-5", promptVersion: "p" });
    cache.put("c", answer, { model: "anthropic:claude-haiku-4-5", promptVersion: "p" }); // same key: replaced
    cache.close();
    const stats = cacheStats(path);
    expect(stats.entries).toBe(3);
    expect(stats.bytes).toBeGreaterThan(0);
    const payload = JSON.stringify(answer).length + 1; // one-letter key
    expect(stats.byModel).toEqual([
      { model: "anthropic:claude-haiku-4-5", entries: 1, payloadBytes: payload },
      { model: "openai:gpt-4o-mini", entries: 2, payloadBytes: 2 * payload },
    ]);
    expect(clearCache(path)).toBe(3);
    expect(cacheStats(path).entries).toBe(0);
  });

  it("says where it failed when the file is not a cache", () => {
    const path = join(dir, "cache.db");
    const raw = new DatabaseSync(path);
    raw.exec("CREATE TABLE responses (other TEXT)");
    raw.close();
    const cache = new ResponseCache(path);
    expect(() => cache.get("k")).toThrow(expect.objectContaining({ code: "cache_error" }));
    cache.close();
  });
});
