import type { Label, Sign } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { ProfileAccumulator } from "./accumulator.js";
import { computeProfile } from "./profile.js";
import { createRandom } from "./random.js";

/**
 * One simulated data set of `groups` clusters of 5..30 pairs. Each cluster has its own effect
 * theta_g ~ Uniform(mu - 0.4, mu + 0.4), so its pairs are dependent; a non-tie pair's factor is
 * tied with probability 0.1 and otherwise agrees with the label with probability (1 + theta_g) / 2.
 * Labels are a or b with probability 0.425 each and tie with 0.15. A non-tie pair then contributes
 * p * m with mean 0.9 theta_g to C - D and 1 to C + D + Tf, so the population tau14 is 0.9 mu.
 */
function simulate(seed: number, groups: number, mu: number): ProfileAccumulator {
  const random = createRandom(seed, "few-clusters");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const accumulator = new ProfileAccumulator(["f"]);
  for (let g = 0; g < groups; g++) {
    const theta = mu + (uniform() - 0.5) * 0.8;
    const size = 5 + random.nextInt(26);
    for (let i = 0; i < size; i++) {
      const u = uniform();
      const label: Label = u < 0.15 ? "tie" : u < 0.575 ? "a" : "b";
      const p = label === "a" ? 1 : label === "b" ? -1 : 0;
      let m: Sign;
      if (uniform() < 0.1) m = 0;
      else if (p === 0) m = uniform() < 0.5 ? 1 : -1;
      else m = (uniform() < (1 + theta) / 2 ? p : -p) as Sign;
      accumulator.add(label, `g${g}`, [m]);
    }
  }
  return accumulator;
}

/** The share of `repetitions` data sets whose ci95 holds the population tau. */
function coverage(
  repetitions: number,
  groups: number,
  mu: number,
  interval: "auto" | "percentile-bootstrap",
): number {
  let covered = 0;
  for (let r = 0; r < repetitions; r++) {
    const profile = computeProfile(simulate(r, groups, mu), {
      bootstrap: 1000,
      permutations: 999,
      seed: r,
      interval,
    });
    const [lo, hi] = profile.factors[0]!.ci95!;
    if (lo <= 0.9 * mu && 0.9 * mu <= hi) covered++;
  }
  return covered / repetitions;
}

// 2000 repetitions: the binomial standard error of a 95% coverage is sqrt(0.95 * 0.05 / 2000) =
// 0.0049, so a method that truly covers 95% lands above 0.95 - 3 SE = 0.935 with probability
// 0.9987. The upper bound 0.985 (7 SE) allows the exact test's conservatism (C - D is an integer,
// so many sign patterns tie with the observed sum and count as extreme) and still fails an
// interval that has grown useless.
const REPETITIONS = 2000;
const LOWER = 0.95 - 3 * Math.sqrt((0.95 * 0.05) / REPETITIONS);
const UPPER = 0.985;

describe("few clusters: coverage of the 95% interval over seeded simulations", () => {
  it("holds about 95% with 10 groups and no effect, where the percentile bootstrap does not", () => {
    const inverted = coverage(REPETITIONS, 10, 0, "auto");
    expect(inverted).toBeGreaterThanOrEqual(LOWER);
    expect(inverted).toBeLessThanOrEqual(UPPER);
    // The same bound fails the clustered percentile bootstrap (about 91% here, as the issue's
    // re-implementation found), so the test can tell the two apart.
    expect(coverage(REPETITIONS, 10, 0, "percentile-bootstrap")).toBeLessThan(LOWER);
  });

  it("holds about 95% with 10 groups and an effect (tau14 = 0.27), by approximate symmetry", () => {
    const inverted = coverage(REPETITIONS, 10, 0.3, "auto");
    expect(inverted).toBeGreaterThanOrEqual(LOWER);
    expect(inverted).toBeLessThanOrEqual(UPPER);
  });
});
