import type { Label, Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JointRegressionSchema, jointRegression, type RegressionPair } from "./joint-regression.js";
import type { ManifestationLike } from "./manifestation-table.js";
import { createRandom } from "./random.js";

/**
 * A tiny data set: 10 pairs in 5 groups, "length" measured per response (so it enters as a
 * standardised difference), "fluency" and "coherence" as signs. p6 is a tie; p9 misses coherence.
 */
const tiny = (() => {
  const rows: [string, Label, string, number, number, Sign, Sign][] = [
    ["p1", "a", "g1", 120, 80, 1, 0],
    ["p2", "b", "g1", 90, 100, -1, -1],
    ["p3", "a", "g2", 200, 150, 0, 1],
    ["p4", "a", "g2", 60, 70, 1, 1],
    ["p5", "b", "g3", 100, 130, -1, 0],
    ["p6", "tie", "g3", 50, 50, 0, 1],
    ["p7", "a", "g4", 110, 100, -1, 1],
    ["p8", "b", "g4", 80, 120, 1, -1],
    ["p9", "a", "g5", 150, 90, 1, null],
    ["p10", "b", "g5", 100, 95, 0, 1],
  ];
  const pairs: RegressionPair[] = rows.map(([id, label, group]) => ({ id, label, group }));
  const manifestations: ManifestationLike[] = rows.flatMap(
    ([id, , , lengthA, lengthB, fluency, coherence]) => [
      {
        pairId: id,
        factor: "length",
        valueA: lengthA,
        valueB: lengthB,
        sign: Math.sign(lengthA - lengthB) as Sign,
      },
      { pairId: id, factor: "fluency", sign: fluency },
      { pairId: id, factor: "coherence", sign: coherence },
    ],
  );
  return { pairs, manifestations };
})();

