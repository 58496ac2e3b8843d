// Times a factor profile at scale: 1,000,000 pairs x 10 factors in 10,000 groups, with
// B = 1000 bootstrap and R = 9999 sign-flip replicates (the defaults).
// Run after building: `npm run build && npm run bench` (Node >= 23.6 runs TypeScript as is).
import { performance } from "node:perf_hooks";
import type { Label, Sign } from "@profilekit/spec";
import { computeProfile, createRandom, ProfileAccumulator } from "../dist/index.js";

const PAIRS = 1_000_000;
const FACTORS = 10;
const GROUPS = 10_000;
const BOOTSTRAP = 1000;
const PERMUTATIONS = 9999;
const SEED = 2025;

// Synthetic data, generated before timing. Labels: 15% ties. Signs: 2% null, 8% tied; factor f
// follows the label with probability 0.02 f plus a group effect in [-0.05, 0.05] (a negative
// effect goes against the label), else is a fair coin. Factor 0 has no signal but clustering.
const random = createRandom(SEED, "bench/data");
const uniform = () => random.nextUint32() / 2 ** 32;
const groupEffect = Array.from({ length: GROUPS }, () => (uniform() - 0.5) * 0.1);
const preferences = new Int8Array(PAIRS);
const signColumns = Array.from({ length: FACTORS }, () => new Int8Array(PAIRS));
for (let i = 0; i < PAIRS; i++) {
  const effect = groupEffect[Math.floor((i * GROUPS) / PAIRS)]!;
  const p = uniform() < 0.15 ? 0 : uniform() < 0.5 ? 1 : -1;
  preferences[i] = p;
  for (let f = 0; f < FACTORS; f++) {
    const u = uniform();
    const follow = 0.02 * f + effect;
    let m: number;
    if (u < 0.02)
      m = 2; // null
    else if (u < 0.1) m = 0;
    else if (p !== 0 && uniform() < Math.abs(follow)) m = follow > 0 ? p : -p;
    else m = uniform() < 0.5 ? 1 : -1;
    signColumns[f]![i] = m;
  }
}

const labels: Label[] = ["b", "tie", "a"];
const factorIds = Array.from({ length: FACTORS }, (_, f) => `factor-${f}`);
const started = performance.now();
const accumulator = new ProfileAccumulator(factorIds);
const signs: Sign[] = new Array(FACTORS).fill(null);
for (let i = 0; i < PAIRS; i++) {
  for (let f = 0; f < FACTORS; f++) {
    const m = signColumns[f]![i]!;
    signs[f] = m === 2 ? null : (m as Sign);
  }
  accumulator.add(labels[preferences[i]! + 1]!, `group-${Math.floor((i * GROUPS) / PAIRS)}`, signs);
}
const accumulated = performance.now();
const profile = computeProfile(accumulator, { bootstrap: BOOTSTRAP, permutations: PERMUTATIONS, seed: SEED });
const scored = performance.now();

const seconds = (ms: number) => (ms / 1000).toFixed(2);
console.log(`pairs       ${profile.pairs}`);
console.log(`factors     ${profile.factors.length}`);
console.log(`groups      ${profile.groups}`);
console.log(`B           ${profile.bootstrap}`);
console.log(`R           ${profile.permutations}`);
console.log(`accumulate  ${seconds(accumulated - started)} s`);
console.log(`scoring     ${seconds(scored - accumulated)} s`);
console.log(`peak RSS    ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
for (const factor of profile.factors) {
  const [lo, hi] = factor.ci95 ?? [Number.NaN, Number.NaN];
  const tau = factor.tau?.toFixed(4) ?? "null";
  console.log(
    `  ${factor.factor}  tau ${tau}  ci95 [${lo.toFixed(4)}, ${hi.toFixed(4)}]  p ${factor.pValue}`,
  );
}
