// Throughput of the readability factor (syllable counting dominates): pairs per second.
// Usage: npm run build && node bench/throughput.mjs [pairs.jsonl]
// Default input: the Auto-J pairwise test set (1,392 pairs of real responses).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { readabilityFactor } from "../dist/index.js";

const file =
  process.argv[2] ??
  fileURLToPath(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
  );
const pairs = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line, i) => {
    const row = JSON.parse(line);
    return {
      id: String(i),
      task: "t",
      a: row.a ?? row["response 1"],
      b: row.b ?? row["response 2"],
      label: "a",
    };
  });
const kilobytes = pairs.reduce((sum, p) => sum + p.a.length + p.b.length, 0) / 1000;

readabilityFactor.extract(pairs.slice(0, 50), { options: {}, seed: 0 }); // warm-up
const began = process.hrtime.bigint();
readabilityFactor.extract(pairs, { options: {}, seed: 0 });
const seconds = Number(process.hrtime.bigint() - began) / 1e9;
console.log(
  `readability ${Math.round(pairs.length / seconds)} pairs/s (${pairs.length} pairs, ` +
    `${(kilobytes / pairs.length).toFixed(1)} k UTF-16 units per pair, ${(kilobytes / seconds).toFixed(0)} k/s)`,
);
