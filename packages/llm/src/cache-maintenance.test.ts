import {
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResponseCache } from "./cache.js";
import {
  cacheStats,
  clearCache,
  promptVersionFactors,
  promptVersionNamesFactor,
  describeCacheStats,
  describeClear,
  describeRepair,
  repairCache,
} from "./cache-maintenance.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-cache-maint-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const answer = (text: string) => ({
  text,
  usage: { inputTokens: 12, outputTokens: 4 },
  finishReason: "stop",
});

const ENTRIES = [
  { key: "j1", model: "openai:gpt-4o-mini", promptVersion: "joint-extraction@1:coherence@1,fluency@1" },
  {
    key: "j2",
    model: "anthropic:claude-haiku-4-5",
    promptVersion: "joint-extraction@1:fluency@2,helpfulness@1",
  },
  { key: "s1", model: "openai:gpt-4o-mini", promptVersion: "factor-extraction@1:helpfulness@1" },
  {
    key: "s2",
    model: "openai-compatible:llama3.1:8b",
    promptVersion: "factor-extraction@1:source-coverage@1",
  },
  { key: "judge", model: "openai:gpt-4o-mini", promptVersion: "judge-pairwise@1" },
] as const;

function fill(path: string): void {
  const cache = new ResponseCache(path);
  for (const entry of ENTRIES) cache.put(entry.key, answer(entry.key), { ...entry, checked: "structured" });
  cache.close();
}

function keys(path: string): string[] {
  const cache = new ResponseCache(path);
  try {
    return [...cache.rows()].map((row) => row.key).sort();
  } finally {
    cache.close();
  }
}

describe("prompt versions", () => {
  it("lists a joint call's factors, a single call's factor, or the version itself", () => {
    expect(promptVersionFactors("joint-extraction@1:coherence@1,fluency@1")).toEqual([
      "coherence@1",
      "fluency@1",
    ]);
    expect(promptVersionFactors("factor-extraction@1:source-coverage@2")).toEqual(["source-coverage@2"]);
    expect(promptVersionFactors("fluency@1")).toEqual(["fluency@1"]);
    expect(promptVersionNamesFactor("joint-extraction@1:coherence@1,fluency@1", "fluency")).toBe(true);
    expect(promptVersionNamesFactor("joint-extraction@1:coherence@1,fluency@1", "fluency@1")).toBe(true);
    expect(promptVersionNamesFactor("joint-extraction@1:coherence@1,fluency@1", "fluency@2")).toBe(false);
    // An id is matched whole, not as a prefix.
    expect(promptVersionNamesFactor("factor-extraction@1:source-coverage@1", "source")).toBe(false);
  });
});

describe("clearCache filters", () => {
  it("by model: provider:model, or the model name alone", () => {
    const path = join(dir, "cache.db");
    fill(path);
    expect(clearCache(path, { model: "llama3.1:8b" })).toBe(1);
    expect(clearCache(path, { model: "openai:gpt-4o-mini" })).toBe(3);
    expect(keys(path)).toEqual(["j2"]);
  });

  it("by factor: every entry whose prompt version lists it, joint calls included", () => {
    const path = join(dir, "cache.db");
    fill(path);
    expect(clearCache(path, { factor: "helpfulness" })).toBe(2);
    expect(keys(path)).toEqual(["j1", "judge", "s2"]);
    expect(clearCache(path, { factor: "fluency@2" })).toBe(0);
    expect(clearCache(path, { factor: "fluency@1" })).toBe(1);
    expect(keys(path)).toEqual(["judge", "s2"]);
  });

  it("filters combine", () => {
    const path = join(dir, "cache.db");
    fill(path);
    expect(clearCache(path, { model: "openai:gpt-4o-mini", factor: "fluency" })).toBe(1);
    expect(keys(path)).toEqual(["j2", "judge", "s1", "s2"]);
  });

  it("--invalid: damaged rows and entries of profilekit 0.1 (no check recorded), nothing else", () => {
    const path = join(dir, "cache.db");
    fill(path);
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE responses SET checked = NULL WHERE key = ?").run("j1");
    raw.prepare("UPDATE responses SET response = '{broken' WHERE key = ?").run("s1");
    raw.close();
    expect(cacheStats(path).unchecked).toBe(1);
    expect(clearCache(path, { invalid: true })).toBe(2);
    expect(keys(path)).toEqual(["j2", "judge", "s2"]);
    expect(clearCache(path, { invalid: true })).toBe(0);
  });

  it("a missing cache has nothing to clear and is not created", () => {
    const path = join(dir, "none.db");
    expect(clearCache(path, { factor: "fluency" })).toBe(0);
    expect(existsSync(path)).toBe(false);
  });
});

