// Throughput of the formality factor: pairs per second.
// Usage: npm run build && node bench/throughput.mjs [pairs.jsonl]
// Default input: the first 300 pairs of the Auto-J pairwise test set (real responses). The first
// call loads compromise and builds the lexicon (reported apart); then one pass warms the JIT and
// five timed passes give the median and range (the machine may be shared: look at the median).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formalityFactor } from "../dist/index.js";

const file =
  process.argv[2] ??
  fileURLToPath(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
  );
const pairs = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .slice(0, 300)
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
const seconds = (run) => {
  const began = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - began) / 1e9;
};

const firstCall = seconds(() => formalityFactor.extract(pairs.slice(0, 1), context));
formalityFactor.extract(pairs, context); // warm-up
const rates = Array.from(
  { length: 5 },
  () => pairs.length / seconds(() => formalityFactor.extract(pairs, context)),
);
rates.sort((x, y) => x - y);
const median = rates[2];
console.log(
  `formality ${Math.round(median)} pairs/s, median of 5 passes (range ${Math.round(rates[0])}–` +
    `${Math.round(rates[4])}; ${pairs.length} pairs, ${(kilobytes / pairs.length).toFixed(1)} k UTF-16 units ` +
    `per pair, ${((kilobytes * median) / pairs.length).toFixed(0)} k/s); first call (loads compromise): ` +
    `${(firstCall * 1000).toFixed(0)} ms`,
);
