import { type FactorScore, type Profile, ProfileSchema } from "@profilekit/core";
import { describe, expect, it } from "vitest";
import { renderProfileTable } from "./profile-table.js";

const sp = (n: number) => " ".repeat(n);

type Counts = Pick<
  FactorScore,
  "factor" | "tau" | "ci95" | "pValue" | "concordant" | "discordant" | "factorTies" | "missing"
>;

/** A factor score with the fields the table does not show filled in. */
const score = (counts: Counts): FactorScore => ({
  ...counts,
  preferenceTies: 0,
  preferenceOnlyTies: 0,
  bothTies: 0,
  bootstrapValid: 0,
  variants: { tau14: counts.tau, taub: null, tau10: null, tau13: null, tau23: null, acc23: null },
});

const profileOf = (fields: Partial<Profile> & Pick<Profile, "factors">): Profile =>
  ProfileSchema.parse({
    schemaVersion: 1,
    variant: "tau14",
    pairs: 6,
    preferenceTies: 1,
    groups: 6,
    seed: 1,
    bootstrap: 0,
    permutations: 0,
    ...fields,
  });

describe("renderProfileTable", () => {
  it("sorts factors by |tau| (unscored last), pads the columns, and says there was no bootstrap", () => {
    const profile = profileOf({
      factors: [
        score({
          factor: "len",
          tau: 0.6,
          ci95: null,
          pValue: null,
          concordant: 4,
          discordant: 1,
          factorTies: 0,
          missing: 0,
        }),
        score({
          factor: "x",
          tau: null,
          ci95: null,
          pValue: null,
          concordant: 0,
          discordant: 0,
          factorTies: 5,
          missing: 0,
        }),
        score({
          factor: "nov",
          tau: -0.75,
          ci95: null,
          pValue: null,
          concordant: 1,
          discordant: 3,
          factorTies: 0,
          missing: 1,
        }),
      ],
    });
    // Column widths: 6 (factor), 7 (-0.7500), 6 (95% CI), 1, 1, 1, 11 (factor ties), 7 (missing).
    expect(renderProfileTable(profile).split("\n")).toEqual([
      `factor${sp(4)}tau14  95% CI  p  C  D  factor ties  missing`,
      `nov${sp(5)}-0.7500${sp(7)}—  —  1  3${sp(12)}0${sp(8)}1`,
      `len${sp(6)}0.6000${sp(7)}—  —  4  1${sp(12)}0${sp(8)}0`,
      `x${sp(13)}—${sp(7)}—  —  0  0${sp(12)}5${sp(8)}0`,
      "",
      "pairs: 6   preference ties: 1   seed: 1",
      "no bootstrap (B=0)",
    ]);
  });

  it("with attribution: the joint coefficient and the length-controlled score beside tau, and the notes", () => {
    const profile = profileOf({
      pairs: 4,
      preferenceTies: 0,
      groups: 5,
      seed: 7,
      bootstrap: 200,
      permutations: 999,
      factors: [
        score({
          factor: "len",
          tau: 0.5,
          ci95: [0.1, 0.8],
          pValue: 0.02,
          concordant: 3,
          discordant: 1,
          factorTies: 0,
          missing: 0,
        }),
      ],
      attribution: {
        jointRegression: {
          lambda: 1,
          missing: "drop",
          pairs: 4,
          ties: 0,
          dropped: 0,
          used: 4,
          groups: 4,
          seed: 7,
          bootstrap: 200,
          factors: [
            {
              factor: "len",
              encoding: "difference",
              scale: 2,
              coefficient: 1.234,
              ci95: [0.5, 2],
              missing: 0,
            },
          ],
        },
        lengthControlled: [
          { factor: "len", pairs: 4, tauB: 0.5, partialTauB: 0.25, lengthTauB: 0.5, factorLengthTauB: 1 },
        ],
        notes: ["joint regression on 4 pairs"],
      },
    });
    // "1.23 [0.500, 2.000]" is as wide as its header (19); "0.2500" is right-aligned under "length-controlled" (17).
    expect(renderProfileTable(profile).split("\n")).toEqual([
      `factor${sp(3)}tau14${sp(10)}95% CI${sp(7)}p  C  D  factor ties  missing  joint coef [95% CI]  length-controlled`,
      `len${sp(5)}0.5000  [0.100, 0.800]  0.0200  3  1${sp(12)}0${sp(8)}0  1.23 [0.500, 2.000]${sp(13)}0.2500`,
      "",
      "joint coef: L2 logistic regression on all factors at once; length-controlled: partial tau_b, length held fixed",
      "note: joint regression on 4 pairs",
      "pairs: 4   preference ties: 0   seed: 7",
      "95% CI: clustered bootstrap, B=200, 5 groups; p: sign-flip test, R=999",
    ]);
  });

  it('writes a p-value below 0.0001 as "<0.0001"', () => {
    const profile = profileOf({
      factors: [
        score({
          factor: "len",
          tau: 1,
          ci95: null,
          pValue: 0.00002,
          concordant: 6,
          discordant: 0,
          factorTies: 0,
          missing: 0,
        }),
      ],
    });
    expect(renderProfileTable(profile).split("\n")[1]).toBe(
      `len${sp(5)}1.0000${sp(7)}—  <0.0001  6  0${sp(12)}0${sp(8)}0`,
    );
  });

  it("names the interval method, the cluster level and exact p-values, and prints the profile's warnings", () => {
    const factors = [
      score({
        factor: "len",
        tau: 0.5,
        ci95: [0.1, 0.9],
        pValue: 0.03,
        concordant: 3,
        discordant: 1,
        factorTies: 0,
        missing: 0,
      }),
    ];
    const note = (fields: Partial<Profile>) =>
      renderProfileTable(profileOf({ factors, ...fields }))
        .split("\n")
        .slice(-2);
    const warning = "Only 8 clusters in the profile: intervals are by sign-flip inversion.";
    expect(
      note({
        bootstrap: 1000,
        permutations: 9999,
        groups: 8,
        clusterLevel: "source",
        intervalMethod: "sign-flip-inversion",
        pValueMethod: "exact",
        warnings: [warning],
      }),
    ).toEqual([
      "95% CI: sign-flip test inverted (few groups), 8 groups by source; p: sign-flip test, exact",
      `warning: ${warning}`,
    ]);
    expect(
      note({ bootstrap: 1000, permutations: 99, groups: 4, intervalMethod: "none", warnings: ["too few"] }),
    ).toEqual(["no 95% CI (4 groups); p: sign-flip test, R=99", "warning: too few"]);
    expect(
      note({
        bootstrap: 500,
        permutations: 99,
        groups: 40,
        clusterLevel: "prompt",
        intervalMethod: "percentile-bootstrap",
        pValueMethod: "monte-carlo",
      }).at(-1),
    ).toBe("95% CI: clustered bootstrap, B=500, 40 groups by prompt; p: sign-flip test, R=99");
  });
});
