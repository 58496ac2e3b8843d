import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { averageRanks, rankSpearman, rankTauB } from "./rank-correlation.js";

const casesFile = fileURLToPath(
  new URL("../../../../shared/reference/alignment_cases.json", import.meta.url),
);
const haveCases = existsSync(casesFile);

interface ProfilePairCase {
  x: number[];
  y: number[];
  kendallTauB: number;
  spearman: number;
}

describe.skipIf(!haveCases)(
  `scipy reference (skipped when ${casesFile} is absent: it is the shared, read-only reference set)`,
  () => {
    const cases: ProfilePairCase[] = haveCases
      ? JSON.parse(readFileSync(casesFile, "utf8")).profilePairs
      : [];

    it("has the cases it should", () => {
      expect(cases.length).toBeGreaterThanOrEqual(10);
    });

    it.each(cases.map((c, i) => [i, c] as const))("profilePairs[%i] matches scipy", (_, c) => {
      expect(rankTauB(c.x, c.y)).toBeCloseTo(c.kendallTauB, 12);
      expect(rankSpearman(c.x, c.y)).toBeCloseTo(c.spearman, 12);
    });
  },
);

describe("hand-computed cases", () => {
  it("x = 1,2,3 against y = 1,3,2: S = 1 of 3 pairs, rho = 1 - 6*2/(3*8)", () => {
    expect(rankTauB([1, 2, 3], [1, 3, 2])).toBeCloseTo(1 / 3, 15);
    expect(rankSpearman([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 15);
  });

  it("ties: x = 1,1,2 against y = 1,2,3 gives S = 2 over sqrt(2 * 3)", () => {
    // Pairs (1,2): x tied; (1,3): +,+; (2,3): +,+. n_x = 2, n_y = 3.
    expect(rankTauB([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 15);
    // Ranks 1.5,1.5,3 against 1,2,3: centred -0.5,-0.5,1 and -1,0,1 -> 1.5 / sqrt(1.5 * 2).
    expect(rankSpearman([1, 1, 2], [1, 2, 3])).toBeCloseTo(1.5 / Math.sqrt(3), 15);
  });

  it("average ranks share the mean of the ranks they span", () => {
    expect(averageRanks([10, 20, 10])).toEqual([1.5, 3, 1.5]);
    expect(averageRanks([3, 3, 3, 1])).toEqual([3, 3, 3, 1]);
    expect(averageRanks([])).toEqual([]);
  });

  it("is null when undefined: n < 2 or a constant vector", () => {
    expect(rankTauB([], [])).toBeNull();
    expect(rankTauB([1], [2])).toBeNull();
    expect(rankSpearman([1], [2])).toBeNull();
    expect(rankTauB([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(rankSpearman([1, 2, 3], [5, 5, 5])).toBeNull();
  });

  it("rejects unequal lengths and non-finite values", () => {
    expect(() => rankTauB([1, 2], [1])).toThrow(/equal length/);
    expect(() => rankSpearman([1, Number.NaN], [1, 2])).toThrow(/x\[1\] is NaN/);
  });
});

describe("properties", () => {
  const vectors = fc
    .integer({ min: 2, max: 15 })
    .chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: n, maxLength: n }),
      ),
    );

  it("are symmetric, within [-1, 1], and flip sign when one vector is negated", () => {
    fc.assert(
      fc.property(vectors, ([x, y]) => {
        for (const statistic of [rankTauB, rankSpearman]) {
          const value = statistic(x, y);
          const negated = statistic(
            x,
            y.map((v) => -v),
          );
          if (value === null) {
            expect(statistic(y, x)).toBeNull();
            expect(negated).toBeNull();
            continue;
          }
          expect(statistic(y, x)).toBeCloseTo(value, 12);
          expect(Math.abs(value)).toBeLessThanOrEqual(1);
          expect(negated).toBeCloseTo(-value, 12);
        }
      }),
    );
  });

  it("depend on the vectors only through their ranks", () => {
    fc.assert(
      fc.property(vectors, ([x, y]) => {
        const monotone = (v: number) => Math.exp(v) + v ** 3;
        expect(rankTauB(x.map(monotone), y)).toEqual(rankTauB(x, y));
        const spearman = rankSpearman(x, y);
        const transformed = rankSpearman(x.map(monotone), y);
        if (spearman === null) expect(transformed).toBeNull();
        else expect(transformed).toBeCloseTo(spearman, 12);
      }),
    );
  });

  it("are 1 for a vector against itself unless it is constant", () => {
    fc.assert(
      fc.property(vectors, ([x]) => {
        const constant = x.every((v) => v === x[0]);
        expect(rankTauB(x, x)).toBe(constant ? null : 1);
        expect(rankSpearman(x, x)).toBe(constant ? null : 1);
      }),
    );
  });
});
