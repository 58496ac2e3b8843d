import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { cacheStats } from "@profilekit/llm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-cache-cmd-"));
  path = join(dir, "cache.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ENTRIES: [key: string, model: string, promptVersion: string, checked: string | null][] = [
  ["j1", "openai:gpt-4o-mini", "joint-extraction@1:coherence@1,fluency@1", "structured"],
  ["j2", "openai:gpt-4o-mini", "joint-extraction@1:helpfulness@1,source-coverage@1", "structured"],
  ["s1", "anthropic:claude-haiku-4-5", "factor-extraction@1:fluency@1", "structured"],
  ["old", "anthropic:claude-haiku-4-5", "factor-extraction@1:helpfulness@1", null],
  ["gen", "openai:gpt-4o-mini", "generate@1", "text"],
];

/** A cache with the entries above, written as the cache itself writes them. */
function fill(): void {
  const db = new DatabaseSync(path);
  db.exec(
    "CREATE TABLE responses (key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_version TEXT NOT NULL, response TEXT NOT NULL, created_at TEXT NOT NULL, checked TEXT) WITHOUT ROWID",
  );
  const insert = db.prepare("INSERT INTO responses VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z', ?)");
  const response = JSON.stringify({
    text: "{}",
    usage: { inputTokens: 1, outputTokens: 1 },
    finishReason: "stop",
  });
  for (const [key, model, promptVersion, checked] of ENTRIES)
    insert.run(key, model, promptVersion, response, checked);
  db.close();
}

function keys(): string[] {
  const db = new DatabaseSync(path);
  const rows = db.prepare("SELECT key FROM responses ORDER BY key").all();
  db.close();
  return rows.map((row) => String(row.key));
}

describe("profilekit cache", () => {
  it("stats counts entries per model and says how many are unchecked", async () => {
    fill();
    const run = await runCli(["cache", "stats", "--cache-path", path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${path}: 5 entries`);
    expect(run.stdout).toMatch(/openai:gpt-4o-mini {2}3 entries/);
    expect(run.stdout).toContain("1 entries were written by profilekit 0.1 without a check");
    const json = await runCli(["cache", "stats", "--cache-path", path, "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ entries: 5, unchecked: 1 });
  });

  it("clear --factor removes every call that asked the factor, joint ones whole", async () => {
    fill();
    const run = await runCli(["cache", "clear", "--cache-path", path, "--factor", "fluency"]);
    expect(run).toMatchObject({
      code: 0,
      stdout: `removed 2 cached responses (factor fluency) from ${path}\n`,
    });
    expect(keys()).toEqual(["gen", "j2", "old"]);
  });

  it("clear --model and --invalid select, and combine", async () => {
    fill();
    expect(
      (await runCli(["cache", "clear", "--cache-path", path, "--model", "claude-haiku-4-5", "--invalid"]))
        .stdout,
    ).toBe(`removed 1 cached responses (model claude-haiku-4-5, not known to be good) from ${path}\n`);
    expect(keys()).toEqual(["gen", "j1", "j2", "s1"]);
    expect(
      (await runCli(["cache", "clear", "--cache-path", path, "--model", "openai:gpt-4o-mini"])).stdout,
    ).toContain("removed 3 cached responses");
    expect(keys()).toEqual(["s1"]);
    expect((await runCli(["cache", "clear", "--cache-path", path])).stdout).toContain(
      "removed 1 cached responses from",
    );
    expect(keys()).toEqual([]);
    expect((await runCli(["cache", "clear", "--cache-path", join(dir, "none.db")])).stdout).toContain(
      "nothing to clear",
    );
  });

  it("a damaged file is an error naming it and the repair command, never a stack trace; repair mends it", async () => {
    writeFileSync(path, "this is not a database ".repeat(200));
    for (const argv of [
      ["cache", "stats", "--cache-path", path],
      ["cache", "clear", "--cache-path", path, "--invalid"],
    ]) {
      const run = await runCli(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error[cache_corrupt]: The model cache at ${path} is damaged`);
      expect(run.stderr).toContain(`hint: Run \`profilekit cache repair --cache-path "${path}"\``);
      expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
    }
    const repair = await runCli(["cache", "repair", "--cache-path", path]);
    expect(repair.code).toBe(0);
    expect(repair.stdout).toMatch(
      /^recreated .* empty: nothing could be read from the damaged file, now .*cache\.db\.damaged-/,
    );
    expect(readdirSync(dir).some((name) => name.startsWith("cache.db.damaged-"))).toBe(true);
    expect(cacheStats(path).entries).toBe(0);
    expect((await runCli(["cache", "repair", "--cache-path", path])).stdout).toContain(
      "is healthy (0 entries)",
    );
    expect((await runCli(["cache", "repair", "--cache-path", join(dir, "none.db")])).stdout).toContain(
      "nothing to repair",
    );
    expect(existsSync(join(dir, "none.db"))).toBe(false);
  });

  it("repair keeps what a file with a damaged table still holds", async () => {
    fill();
    // A profilekit cache whose table lost a column is not usable as it is.
    const db = new DatabaseSync(path);
    db.exec("ALTER TABLE responses DROP COLUMN created_at");
    db.close();
    expect((await runCli(["cache", "stats", "--cache-path", path])).stderr).toContain("error[cache_corrupt]");
    const repair = await runCli(["cache", "repair", "--cache-path", path]);
    expect(repair.stdout).toMatch(/^repaired .*: kept the 5 entries that could be read/);
    expect(cacheStats(path)).toMatchObject({ entries: 5, unchecked: 1 });
  });
});
