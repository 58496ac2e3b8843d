import type { Label, Sign } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { computeProfile } from "./profile.js";
import { createRandom } from "./random.js";

/** 40 groups of 10 pairs with a weak signal, so both endpoints and p sit in the interior. */
function data(): ProfileAccumulator {
  const random = createRandom(5, "monte-carlo-data");
  const accumulator = new ProfileAccumulator(["f"]);
  for (let g = 0; g < 40; g++) {
    for (let i = 0; i < 10; i++) {
      const label: Label = random.nextInt(2) === 0 ? "a" : "b";
      const agree = random.nextInt(100) < 52;
      const m: Sign = agree === (label === "a") ? 1 : -1;
      accumulator.add(label, `g${g}`, [m]);
    }
  }
  return accumulator;
}

const sd = (values: readonly number[]) => {
  const mean = values.reduce((x, y) => x + y, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
};
const median = (values: readonly number[]) => [...values].sort((x, y) => x - y)[values.length >> 1]!;

describe("Monte Carlo errors, against the spread over independent seeds", () => {
  // Each seed is an independent Monte Carlo run on the same data: the standard deviation of its
  // results over 300 seeds is the Monte Carlo error that each run estimates on its own.
  const accumulator = data();
  const runs = Array.from(
    { length: 300 },
    (_, seed) => computeProfile(accumulator, { bootstrap: 200, permutations: 199, seed }).factors[0]!,
  );

  it("percentile endpoints: the reported error is the spread of the endpoints", () => {
    for (const side of [0, 1]) {
      const spread = sd(runs.map((factor) => factor.ci95![side]!));
      const reported = median(runs.map((factor) => factor.ci95MonteCarloError![side]!));
      // The SD of 300 values is itself known to about 4%; the estimator is noisier per run, hence
      // the median and a band of -30%..+40%.
      expect(reported / spread).toBeGreaterThan(0.7);
      expect(reported / spread).toBeLessThan(1.4);
    }
  });

  it("p-values: sqrt(p (1 - p) / R) is their spread", () => {
    const spread = sd(runs.map((factor) => factor.pValue!));
    const reported = median(runs.map((factor) => factor.pValueMonteCarloError!));
    const p = median(runs.map((factor) => factor.pValue!));
    expect(p).toBeGreaterThan(0.05); // an interior p, where the error matters
    expect(reported / spread).toBeGreaterThan(0.8);
    expect(reported / spread).toBeLessThan(1.25);
  });
});