describe("the fit, against independent references", () => {
  it("matches scipy on the tiny data (missing = drop, lambda = 1)", () => {
    // Reference: scipy.optimize.minimize(method="trust-exact") on the same objective, with the
    // design built by hand in NumPy: rows p1-p5, p7, p8, p10; length difference / its sample SD
    // (31.388976681995498); gradient norm at the reported optimum < 1e-11.
    const result = jointRegression(tiny.pairs, tiny.manifestations, {
      missing: "drop",
      bootstrap: 0,
      scale: "sd",
    });
    expect(result).toMatchObject({ pairs: 10, ties: 1, dropped: 1, used: 8, groups: 5, lambda: 1 });
    const [length, fluency, coherence] = result.factors;
    expect(length).toMatchObject({ factor: "length", encoding: "difference", missing: 0, ci95: null });
    expect(length!.scale).toBeCloseTo(31.388976681995498, 12);
    expect(length!.coefficient).toBeCloseTo(0.882769278263084, 9);
    expect(fluency).toMatchObject({ encoding: "sign", scale: 1, missing: 0 });
    expect(fluency!.coefficient).toBeCloseTo(0.3789727455108233, 9);
    expect(coherence).toMatchObject({ encoding: "sign", missing: 1 });
    expect(coherence!.coefficient).toBeCloseTo(0.5897166974418362, 9);
  });

  it("matches plain gradient descent written here (missing = zero, lambda = 0.25)", () => {
    const lambda = 0.25;
    // The design by hand: the 9 non-tie pairs, p9's missing coherence as 0, and the length
    // difference divided by the sample SD of the 9 differences.
    const kept = [0, 1, 2, 3, 4, 6, 7, 8, 9];
    const lengthDiffs = [40, -10, 50, -10, -30, 10, -40, 60, 5];
    const mean = lengthDiffs.reduce((s, v) => s + v, 0) / lengthDiffs.length;
    const sd = Math.sqrt(lengthDiffs.reduce((s, v) => s + (v - mean) ** 2, 0) / (lengthDiffs.length - 1));
    const fluency = [1, -1, 0, 1, -1, -1, 1, 1, 0];
    const coherence = [0, -1, 1, 1, 0, 1, -1, 0, 1];
    const y = kept.map((i) => (tiny.pairs[i]!.label === "a" ? 1 : 0));
    const xs = lengthDiffs.map((diff, i) => [diff / sd, fluency[i]!, coherence[i]!]);

    // Full-batch gradient descent with step 1 / (0.25 * ||X||_F^2 + lambda), an upper bound
    // on the gradient's Lipschitz constant, until the gradient vanishes.
    const frobenius = xs.reduce((s, row) => s + row.reduce((t, v) => t + v * v, 0), 0);
    const step = 1 / (0.25 * frobenius + lambda);
    const beta = [0, 0, 0];
    for (let iteration = 0; iteration < 100_000; iteration++) {
      const gradient = beta.map((b) => lambda * b);
      xs.forEach((row, i) => {
        const p = 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + v * beta[j]!, 0)));
        row.forEach((v, j) => {
          gradient[j]! += (p - y[i]!) * v;
        });
      });
      if (Math.max(...gradient.map(Math.abs)) < 1e-13) break;
      gradient.forEach((g, j) => {
        beta[j]! -= step * g;
      });
    }

    const result = jointRegression(tiny.pairs, tiny.manifestations, {
      bootstrap: 0,
      lambda,
      missing: "zero",
      scale: "sd",
    });
    expect(result).toMatchObject({ used: 9, dropped: 0 });
    expect(result.factors[0]!.scale).toBeCloseTo(sd, 12);
    result.factors.forEach((factor, j) => {
      expect(factor.coefficient).toBeCloseTo(beta[j]!, 9);
    });
  });

  it("missing = drop fits exactly the pairs without a missing factor", () => {
    const withoutP9 = jointRegression(
      tiny.pairs.filter((p) => p.id !== "p9"),
      tiny.manifestations.filter((m) => m.pairId !== "p9"),
      { missing: "drop", bootstrap: 50, seed: 4 },
    );
    const dropped = jointRegression(tiny.pairs, tiny.manifestations, {
      missing: "drop",
      bootstrap: 50,
      seed: 4,
    });
    expect(dropped.factors.map((f) => [f.coefficient, f.ci95])).toEqual(
      withoutP9.factors.map((f) => [f.coefficient, f.ci95]),
    );
  });

  it("encoding = sign uses the length sign, not its value", () => {
    const result = jointRegression(tiny.pairs, tiny.manifestations, {
      missing: "drop",
      bootstrap: 0,
      encoding: "sign",
    });
    expect(result.factors[0]).toMatchObject({ encoding: "sign", scale: 1 });
    const lengthOnly = tiny.manifestations.filter((m) => m.factor !== "length");
    const asSigns = [
      ...lengthOnly,
      ...tiny.manifestations
        .filter((m) => m.factor === "length")
        .map((m) => ({ pairId: m.pairId, factor: "signed-length", sign: m.sign })),
    ];
    const reference = jointRegression(tiny.pairs, asSigns, {
      missing: "drop",
      bootstrap: 0,
      factors: ["signed-length", "fluency", "coherence"],
    });
    expect(result.factors.map((f) => f.coefficient)).toEqual(reference.factors.map((f) => f.coefficient));
  });

  it("a factor that never varies gets no coefficient, and a note", () => {
    const flat = tiny.pairs.map((p) => ({ pairId: p.id, factor: "flat", sign: 0 as const }));
    const result = jointRegression(tiny.pairs, [...tiny.manifestations, ...flat], {
      missing: "drop",
      bootstrap: 10,
      scale: "sd",
    });
    expect(result.factors[3]).toMatchObject({
      factor: "flat",
      coefficient: null,
      ci95: null,
      status: "constant",
    });
    expect(result.notes).toContain(
      '"flat" has the same value (0) on every pair used, so the regression leaves it out.',
    );
    expect(result.factors[0]!.coefficient).toBeCloseTo(0.882769278263084, 9);
  });
});

/**
 * Synthetic data where only length drives the label: 2000 pairs in 500 groups. Response lengths
 * are 200 + 60 z words; number-of-facts = length / 20 + N(0, 1.5^2), so the two differences
 * correlate at about 0.89; fluency is an unrelated coin. P(a preferred) = sigmoid(2 zL) with zL
 * the standardised length difference; 10% of pairs are ties.
 */
