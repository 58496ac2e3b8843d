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
