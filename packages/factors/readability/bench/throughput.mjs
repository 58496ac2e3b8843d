// Throughput of the readability factor: pairs per second.
// Usage: npm run build && node bench/throughput.mjs [pairs.jsonl]
// Default input: the Auto-J pairwise test set (1,392 pairs of real responses). After a warm-up on
// 50 pairs, the first pass over all pairs meets most words for the first time, so it includes
// filling the syllable memo (one `syllable` call per distinct word); five more passes find every
// word memoised, as a long run mostly does, and give the median and range.
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
const context = { options: {}, seed: 0 };
const rate = () => {
  const began = process.hrtime.bigint();
  readabilityFactor.extract(pairs, context);
  return pairs.length / (Number(process.hrtime.bigint() - began) / 1e9);
};

readabilityFactor.extract(pairs.slice(0, 50), context); // warm-up
const first = rate();
const rates = Array.from({ length: 5 }, rate).sort((x, y) => x - y);
console.log(
  `readability ${Math.round(first)} pairs/s on the first pass (memo filling), ${Math.round(rates[2])} ` +
    `pairs/s memoised (median of 5 passes, range ${Math.round(rates[0])}–${Math.round(rates[4])}; ` +
    `${pairs.length} pairs, ${(kilobytes / pairs.length).toFixed(1)} k UTF-16 units per pair)`,
);
