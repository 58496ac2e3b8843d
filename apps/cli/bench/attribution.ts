// Benchmark of computeAttribution (joint regression + length-controlled scores) on a generated
// run folder at the default limit: 200,000 pairs x 10 factors (4 with values, 6 signs only) in
// 2,000 groups, B = 1000. Run after a build: `node apps/cli/bench/attribution.ts [pairs] [B]`.
// The computation runs in a child process so that its peak RSS is its own. Not a test: it prints figures.
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

if (process.argv[2] === "--child") {
  const { computeAttribution } = await import("../dist/attribution.js");
  const dir = process.argv[3]!;
  const bootstrap = Number(process.argv[4]);
  const start = performance.now();
  const attribution = await computeAttribution(dir, {
    seed: 1,
    bootstrap,
    maxPairs: Number.MAX_SAFE_INTEGER,
  });
  const seconds = (performance.now() - start) / 1000;
  const coefficients = attribution.jointRegression?.factors.map((f) => f.coefficient?.toFixed(3));
  console.log(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS, coefficients }));
  process.exit(0);
}

const pairs = Number(process.argv[2] ?? 200_000);
const bootstrap = Number(process.argv[3] ?? 1000);
const groups = 2_000;
const valueFactors = ["length", "number-of-facts", "novelty", "readability"];
const signFactors = ["fluency", "coherence", "hallucination", "intent-alignment", "helpfulness", "off-focus"];

// A linear congruential generator keeps the folder identical across runs.
let state = 12345;
const uniform = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return (state + 0.5) / 2 ** 32;
};
const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);

const dir = await mkdtemp(join(tmpdir(), "profilekit-bench-attribution-"));
const labels = createWriteStream(join(dir, "labels.jsonl"));
const manifestations = createWriteStream(join(dir, "manifestations.jsonl"));
const write = async (stream: typeof labels, line: string) => {
  if (!stream.write(line)) await once(stream, "drain");
};
const generationStart = performance.now();
for (let i = 0; i < pairs; i++) {
  const pairId = `p${i}`;
  let score = 0;
  for (const [f, factor] of valueFactors.entries()) {
    const valueA = Math.round(100 + 80 * (uniform() - 0.5));
    const valueB = Math.round(100 + 80 * (uniform() - 0.5));
    score += ((valueA - valueB) / 30) * (f === 0 ? 1 : 0.2);
    await write(
      manifestations,
      `${JSON.stringify({ pairId, factor, valueA, valueB, sign: sign(valueA - valueB) })}\n`,
    );
  }
  for (const [f, factor] of signFactors.entries()) {
    const m = uniform() < 0.1 ? 0 : uniform() < 0.5 ? 1 : -1;
    score += 0.1 * f * m;
    const line =
      uniform() < 0.01 ? { pairId, factor, sign: null, error: "no answer" } : { pairId, factor, sign: m };
    await write(manifestations, `${JSON.stringify(line)}\n`);
  }
  const label = uniform() < 0.15 ? "tie" : uniform() < 1 / (1 + Math.exp(-score)) ? "a" : "b";
  const group = `input:${Math.floor((i * groups) / pairs)}`;
  await write(labels, `${JSON.stringify({ pairId, label, group, source: "human" })}\n`);
}
labels.end();
manifestations.end();
await Promise.all([once(labels, "finish"), once(manifestations, "finish")]);
const bytes =
  (await stat(join(dir, "manifestations.jsonl"))).size + (await stat(join(dir, "labels.jsonl"))).size;
const generationSeconds = (performance.now() - generationStart) / 1000;

const self = fileURLToPath(import.meta.url);
const child = spawnSync(process.execPath, [self, "--child", dir, String(bootstrap)], { encoding: "utf8" });
await rm(dir, { recursive: true, force: true });
if (child.status !== 0) {
  console.error(child.stderr);
  process.exit(1);
}
const result = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}");

const factors = valueFactors.length + signFactors.length;
console.log("computeAttribution (joint regression with clustered bootstrap + length-controlled scores)");
console.log(
  `  run folder   ${pairs.toLocaleString("en-US")} pairs x ${factors} factors, ${groups} groups, ${(bytes / 1e6).toFixed(0)} MB (generated in ${generationSeconds.toFixed(1)} s)`,
);
console.log(`  B            ${bootstrap}`);
console.log(`  wall time    ${result.seconds.toFixed(1)} s (reading, fit, B refits, partial taus)`);
console.log(`  peak RSS     ${(result.maxRssKiB / 1024).toFixed(0)} MB`);
console.log(`  coefficients ${result.coefficients.join(" ")}`);
