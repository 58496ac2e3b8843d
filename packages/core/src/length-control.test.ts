import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Label, labelToPreference, type Sign } from "@profilekit/spec";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LengthControlledScoreSchema,
  lengthControlledScores,
  type MeasuredSign,
  partialTau,
  signTauB,
} from "./length-control.js";
import type { ManifestationLike } from "./manifestation-table.js";
import { createRandom } from "./random.js";

const casesFile = fileURLToPath(new URL("../../../../shared/reference/kendall_cases.json", import.meta.url));
const haveCases = existsSync(casesFile);

describe.skipIf(!haveCases)(
  `tau_b over pairs against kendall_cases.json (skipped when ${casesFile} is absent: it is the shared, read-only reference set)`,
  () => {
    const cases: {
      name: string;
      pairs: { label: Label; fa: number; fb: number }[];
      expected: { taub: number | null };
    }[] = haveCases ? JSON.parse(readFileSync(casesFile, "utf8")).cases : [];

    it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
      const p = c.pairs.map((pair) => labelToPreference(pair.label));
      const m = c.pairs.map((pair) => Math.sign(pair.fa - pair.fb) as MeasuredSign);
      const value = signTauB(p, m);
      if (c.expected.taub === null) expect(value).toBeNull();
      else expect(value).toBeCloseTo(c.expected.taub, 12);
    });
  },
);

/** Pairs and manifestations from rows of (label, factor sign, length sign). */
function dataset(rows: readonly [Label, Sign, Sign][], factor = "fluency") {
  const pairs = rows.map(([label], i) => ({ id: `p${i}`, label }));
  const manifestations: ManifestationLike[] = rows.flatMap(([, f, l], i) => [
    { pairId: `p${i}`, factor, sign: f },
    { pairId: `p${i}`, factor: "length", sign: l },
  ]);
  return { pairs, manifestations };
}

describe("a hand-computed case", () => {
  // (p, f, L) over the 6 pairs where both are measured:
  // (1,1,1) (1,1,0) (-1,-1,-1) (1,0,1) (-1,1,-1) (0,1,1)
  // sum p^2 = sum f^2 = sum L^2 = 5; sum pf = 2, sum pL = 4, sum fL = 2
  // tau_pf = 0.4, tau_pL = 0.8, tau_fL = 0.4
  // partial = (0.4 - 0.32) / sqrt(0.36 * 0.84) = 0.08 / sqrt(0.3024)
  const { pairs, manifestations } = dataset([
    ["a", 1, 1],
    ["a", 1, 0],
    ["b", -1, -1],
    ["a", 0, 1],
    ["b", 1, -1],
    ["tie", 1, 1],
    ["a", 1, null], // length not measured: left out
    ["b", null, 1], // factor not measured: left out
  ]);

  it("gives the three taus and the partial tau", () => {
    const [score] = lengthControlledScores(pairs, manifestations);
    expect(LengthControlledScoreSchema.parse(score)).toEqual(score);
    expect(score!.factor).toBe("fluency");
    expect(score!.pairs).toBe(6);
    expect(score!.tauB).toBeCloseTo(0.4, 15);
    expect(score!.lengthTauB).toBeCloseTo(0.8, 15);
    expect(score!.factorLengthTauB).toBeCloseTo(0.4, 15);
    expect(score!.partialTauB).toBeCloseTo(0.08 / Math.sqrt(0.3024), 14);
  });

  it("omits the length factor itself, and can be told which factor is length", () => {
    expect(lengthControlledScores(pairs, manifestations).map((s) => s.factor)).toEqual(["fluency"]);
    const renamed = manifestations.map((m) => (m.factor === "length" ? { ...m, factor: "words" } : m));
    expect(lengthControlledScores(pairs, renamed, { lengthFactor: "words" })).toEqual(
      lengthControlledScores(pairs, manifestations),
    );
  });

  it("refuses to run without any measured length", () => {
    const noLength = manifestations.filter((m) => m.factor !== "length");
    expect(() => lengthControlledScores(pairs, noLength)).toThrow(/No pair has a measured "length"/);
  });
});

describe("partialTau", () => {
  it("is undefined when the control determines either variable", () => {
    expect(partialTau(0.3, 1, 0.2)).toBeNull();
    expect(partialTau(0.3, 0.2, -1)).toBeNull();
    expect(partialTau(null, 0.2, 0.1)).toBeNull();
  });

  it("equals the raw tau when the control is unrelated to both", () => {
    expect(partialTau(0.37, 0, 0)).toBe(0.37);
  });
});

