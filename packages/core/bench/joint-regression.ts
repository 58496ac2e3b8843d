// Times the joint regression at the size of a large run: 5,000 pairs x 12 factors (4 measured
// per response, so fitted on standardised differences, and 8 signs) in 1,000 groups, with the
// default B = 1000 clustered-bootstrap replicates.
// Run after building: `npm run build && node bench/joint-regression.ts` (Node >= 23.6).
import { performance } from "node:perf_hooks";
import type { Label, Sign } from "@profilekit/spec";
import { createRandom } from "../dist/index.js";
import { jointRegression, type RegressionPair } from "../dist/index.js";
import type { ManifestationLike } from "../dist/manifestation-table.js";

const PAIRS = 5000;
const GROUPS = 1000;
const VALUE_FACTORS = 4;
const SIGN_FACTORS = 8;
const SEED = 2025;

const random = createRandom(SEED, "bench/joint-regression");
const uniform = () => (random.nextUint32() + 0.5) / 2 ** 32;
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

const pairs: RegressionPair[] = [];
const manifestations: ManifestationLike[] = [];
for (let i = 0; i < PAIRS; i++) {
  const id = `pair-${i}`;
  let score = 0;
  for (let f = 0; f < VALUE_FACTORS; f++) {
    const valueA = 100 + 30 * normal();
    const valueB = 100 + 30 * normal();
    score += ((valueA - valueB) / 42) * (f === 0 ? 1 : 0.2);
    const sign = Math.sign(valueA - valueB) as Sign;
    manifestations.push({ pairId: id, factor: `value-${f}`, valueA, valueB, sign });
  }
  for (let f = 0; f < SIGN_FACTORS; f++) {
    const sign = (uniform() < 0.1 ? 0 : uniform() < 0.5 ? 1 : -1) as Sign;
    score += 0.1 * f * (sign ?? 0);
    manifestations.push({ pairId: id, factor: `sign-${f}`, sign: uniform() < 0.01 ? null : sign });
  }
  const label: Label = uniform() < 0.15 ? "tie" : uniform() < 1 / (1 + Math.exp(-score)) ? "a" : "b";
  pairs.push({ id, label, group: `group-${Math.floor((i * GROUPS) / PAIRS)}` });
}

const started = performance.now();
const result = jointRegression(pairs, manifestations, { seed: SEED });
const elapsed = performance.now() - started;

console.log(`pairs used  ${result.used} of ${result.pairs} (${result.ties} ties, ${result.dropped} dropped)`);
console.log(`factors     ${result.factors.length}`);
console.log(`groups      ${result.groups}`);
console.log(`B           ${result.bootstrap}`);
console.log(`fit + B     ${(elapsed / 1000).toFixed(2)} s`);
for (const factor of result.factors) {
  const [lo, hi] = factor.ci95 ?? [Number.NaN, Number.NaN];
  console.log(
    `  ${factor.factor.padEnd(9)} ${factor.coefficient?.toFixed(3).padStart(7)}  [${lo.toFixed(3)}, ${hi.toFixed(3)}]`,
  );
}
