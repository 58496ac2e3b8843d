// Throughput and memory of readPairs on a generated canonical JSONL file
// (default 1,000,000 pairs, about 1 GB). Run after a build:
// `node packages/data/bench/read-jsonl.ts [pairs]` (or `npm run bench -w @profilekit/data`).
// Not a test: it prints figures, then deletes the file. The file is read in a
// child process, so the peak memory reported is the reader's alone.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs } from "../dist/index.js";

if (process.argv[2] === "--read") {
  const start = performance.now();
  let count = 0;
  let characters = 0;
  for await (const pair of readPairs(process.argv[3]!)) {
    count++;
    characters += pair.a.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage();
  process.stdout.write(
    `${JSON.stringify({ count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssKiB: process.resourceUsage().maxRSS, characters })}\n`,
  );
} else {
  const pairs = Number(process.argv[2] ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), "profilekit-data-bench-"));
  const file = join(dir, "pairs.jsonl");
  try {
    // A fixed vocabulary and a linear congruential generator make the same file on every run.
    const vocabulary =
      "the of and a to in is was that for on as with by he it at from his an were are which this be".split(
        " ",
      );
    let state = 12345;
    const word = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return vocabulary[state % vocabulary.length];
    };
    const text = (words: number) => Array.from({ length: words }, word).join(" ");
    const prompts = Array.from({ length: 10_000 }, (_, g) => `Question ${g}: ${text(60)}`);
    const out = createWriteStream(file);
    for (let i = 0; i < pairs; i++) {
      const record = {
        id: `p${i}`,
        task: "instruction-following",
        prompt: prompts[i % prompts.length],
        a: text(60 + (i % 37)),
        b: text(60 + ((i * 7) % 41)),
        label: ["a", "b", "tie"][i % 3],
      };
      if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    const bytes = (await stat(file)).size;
    const self = fileURLToPath(import.meta.url);
    // PROFILEKIT_BENCH_NODE_OPTIONS, e.g. --max-old-space-size=48, shows the heap does not need to grow with the file.
    const nodeOptions = process.env.PROFILEKIT_BENCH_NODE_OPTIONS?.split(" ").filter(Boolean) ?? [];
    const child = spawnSync(process.execPath, [...nodeOptions, self, "--read", file], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(child.stderr);
    const run = JSON.parse(child.stdout);
    console.log(
      JSON.stringify({
        pairs: run.count,
        megabytes: +(bytes / 1e6).toFixed(1),
        seconds: +run.seconds.toFixed(2),
        pairsPerSecond: Math.round(run.count / run.seconds),
        megabytesPerSecond: +(bytes / 1e6 / run.seconds).toFixed(1),
        cpuSeconds: +run.cpuSeconds.toFixed(2),
        maxRssMiB: Math.round(run.maxRssKiB / 1024),
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
