// Throughput of readPairs on a generated canonical JSONL file (default 1,000,000 pairs,
// about 1 GB). Run after a build: `npm run bench -w @profilekit/data [pairs]`.
// Not a test: it prints pairs/s, MB/s and peak resident memory, then deletes the file.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readPairs } from "../dist/index.js";

const pairs = Number(process.argv[2] ?? 1_000_000);
const dir = await mkdtemp(join(tmpdir(), "profilekit-data-bench-"));
const file = join(dir, "pairs.jsonl");
try {
  // A fixed vocabulary and a linear congruential generator make the same file on every run.
  const vocabulary = "the of and a to in is was that for on as with by he it at from his an were are which this be".split(" ");
  let state = 12345;
  const word = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return vocabulary[state % vocabulary.length];
  };
  const text = (words) => Array.from({ length: words }, word).join(" ");
  const prompts = Array.from({ length: 10_000 }, (_, g) => `Question ${g}: ${text(60)}`);
  const out = createWriteStream(file);
  for (let i = 0; i < pairs; i++) {
    const record = { id: `p${i}`, task: "instruction-following", prompt: prompts[i % prompts.length], a: text(40 + (i % 37)), b: text(40 + ((i * 7) % 41)), label: ["a", "b", "tie"][i % 3] };
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  const bytes = (await stat(file)).size;

  const start = performance.now();
  let count = 0;
  let characters = 0;
  for await (const pair of readPairs(file)) {
    count++;
    characters += pair.a.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const result = {
    pairs: count,
    megabytes: +(bytes / 1e6).toFixed(1),
    seconds: +seconds.toFixed(2),
    pairsPerSecond: Math.round(count / seconds),
    megabytesPerSecond: +(bytes / 1e6 / seconds).toFixed(1),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    checksum: characters,
  };
  console.log(JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}
