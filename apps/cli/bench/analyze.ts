// End-to-end benchmark of `profilekit analyze --factors length` on a generated
// 1,000,000-pair JSONL file (about 1 GB). Run: `npm run bench` at the root, or
// `node apps/cli/bench/analyze.ts [pairs]` after a build. Not a test: it prints figures.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, open, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pairs = Number(process.argv[2] ?? 1_000_000);
const groups = 10_000;
const dir = await mkdtemp(join(tmpdir(), "profilekit-bench-"));
const file = join(dir, "pairs.jsonl");

// A fixed vocabulary and a linear congruential generator keep the file identical across runs.
const vocabulary =
  "the of and a to in is was that for on as with by he it at from his an were are which this be".split(" ");
let state = 12345;
const nextWord = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return vocabulary[state % vocabulary.length];
};
const text = (words: number) => Array.from({ length: words }, nextWord).join(" ");
const prompts = Array.from({ length: groups }, (_, g) => `Question ${g}: ${text(60)}`);

const generationStart = performance.now();
const out = createWriteStream(file);
for (let i = 0; i < pairs; i++) {
  const a = text(40 + (i % 37));
  const b = text(40 + ((i * 7) % 41));
  const label = i % 5 === 0 ? "tie" : a.length > b.length === (i % 3 !== 0) ? "a" : "b";
  const line = `${JSON.stringify({ id: `p${i}`, task: "instruction-following", prompt: prompts[i % groups], a, b, label })}\n`;
  if (!out.write(line)) await once(out, "drain");
}
out.end();
await once(out, "finish");
// Flush the new file to disk first, so the timed run does not compete with the kernel writing it back.
const handle = await open(file, "r+");
await handle.sync();
await handle.close();
const bytes = (await stat(file)).size;
const generationSeconds = (performance.now() - generationStart) / 1000;

// The child runs the CLI's main() under the Node flags of the `profilekit` launcher (from its
// shebang), so the figures are those of the command as users run it.
const launcher = fileURLToPath(new URL("../bin/profilekit.js", import.meta.url));
const nodeFlags = (await readFile(launcher, "utf8"))
  .split("\n")[0]!
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));
const child = fileURLToPath(new URL("./analyze-child.ts", import.meta.url));

/** One timed run of `analyze` in a fresh process; `extra` are more CLI flags. */
function timedRun(extra: readonly string[]): { seconds: number; maxRssKiB: number; threads: number } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [...nodeFlags, child, file, join(dir, "out"), ...extra], {
    encoding: "utf8",
  });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`analyze failed (exit ${run.status}):\n${run.stderr}`);
  return { seconds, ...JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") };
}

try {
  const threaded = timedRun([]);
  const single = timedRun(["--threads", "1"]);
  const line = (label: string, { seconds, maxRssKiB }: { seconds: number; maxRssKiB: number }) =>
    `  ${label.padEnd(18)}${seconds.toFixed(2).padStart(6)} s  ${Math.round(pairs / seconds)
      .toLocaleString("en-US")
      .padStart(9)} pairs/s  peak RSS ${(maxRssKiB / 1024).toFixed(0)} MB`;
  console.log(`profilekit analyze --factors length (end to end, one process, Node ${nodeFlags.join(" ")})`);
  console.log(
    `  input             ${pairs.toLocaleString("en-US")} pairs, ${(bytes / 1e9).toFixed(2)} GB (generated in ${generationSeconds.toFixed(1)} s)`,
  );
  console.log("  wall time includes node start-up, B=1000 bootstrap and writing every output");
  console.log(line(`default (${threaded.threads} threads)`, threaded));
  console.log(line("--threads 1", single));
  console.log("  target            >= 100,000 pairs/s with peak RSS < 300 MB (the default run)");
} finally {
  await rm(dir, { recursive: true, force: true });
}
