import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer } from "./testing/mock-server.js";

const CALLS = 40;
const CONCURRENCY = 4; // set in the child
const fixtures = fileURLToPath(new URL("./__fixtures__/", import.meta.url));

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the child; `killAfter` SIGKILLs it once that many calls have returned. */
function runChild(
  env: Record<string, string>,
  killAfter?: number,
): Promise<{ done: Set<number>; lines: string[]; signal: NodeJS.Signals | null }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", join(fixtures, "run-source.ts"), join(fixtures, "resume-child.ts")],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const done = new Set<number>();
  const lines: string[] = [];
  let stderr = "";
  let buffer = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      const match = /^done (\d+)$/.exec(line);
      if (match) done.add(Number(match[1]));
      if (killAfter !== undefined && done.size >= killAfter) child.kill("SIGKILL");
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0 && signal !== "SIGKILL") reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve({ done, lines, signal });
    });
  });
}

describe("resuming after SIGKILL", () => {
  it("a killed run resumes from the cache without repeating a finished call", async () => {
    dir = mkdtempSync(join(tmpdir(), "pk-resume-"));
    const requested: number[][] = [[], []];
    let run = 0;
    const server = await startMockServer({
      latencyMs: 40,
      handler: (request) => {
        const item = Number(/item (\d+)/.exec(request.messages.at(-1)!.content)![1]);
        requested[run]!.push(item);
        return { json: { item } };
      },
    });
    try {
      const env = {
        MOCK_BASE_URL: server.openaiBaseURL,
        CACHE_PATH: join(dir, "cache.db"),
        CALLS: String(CALLS),
      };

      const first = await runChild(env, CALLS / 2);
      expect(first.signal).toBe("SIGKILL");
      expect(first.lines.some((line) => line.startsWith("complete"))).toBe(false);
      expect(first.done.size).toBeGreaterThanOrEqual(CALLS / 2);
      expect(first.done.size).toBeLessThan(CALLS);

      run = 1;
      const second = await runChild(env);
      const complete = second.lines.find((line) => line.startsWith("complete"));
      const [, ok, cacheHits] = complete!.split(" ").map(Number);
      expect(ok).toBe(CALLS);

      // No call that had returned before the kill was asked again.
      const repeated = requested[1]!.filter((item) => first.done.has(item));
      expect(repeated).toEqual([]);
      // Only the calls in flight at the kill can have been lost: at most CONCURRENCY.
      expect(requested[1]!.length).toBeLessThanOrEqual(CALLS - first.done.size);
      expect(requested[0]!.length + requested[1]!.length).toBeLessThanOrEqual(CALLS + CONCURRENCY);
      expect(new Set(requested[1]).size).toBe(requested[1]!.length);
      expect(cacheHits).toBe(CALLS - requested[1]!.length);
    } finally {
      await server.close();
    }
  });
});