function lengthDrivenData(seed: number) {
  const random = createRandom(seed, "synthetic");
  const uniform = () => (random.nextUint32() + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const pairs: RegressionPair[] = [];
  const manifestations: ManifestationLike[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = `s${i}`;
    const lengthA = 200 + 60 * normal();
    const lengthB = 200 + 60 * normal();
    const factsA = lengthA / 20 + 1.5 * normal();
    const factsB = lengthB / 20 + 1.5 * normal();
    const zL = (lengthA - lengthB) / (60 * Math.SQRT2);
    const label: Label = uniform() < 0.1 ? "tie" : uniform() < 1 / (1 + Math.exp(-2 * zL)) ? "a" : "b";
    pairs.push({ id, label, group: `g${Math.floor(i / 4)}` });
    const sign = (x: number, y: number) => Math.sign(x - y) as Sign;
    manifestations.push(
      { pairId: id, factor: "length", valueA: lengthA, valueB: lengthB, sign: sign(lengthA, lengthB) },
      { pairId: id, factor: "number-of-facts", valueA: factsA, valueB: factsB, sign: sign(factsA, factsB) },
      { pairId: id, factor: "fluency", sign: uniform() < 0.5 ? 1 : -1 },
    );
  }
  return { pairs, manifestations };
}

describe("separating correlated factors", () => {
  const { pairs, manifestations } = lengthDrivenData(11);

  it("the passenger looks predictive on its own", () => {
    // Marginally, the preferred response has more facts in most decisive pairs.
    const facts = new Map(
      manifestations.filter((m) => m.factor === "number-of-facts").map((m) => [m.pairId, m]),
    );
    const decisive = pairs.filter((p) => p.label !== "tie");
    const agree = decisive.filter((p) => facts.get(p.id)!.sign === (p.label === "a" ? 1 : -1)).length;
    expect(agree / decisive.length).toBeGreaterThan(0.7);
  });

  it("the joint fit credits the driver and not the passenger", () => {
    // The true model has 2 on length (per SD of the difference) and 0 on the others. Over seeds
    // 1-12 of this generator the estimates were 1.7-2.4 for length and within +-0.26 for the
    // passenger; the bounds below leave room for that spread.
    const result = jointRegression(pairs, manifestations, { missing: "drop", bootstrap: 200, seed: 2 });
    expect(JointRegressionSchema.parse(result)).toEqual(result);
    const [length, facts, fluency] = result.factors;
    expect(result).toMatchObject({ groups: 500, dropped: 0 });
    expect(length!.coefficient).toBeGreaterThan(1.5);
    expect(Math.abs(facts!.coefficient!)).toBeLessThan(0.35);
    expect(Math.abs(fluency!.coefficient!)).toBeLessThan(0.2);
    // The driver's interval lies wholly above the passenger's.
    expect(length!.ci95![0]).toBeGreaterThan(facts!.ci95![1]);
  });
});

describe("the clustered bootstrap", () => {
  it("resamples groups: copies sharing a group widen the interval about sqrt(copies)-fold", () => {
    const { pairs, manifestations } = lengthDrivenData(5);
    const base = pairs.slice(0, 80);
    const baseIds = new Set(base.map((p) => p.id));
    const baseManifestations = manifestations.filter((m) => baseIds.has(m.pairId));
    const copies = (grouped: boolean) => {
      const copiedPairs = [0, 1, 2, 3, 4].flatMap((c) =>
        base.map((p) => ({ ...p, id: `${p.id}#${c}`, group: grouped ? p.id : `${p.id}#${c}` })),
      );
      const copiedManifestations = [0, 1, 2, 3, 4].flatMap((c) =>
        baseManifestations.map((m) => ({ ...m, pairId: `${m.pairId}#${c}` })),
      );
      const fit = jointRegression(copiedPairs, copiedManifestations, {
        missing: "drop",
        bootstrap: 300,
        seed: 9,
      });
      const [lo, hi] = fit.factors[0]!.ci95!;
      return { width: hi - lo, groups: fit.groups };
    };
    const clustered = copies(true);
    const independent = copies(false);
    expect(clustered.groups).toBeLessThan(independent.groups);
    expect(clustered.width / independent.width).toBeGreaterThan(1.6);
    expect(clustered.width / independent.width).toBeLessThan(3.2);
  });

  it("is reproducible from its seed", () => {
    const first = jointRegression(tiny.pairs, tiny.manifestations, {
      missing: "drop",
      bootstrap: 40,
      seed: 3,
    });
    expect(
      jointRegression(tiny.pairs, tiny.manifestations, { missing: "drop", bootstrap: 40, seed: 3 }),
    ).toEqual(first);
    expect(
      jointRegression(tiny.pairs, tiny.manifestations, { missing: "drop", bootstrap: 40, seed: 4 }),
    ).not.toEqual(first);
  });
});

describe("no intercept: order and direction", () => {
  // Swapping the two responses of every pair (values, signs and the label follow them) negates
  // every column and flips every y; without an intercept the fitted model is the same, so each
  // coefficient is unchanged. Reversing only the preferences (a <-> b in the labels) negates
  // every coefficient. With an intercept (a position effect) neither would hold.
  const label = fc.constantFrom<Label>("a", "b", "tie");
  const sign = fc.constantFrom<Sign>(-1, 0, 1, null);
  const row = fc.record({
    label,
    group: fc.constantFrom("g1", "g2", "g3", "g4"),
    lengthA: fc.integer({ min: 1, max: 400 }),
    lengthB: fc.integer({ min: 1, max: 400 }),
    /** Which response's length could not be measured (an empty response, say). */
    lengthMissing: fc.constantFrom<"none" | "a" | "b">("none", "none", "none", "a", "b"),
    fluency: sign,
    coherence: sign,
  });
  type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;
  const reverse = (l: Label): Label => (l === "a" ? "b" : l === "b" ? "a" : "tie");

  type Missing = "drop" | "zero" | "impute";
  const fit = (rows: readonly Row[], transform: "none" | "swap" | "reverse", missing: Missing) => {
    const swap = transform === "swap";
    const pairs: RegressionPair[] = rows.map((r, i) => ({
      id: `p${i}`,
      group: r.group,
      label: transform === "none" ? r.label : reverse(r.label),
    }));
    const flip = (s: Sign): Sign => (swap && s !== null ? (-s as Sign) : s);
    const manifestations: ManifestationLike[] = rows.flatMap((r, i) => {
      const lengthA = r.lengthMissing === "a" ? null : r.lengthA;
      const lengthB = r.lengthMissing === "b" ? null : r.lengthB;
      const length: ManifestationLike = {
        pairId: `p${i}`,
        factor: "length",
        valueA: swap ? lengthB : lengthA,
        valueB: swap ? lengthA : lengthB,
        sign: r.lengthMissing === "none" ? flip(Math.sign(r.lengthA - r.lengthB) as Sign) : null,
      };
      return [
        length,
        { pairId: `p${i}`, factor: "fluency", sign: flip(r.fluency) },
        { pairId: `p${i}`, factor: "coherence", sign: flip(r.coherence) },
      ];
    });
    const fitted = jointRegression(pairs, manifestations, { bootstrap: 15, seed: 1, missing });
    // The missing-side columns obey the same rules as the factors.
    return { factors: [...fitted.factors, ...(fitted.missingSides ?? [])] };
  };
  const rows = fc.array(row, { minLength: 1, maxLength: 25 });
  const missing = fc.constantFrom<Missing>("drop", "zero", "impute");

  it("swapping a and b in every pair leaves every coefficient and interval unchanged", () => {
    fc.assert(
      fc.property(rows, missing, (generated, policy) => {
        const original = fit(generated, "none", policy);
        const swapped = fit(generated, "swap", policy);
        original.factors.forEach((factor, f) => {
          const mirror = swapped.factors[f]!;
          if (factor.coefficient === null) {
            expect(mirror.coefficient).toBeNull();
            return;
          }
          expect(mirror.coefficient!).toBeCloseTo(factor.coefficient, 8);
          expect(mirror.ci95![0]).toBeCloseTo(factor.ci95![0], 8);
          expect(mirror.ci95![1]).toBeCloseTo(factor.ci95![1], 8);
        });
      }),
      { numRuns: 100 },
    );
  });

  it("reversing every preference negates every coefficient and mirrors its interval", () => {
    fc.assert(
      fc.property(rows, missing, (generated, policy) => {
        const original = fit(generated, "none", policy);
        const reversed = fit(generated, "reverse", policy);
        original.factors.forEach((factor, f) => {
          const mirror = reversed.factors[f]!;
          if (factor.coefficient === null) {
            expect(mirror.coefficient).toBeNull();
            return;
          }
          expect(mirror.coefficient!).toBeCloseTo(-factor.coefficient, 8);
          expect(mirror.ci95![0]).toBeCloseTo(-factor.ci95![1], 8);
          expect(mirror.ci95![1]).toBeCloseTo(-factor.ci95![0], 8);
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe("input checks", () => {
  it("names the pair and factor at fault", () => {
    expect(() =>
      jointRegression(tiny.pairs, [...tiny.manifestations, { pairId: "nope", factor: "length", sign: 1 }]),
    ).toThrow(/names pair "nope"/);
    expect(() =>
      jointRegression(tiny.pairs, [...tiny.manifestations, { pairId: "p1", factor: "fluency", sign: 1 }]),
    ).toThrow(/"p1" has two manifestations of "fluency"/);
    expect(() => jointRegression([...tiny.pairs, tiny.pairs[0]!], tiny.manifestations)).toThrow(/"p1"/);
  });

  it("refuses lambda <= 0", () => {
    expect(() => jointRegression(tiny.pairs, tiny.manifestations, { missing: "drop", lambda: 0 })).toThrow(
      /lambda/,
    );
  });
});

/** Penalised logistic regression by plain gradient descent, from the objective's definition. */
function gradientDescent(xs: readonly number[][], y: readonly number[], lambda: number): number[] {
  const frobenius = xs.reduce((s, row) => s + row.reduce((t, v) => t + v * v, 0), 0);
  const step = 1 / (0.25 * frobenius + lambda);
  const beta = xs[0]!.map(() => 0);
  for (let iteration = 0; iteration < 200_000; iteration++) {
    const gradient = beta.map((b) => lambda * b);
    xs.forEach((row, i) => {
      const p = 1 / (1 + Math.exp(-row.reduce((s, v, j) => s + v * beta[j]!, 0)));
      row.forEach((v, j) => {
        gradient[j]! += (p - y[i]!) * v;
      });
    });
    if (Math.max(...gradient.map(Math.abs)) < 1e-13) break;
    gradient.forEach((g, j) => {
      beta[j]! -= step * g;
    });
  }
  return beta;
}

/** Type-7 quantile, for the IQR the test expects. */
function quantile7(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!);
}

describe("a sturdier regression", () => {
  it("leaves out a factor measured on no pair, with a note, and fits the others as without it", () => {
    const unmeasured = tiny.pairs.map((p) => ({
      pairId: p.id,
      factor: "source-overlap",
      sign: null,
      error: "the pair has no source",
    }));
    const withIt = jointRegression(tiny.pairs, [...tiny.manifestations, ...unmeasured], {
      missing: "drop",
      bootstrap: 20,
    });
    const without = jointRegression(tiny.pairs, tiny.manifestations, { missing: "drop", bootstrap: 20 });
    expect(withIt).toMatchObject({ used: 8, dropped: 1 });
    expect(withIt.factors[3]).toMatchObject({
      factor: "source-overlap",
      status: "not-measured",
      coefficient: null,
      ci95: null,
      missing: 9,
    });
    expect(withIt.factors.slice(0, 3)).toEqual(without.factors);
    expect(withIt.notes).toContain(
      '"source-overlap" was measured on no non-tie pair, so the regression leaves it out.',
    );
    expect(withIt.notes!.join(" ")).toMatch(/1 of 9 non-tie pairs were left out .*missing at random/);
  });

  it("scales a difference by IQR / 1.349, which one extreme value barely moves", () => {
    const lengthDiffs = [40, -10, 50, -10, -30, 10, -40, 5]; // the 8 pairs kept with missing = drop
    const iqr = (quantile7(lengthDiffs, 0.75) - quantile7(lengthDiffs, 0.25)) / 1.3489795003921634;
    const robust = jointRegression(tiny.pairs, tiny.manifestations, { missing: "drop", bootstrap: 0 });
    expect(robust.scaling).toBe("iqr");
    expect(robust.factors[0]!.scale).toBeCloseTo(iqr, 12);

    // Readability-like garbage on one pair: the SD scale grows many-fold, the IQR scale little.
    const extreme = tiny.manifestations.map((m) =>
      m.pairId === "p1" && m.factor === "length" ? { ...m, valueA: 1311, valueB: -325 } : m,
    );
    const scaleOf = (scale: "iqr" | "sd", manifestations: readonly ManifestationLike[]) =>
      jointRegression(tiny.pairs, manifestations, { missing: "drop", bootstrap: 0, scale }).factors[0]!.scale;
    expect(scaleOf("sd", extreme) / scaleOf("sd", tiny.manifestations)).toBeGreaterThan(10);
    expect(scaleOf("iqr", extreme) / scaleOf("iqr", tiny.manifestations)).toBeLessThan(1.5);
  });

  it("missing = impute keeps the pairs, and matches gradient descent on the design built by hand", () => {
    // p9 misses coherence (no side: a pair-level sign), p3 misses b's length (b empty, say).
    const manifestations = tiny.manifestations.map((m) =>
      m.pairId === "p3" && m.factor === "length" ? { ...m, valueB: null, sign: null } : m,
    );
    const result = jointRegression(tiny.pairs, manifestations, {
      bootstrap: 0,
      missing: "impute",
      lambda: 0.5,
    });
    expect(result).toMatchObject({ used: 9, dropped: 0 });
    expect(result.factors.map((f) => [f.factor, f.imputed])).toEqual([
      ["length", 1],
      ["fluency", 0],
      ["coherence", 1],
    ]);
    expect(result.missingSides!.map((m) => [m.factor, m.pairs])).toEqual([["length", 1]]);

    // By hand: the 9 non-tie pairs; length = difference / (IQR of the 8 observed / 1.349), 0 for
    // p3; fluency and coherence signs, 0 for p9's coherence; the missing side: -1 for p3 (b's).
    const order = ["p1", "p2", "p3", "p4", "p5", "p7", "p8", "p9", "p10"];
    const diffs: (number | null)[] = [40, -10, null, -10, -30, 10, -40, 60, 5];
    const observed = diffs.filter((d): d is number => d !== null);
    const scale = (quantile7(observed, 0.75) - quantile7(observed, 0.25)) / 1.3489795003921634;
    const fluency = [1, -1, 0, 1, -1, -1, 1, 1, 0];
    const coherence = [0, -1, 1, 1, 0, 1, -1, 0, 1];
    const xs = order.map((_, i) => [
      (diffs[i] ?? 0) / scale,
      fluency[i]!,
      coherence[i]!,
      order[i] === "p3" ? -1 : 0,
    ]);
    const y = order.map((id) => (tiny.pairs.find((p) => p.id === id)!.label === "a" ? 1 : 0));
    const beta = gradientDescent(xs, y, 0.5);
    expect(result.factors[0]!.scale).toBeCloseTo(scale, 12);
    result.factors.forEach((factor, j) => {
      expect(factor.coefficient).toBeCloseTo(beta[j]!, 8);
    });
    expect(result.missingSides![0]!.coefficient).toBeCloseTo(beta[3]!, 8);
  });

  it("finds that empty responses lose, where complete cases drop exactly those pairs", () => {
    // 600 pairs: length drives the label; in 15% of pairs one response is empty (no length can
    // be read), and the empty one is preferred only 10% of the time.
    const random = createRandom(8, "empty");
    const uniform = () => random.nextUint32() / 2 ** 32;
    const pairs: RegressionPair[] = [];
    const manifestations: ManifestationLike[] = [];
    for (let i = 0; i < 600; i++) {
      const id = `e${i}`;
      const lengthA = 50 + 100 * uniform();
      const lengthB = 50 + 100 * uniform();
      const empty = uniform() < 0.15 ? (uniform() < 0.5 ? "a" : "b") : null;
      const pA = empty === "a" ? 0.1 : empty === "b" ? 0.9 : 1 / (1 + Math.exp(-(lengthA - lengthB) / 20));
      pairs.push({ id, label: uniform() < pA ? "a" : "b", group: `g${i % 150}` });
      manifestations.push({
        pairId: id,
        factor: "length",
        valueA: empty === "a" ? null : lengthA,
        valueB: empty === "b" ? null : lengthB,
        sign: empty === null ? (Math.sign(lengthA - lengthB) as Sign) : null,
      });
    }
    const dropped = jointRegression(pairs, manifestations, { missing: "drop", bootstrap: 200, seed: 2 });
    const imputed = jointRegression(pairs, manifestations, { bootstrap: 200, seed: 2, missing: "impute" });
    expect(dropped.dropped).toBe(dropped.factors[0]!.missing);
    expect(dropped.dropped).toBeGreaterThan(60);
    expect(imputed.used).toBe(600);
    const [side] = imputed.missingSides!;
    // The column is +1 when a's value is missing: a strongly negative coefficient, an interval
    // below 0 (the empty side loses), with a Monte Carlo error on each endpoint.
    expect(side!.coefficient!).toBeLessThan(-1);
    expect(side!.ci95![1]).toBeLessThan(0);
    expect(side!.ci95MonteCarloError![0]).toBeGreaterThan(0);
    expect(imputed.factors[0]!.coefficient!).toBeGreaterThan(0.5);
  });
});
