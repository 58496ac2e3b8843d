// Times the paired alignment at the size of a large run: two profiles of 100,000 pairs x 15
// factors on the same 10,000 clusters (a human and a judge profile of the same pairs), their
// group-counts sidecars written and read back, and alignGroupCounts with B = 2000; then the
// generation-evaluation gap of three such profiles.
// Run after building: `npm run build && node bench/alignment.ts` (Node >= 23.6).
import { performance } from "node:perf_hooks";
import type { Label, Sign } from "@profilekit/spec";
import {
  alignGroupCounts,
  createRandom,
  GroupCountsSchema,
  generationEvaluationGapOfGroupCounts,
  groupCountsOf,
  ProfileAccumulator,
} from "../dist/index.js";

const PAIRS = 100_000;
const GROUPS = 10_000;
const FACTORS = 15;
const REPLICATES = 2000;
const SEED = 2025;

const random = createRandom(SEED, "bench/alignment");
const factorIds = Array.from({ length: FACTORS }, (_, f) => `factor-${f}`);
const labels: readonly Label[] = ["a", "b", "tie"];
const profiles = [0, 1, 2].map(() => new ProfileAccumulator(factorIds));
for (let i = 0; i < PAIRS; i++) {
  const group = `input:${i % GROUPS}`;
  const signs = factorIds.map((): Sign => (random.nextInt(3) - 1) as Sign);
  const human = labels[random.nextInt(3)]!;
  // The judge agrees with the human label 70% of the time; the third profile is independent.
  const judge = random.nextInt(10) < 7 ? human : labels[random.nextInt(3)]!;
  profiles[0]!.add(human, group, signs);
  profiles[1]!.add(judge, group, signs);
  profiles[2]!.add(labels[random.nextInt(3)]!, group, signs);
}

let started = performance.now();
const counts = profiles.map((accumulator) => groupCountsOf(accumulator, { clusterLevel: "source+prompt" }));
const text = JSON.stringify(counts[0]);
const exported = performance.now() - started;
started = performance.now();
GroupCountsSchema.parse(JSON.parse(text));
const parsed = performance.now() - started;
started = performance.now();
const alignment = alignGroupCounts(counts[0]!, counts[1]!, { replicates: REPLICATES, seed: SEED });
const aligned = performance.now() - started;
started = performance.now();
generationEvaluationGapOfGroupCounts(
  { human: counts[0]!, evaluation: counts[1]!, generation: counts[2]! },
  { replicates: REPLICATES, seed: SEED },
);
const gap = performance.now() - started;

console.log(`pairs x factors   ${PAIRS} x ${FACTORS} in ${GROUPS} clusters, B = ${REPLICATES}`);
console.log(`sidecar           ${(text.length / 1e6).toFixed(2)} MB of JSON per profile`);
console.log(`export (3)        ${(exported / 1000).toFixed(2)} s`);
console.log(`parse + check     ${(parsed / 1000).toFixed(2)} s`);
console.log(`alignGroupCounts  ${(aligned / 1000).toFixed(2)} s  (${alignment.resampling!.method})`);
console.log(`gap of three      ${(gap / 1000).toFixed(2)} s`);
console.log(`peak RSS          ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