describe("repairCache", () => {
  it("leaves a healthy cache as it is, and has nothing to do without one", () => {
    const path = join(dir, "cache.db");
    expect(repairCache(path)).toMatchObject({ status: "missing", entries: 0 });
    fill(path);
    expect(repairCache(path)).toEqual({
      path,
      status: "healthy",
      entries: ENTRIES.length,
      damagedCopy: undefined,
    });
  });

  it("keeps every entry it can read from a file with a damaged page, and sets the file aside", () => {
    const path = join(dir, "cache.db");
    const cache = new ResponseCache(path);
    // Short answers (no overflow pages): about ten to a page, so a damaged page loses a few.
    const total = 1000;
    const texts = new Map<string, string>();
    for (let i = 0; i < total; i += 1) {
      const key = `key-${String(i).padStart(4, "0")}`;
      const text = `answer ${i} ${"x".repeat(250)}`;
      texts.set(key, text);
      cache.put(key, answer(text), {
        model: "m",
        promptVersion: "p",
        checked: i % 2 === 0 ? "structured" : "text",
      });
    }
    cache.close();
    const pages = statSync(path).size / 4096;
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(pages / 2) * 4096);
    closeSync(fd);

    expect(() => cacheStats(path)).toThrow(expect.objectContaining({ code: "cache_corrupt" }));
    const report = repairCache(path);
    expect(report.status).toBe("repaired");
    expect(report.entries).toBeGreaterThan(total / 2);
    expect(report.entries).toBeLessThan(total);
    expect(existsSync(report.damagedCopy!)).toBe(true);

    const repaired = new ResponseCache(path);
    const rows = [...repaired.rows()];
    repaired.close();
    expect(rows).toHaveLength(report.entries);
    for (const row of rows) {
      expect(row.response?.text).toBe(texts.get(row.key));
      expect(row.checked).toBe(Number(row.key.slice(4)) % 2 === 0 ? "structured" : "text");
    }
    const check = new DatabaseSync(path);
    expect(check.prepare("PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
    check.close();
    expect(repairCache(path).status).toBe("healthy");
  });

  it("recreates a file that is not a database at all", () => {
    const path = join(dir, "cache.db");
    writeFileSync(path, "not a database ".repeat(500));
    const report = repairCache(path);
    expect(report).toMatchObject({ status: "recreated", entries: 0 });
    expect(readdirSync(dir).filter((name) => name.startsWith("cache.db.damaged-"))).toHaveLength(1);
    expect(cacheStats(path).entries).toBe(0);
    const cache = new ResponseCache(path);
    cache.put("k", answer("a"), { model: "m", promptVersion: "p", checked: "text" });
    cache.close();
    expect(cacheStats(path).entries).toBe(1);
  });

  it("says what each outcome means, naming the file and the damaged copy", () => {
    const report = (status: "missing" | "healthy" | "repaired" | "recreated", entries = 0) =>
      describeRepair({
        path: "c.db",
        status,
        entries,
        damagedCopy: status === "missing" || status === "healthy" ? undefined : "c.db.damaged-1",
      });
    expect(report("missing")).toBe("no cache at c.db; nothing to repair");
    expect(report("healthy", 3)).toBe("c.db is healthy (3 entries); nothing to repair");
    expect(report("repaired", 7)).toMatch(/^repaired c\.db: kept the 7 entries .*now c\.db\.damaged-1 /);
    expect(report("recreated")).toMatch(/^recreated c\.db empty: .*now c\.db\.damaged-1; the next run asks/);
  });
});

describe("describeCacheStats and describeClear", () => {
  it("print entries and megabytes per model, and what a clear removed under which filters", () => {
    const stats = {
      path: "c.db",
      entries: 3,
      unchecked: 1,
      bytes: 3 * 1024 * 1024,
      byModel: [{ model: "openai:m", entries: 3, unchecked: 1, payloadBytes: (1024 * 1024) / 2 }],
    };
    expect(describeCacheStats(stats).split("\n")).toEqual([
      "c.db: 3 entries, 3.0 MB on disk",
      "  openai:m  3 entries, 0.5 MB",
      expect.stringMatching(/^1 entries were written by profilekit 0\.1 without a check/),
    ]);
    expect(describeCacheStats({ ...stats, unchecked: 0 }).split("\n")).toHaveLength(2);
    expect(describeClear("c.db", 2, {})).toBe("removed 2 cached responses from c.db");
    expect(describeClear("c.db", 1, { model: "openai:m", factor: "fluency", invalid: true })).toBe(
      "removed 1 cached responses (model openai:m, factor fluency, not known to be good) from c.db",
    );
  });
});
