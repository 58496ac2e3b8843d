// Throughput of the length factor: pairs measured per second, per unit.
// Usage: npm run build && node bench/throughput.mjs [pairs.jsonl]
// Default input (shared/ beside the repo): the Auto-J pairwise test set (1,392 real pairs, ~1.9 kB of response text per pair),
// repeated to 200,000 pairs and measured in batches of 500, as a runner would call it.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lengthFactor } from "../dist/index.js";

const file =
  process.argv[2] ??
  fileURLToPath(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
  );
const rows = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));
const base = rows.map((row, i) => ({
  id: String(i),
  task: "t",
  a: row.a ?? row["response 1"],
  b: row.b ?? row["response 2"],
  label: "a",
}));
const total = 200_000;
const pairs = Array.from({ length: total }, (_, i) => ({ ...base[i % base.length], id: String(i) }));
const chars = pairs.reduce((sum, p) => sum + p.a.length + p.b.length, 0);
const batch = 500;

for (const unit of ["words", "chars", "tokens"]) {
  const count = unit === "tokens" ? 5_000 : total; // the BPE tokenizer is orders of magnitude slower
  const run = () => {
    for (let start = 0; start < count; start += batch) {
      lengthFactor.extract(pairs.slice(start, Math.min(start + batch, count)), {
        options: { unit },
        seed: 0,
      });
    }
  };
  run(); // warm-up (and, for tokens, loading the ranks)
  const began = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - began) / 1e9;
  console.log(
    `${unit.padEnd(6)} ${Math.round(count / seconds)
      .toLocaleString("en-US")
      .padStart(12)} pairs/s` +
      `  (${count.toLocaleString("en-US")} pairs, ${(((chars / total) * count) / seconds / 1e6).toFixed(0)} MB/s of UTF-16 text)`,
  );
}