const measured = fc.constantFrom<MeasuredSign>(-1, 0, 1);
const label = fc.constantFrom<Label>("a", "b", "tie");

describe("properties", () => {
  it("a factor that is exactly the length sign has no partial tau; nor has its opposite", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(label, measured), { minLength: 1, maxLength: 40 }), (rows) => {
        for (const direction of [1, -1]) {
          const { pairs, manifestations } = dataset(
            rows.map(([l, s]) => [l, (direction * s) as Sign, s]),
            "number-of-words",
          );
          const [score] = lengthControlledScores(pairs, manifestations);
          expect(score!.partialTauB).toBeNull();
        }
      }),
    );
  });

  it("when the factor is orthogonal to length (tau_fL = 0), partial = raw / sqrt(1 - tau_pL^2)", () => {
    // Each generated row (p, p2, f, L) gives the pairs (p, f, L) and (p2, f, -L), so that
    // sum f * L = 0 exactly, whatever the preferences.
    fc.assert(
      fc.property(
        fc.array(fc.tuple(label, label, measured, measured), { minLength: 1, maxLength: 30 }),
        (rows) => {
          const { pairs, manifestations } = dataset(
            rows.flatMap(([p1, p2, f, l]): [Label, Sign, Sign][] => [
              [p1, f, l],
              [p2, f, (0 - l) as Sign],
            ]),
          );
          const [score] = lengthControlledScores(pairs, manifestations);
          if (score!.tauB === null || score!.lengthTauB === null || score!.factorLengthTauB === null) return;
          expect(score!.factorLengthTauB).toBe(0);
          if (Math.abs(score!.lengthTauB) === 1) return;
          expect(score!.partialTauB).toBeCloseTo(score!.tauB / Math.sqrt(1 - score!.lengthTauB ** 2), 12);
        },
      ),
    );
  });

  it("when length is orthogonal to both preference and factor, partial = raw", () => {
    // Each row (p, f, L) gives (p, f, L) and (p, f, -L): tau_pL = tau_fL = 0.
    fc.assert(
      fc.property(fc.array(fc.tuple(label, measured, measured), { minLength: 1, maxLength: 30 }), (rows) => {
        const { pairs, manifestations } = dataset(
          rows.flatMap(([p, f, l]): [Label, Sign, Sign][] => [
            [p, f, l],
            [p, f, (0 - l) as Sign],
          ]),
        );
        const [score] = lengthControlledScores(pairs, manifestations);
        if (score!.lengthTauB === null || score!.factorLengthTauB === null) return;
        expect(score!.partialTauB).toBe(score!.tauB);
      }),
    );
  });

  it("lies in [-1, 1] and is unchanged when a and b are swapped in every pair", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(label, fc.option(measured), fc.option(measured)), { minLength: 1, maxLength: 40 }),
        (rows) => {
          fc.pre(rows.some(([, , length]) => length !== null));
          const original = dataset(rows);
          const [score] = lengthControlledScores(original.pairs, original.manifestations);
          const swappedRows = rows.map(([l, f, len]): [Label, Sign, Sign] => [
            l === "a" ? "b" : l === "b" ? "a" : "tie",
            f === null ? null : ((0 - f) as Sign),
            len === null ? null : ((0 - len) as Sign),
          ]);
          const mirror = dataset(swappedRows);
          const [swapped] = lengthControlledScores(mirror.pairs, mirror.manifestations);
          expect(swapped).toEqual(score);
          if (score!.partialTauB !== null) expect(Math.abs(score!.partialTauB)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe("the length-controlled score's interval and p-value", () => {
  /**
   * 60 clusters of 2..6 pairs: length drives the label; "passenger" follows length; "own" has
   * its own effect on the label beyond length.
   */
  const random = createRandom(3, "length-control-bootstrap");
  const uniform = () => random.nextUint32() / 2 ** 32;
  const pairs: { id: string; label: Label; group: string }[] = [];
  const manifestations: ManifestationLike[] = [];
  for (let g = 0; g < 60; g++) {
    const size = 2 + random.nextInt(5);
    for (let i = 0; i < size; i++) {
      const id = `g${g}-${i}`;
      const length = (uniform() < 0.5 ? 1 : -1) as Sign;
      const own = (uniform() < 0.5 ? 1 : -1) as Sign;
      const passenger = (uniform() < 0.8 ? length : -length!) as Sign;
      const score = 0.9 * length! + 0.7 * own!;
      const label: Label = uniform() < 0.1 ? "tie" : uniform() < 1 / (1 + Math.exp(-score)) ? "a" : "b";
      pairs.push({ id, label, group: `g${g}` });
      manifestations.push(
        { pairId: id, factor: "length", sign: length },
        { pairId: id, factor: "passenger", sign: passenger },
        { pairId: id, factor: "own", sign: own },
      );
    }
  }

  /** The partial tau of one factor over the pairs, each weighted by its cluster's draw count. */
  function weightedPartial(factor: string, weightOf: (group: string) => number): number | null {
    const signOf = (id: string, f: string) =>
      manifestations.find((m) => m.pairId === id && m.factor === f)!.sign!;
    const sums = { pf: 0, pl: 0, fl: 0, pp: 0, ff: 0, ll: 0 };
    for (const pair of pairs) {
      const w = weightOf(pair.group);
      const p = labelToPreference(pair.label);
      const f = signOf(pair.id, factor);
      const l = signOf(pair.id, "length");
      sums.pf += w * p * f;
      sums.pl += w * p * l;
      sums.fl += w * f * l;
      sums.pp += w * p * p;
      sums.ff += w * f * f;
      sums.ll += w * l * l;
    }
    const tau = (xy: number, xx: number, yy: number) => (xx * yy === 0 ? null : xy / Math.sqrt(xx * yy));
    return partialTau(
      tau(sums.pf, sums.pp, sums.ff),
      tau(sums.pl, sums.pp, sums.ll),
      tau(sums.fl, sums.ff, sums.ll),
    );
  }

  it("matches a cluster bootstrap of the pairs written here, with the profile's draws", () => {
    const B = 150;
    const scores = lengthControlledScores(pairs, manifestations, { bootstrap: B, seed: 7 });
    const groups = [...new Set(pairs.map((pair) => pair.group))];
    for (const score of scores) {
      const replicates: number[] = [];
      for (let b = 0; b < B; b++) {
        const draw = createRandom(7, `bootstrap/${b}`);
        const weights = new Map<string, number>();
        for (let i = 0; i < groups.length; i++) {
          const group = groups[draw.nextInt(groups.length)]!;
          weights.set(group, (weights.get(group) ?? 0) + 1);
        }
        const value = weightedPartial(score.factor, (group) => weights.get(group) ?? 0);
        if (value !== null) replicates.push(value);
      }
      replicates.sort((x, y) => x - y);
      const at = (q: number) => {
        const h = (replicates.length - 1) * q;
        const lo = Math.floor(h);
        return replicates[lo]! + (h - lo) * (replicates[lo + 1]! - replicates[lo]!);
      };
      expect(score.partialTauB).toBeCloseTo(weightedPartial(score.factor, () => 1)!, 12);
      expect(score.bootstrapValid).toBe(replicates.length);
      expect(score.ci95![0]).toBeCloseTo(at(0.025), 12);
      expect(score.ci95![1]).toBeCloseTo(at(0.975), 12);
      const below = replicates.filter((v) => v <= 0).length;
      const above = replicates.filter((v) => v >= 0).length;
      expect(score.pValue).toBeCloseTo(
        Math.min(1, (2 * (1 + Math.min(below, above))) / (replicates.length + 1)),
        12,
      );
      expect(LengthControlledScoreSchema.parse(score)).toEqual(score);
    }
    const [passenger, own] = scores;
    // The passenger's effect goes once length is fixed; the factor's own effect stays.
    expect(passenger!.ci95![0]).toBeLessThan(0);
    expect(passenger!.ci95![1]).toBeGreaterThan(0);
    expect(passenger!.pValue!).toBeGreaterThan(0.05);
    expect(own!.ci95![0]).toBeGreaterThan(0);
    expect(own!.pValue!).toBeLessThan(0.05);
    expect(own!.pValueMonteCarloError!).toBeGreaterThan(0);
  });

  it("adds nothing without bootstrap, and no interval below 6 clusters", () => {
    const [plain] = lengthControlledScores(pairs, manifestations);
    expect(Object.keys(plain!).sort()).toEqual(
      ["factor", "pairs", "tauB", "partialTauB", "lengthTauB", "factorLengthTauB"].sort(),
    );
    const few = pairs.filter((pair) => ["g0", "g1", "g2", "g3", "g4"].includes(pair.group));
    const ids = new Set(few.map((pair) => pair.id));
    const [score] = lengthControlledScores(
      few,
      manifestations.filter((m) => ids.has(m.pairId)),
      { bootstrap: 100 },
    );
    expect(score).toMatchObject({ ci95: null, pValue: null, bootstrapValid: 0 });
    expect(score!.note).toMatch(/Only 5 clusters in the length-controlled score/);
  });
});
