import type { Profile } from "@profilekit/core";
import { plainTable } from "./tables.js";

const formatTau = (value: number | null): string => (value === null ? "—" : value.toFixed(4));
const formatInterval = (ci: readonly [number, number] | null): string =>
  ci === null ? "—" : `[${ci[0].toFixed(3)}, ${ci[1].toFixed(3)}]`;
const formatP = (p: number | null): string => (p === null ? "—" : p < 0.0001 ? "<0.0001" : p.toFixed(4));

/** Factors by |tau|, largest first; factors without a score last. */
function sortByStrength<T extends { tau: number | null; factor: string }>(factors: readonly T[]): T[] {
  return [...factors].sort((x, y) => {
    if (x.tau === null || y.tau === null) return x.tau === null ? (y.tau === null ? 0 : 1) : -1;
    return Math.abs(y.tau) - Math.abs(x.tau) || x.factor.localeCompare(y.factor);
  });
}

/**
 * The profile as a plain-text table, sorted by |tau|, with the pair counts under it. With
 * attribution, two columns stand beside tau: the factor's joint-regression coefficient
 * (other factors held fixed) and its length-controlled partial tau.
 */
export function renderProfileTable(profile: Profile): string {
  const joint = new Map(profile.attribution?.jointRegression?.factors.map((f) => [f.factor, f]) ?? []);
  const controlled = new Map(profile.attribution?.lengthControlled?.map((f) => [f.factor, f]) ?? []);
  const withAttribution = joint.size > 0 || controlled.size > 0;
  const header = [
    "factor",
    profile.variant,
    "95% CI",
    "p",
    "C",
    "D",
    "factor ties",
    "missing",
    ...(withAttribution ? ["joint coef [95% CI]", "length-controlled"] : []),
  ];
  const rows = sortByStrength(profile.factors).map((f) => [
    f.factor,
    formatTau(f.tau),
    formatInterval(f.ci95),
    formatP(f.pValue),
    String(f.concordant),
    String(f.discordant),
    String(f.factorTies),
    String(f.missing),
    ...(withAttribution
      ? [
          joint.get(f.factor)?.coefficient != null
            ? `${joint.get(f.factor)!.coefficient!.toFixed(2)} ${formatInterval(joint.get(f.factor)!.ci95 ?? null)}`
            : "—",
          formatTau(controlled.get(f.factor)?.partialTauB ?? null),
        ]
      : []),
  ]);
  // "auto" (each pair's group, else its source and prompt) says nothing a reader can use.
  const level = profile.clusterLevel === "auto" ? undefined : profile.clusterLevel;
  const groups = `${profile.groups} groups${level ? ` by ${level}` : ""}`;
  const ciNote =
    profile.intervalMethod === "sign-flip-inversion"
      ? `95% CI: sign-flip test inverted (few groups), ${groups}; p: sign-flip test, ${profile.pValueMethod === "exact" ? "exact" : `R=${profile.permutations}`}`
      : profile.intervalMethod === "none"
        ? `no 95% CI (${groups}); p: sign-flip test, R=${profile.permutations}`
        : profile.bootstrap > 0
          ? `95% CI: clustered bootstrap, B=${profile.bootstrap}, ${groups}; p: sign-flip test, ${profile.pValueMethod === "exact" ? "exact" : `R=${profile.permutations}`}`
          : "no bootstrap (B=0)";
  const notes = profile.attribution?.notes ?? [];
  return [
    ...plainTable({ head: header, rows }),
    "",
    ...(withAttribution
      ? [
          "joint coef: L2 logistic regression on all factors at once; length-controlled: partial tau_b, length held fixed",
        ]
      : []),
    ...notes.map((note) => `note: ${note}`),
    `pairs: ${profile.pairs}   preference ties: ${profile.preferenceTies}   seed: ${profile.seed}`,
    ciNote,
    ...(profile.warnings ?? []).map((warning) => `warning: ${warning}`),
  ].join("\n");
}
