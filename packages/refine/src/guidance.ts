import type { FactorPlugin } from "@profilekit/spec";

/** What guidance reads of a profile: each factor's score (profile.json fits). */
export interface FactorScores {
  readonly factors: readonly { readonly factor: string; readonly tau: number | null }[];
}

/** One line of factor guidance, and why it is there. */
export interface GuidanceLine {
  readonly factor: string;
  /** `strong`: among the human profile's strongest factors; `opposite`: the generation profile has the other sign. */
  readonly reason: "strong" | "opposite";
  readonly human: number;
  /** The plain generation profile's score, when it scored the factor. */
  readonly generation: number | null;
  readonly text: string;
}

/** The guidance of guided generation: its lines, and the text they make. */
export interface FactorGuidance {
  readonly lines: readonly GuidanceLine[];
  readonly text: string;
}

const score = (value: number) => `${value >= 0 ? "+" : "−"}${Math.abs(value).toFixed(2)}`;

/**
 * The guidance guided generation adds to the generation prompt, from the human profile and the
 * model's plain generation profile:
 *
 * - the human profile's `top` strongest factors (largest |tau|, ties by id), each with its sign:
 *   "More X (definition) makes a response better";
 * - every factor whose generation score has the opposite sign of the human one (both non-zero):
 *   "Do not add X to reach a higher score: careful readers prefer less of it" (or "do not cut").
 *
 * Factors without a score in the human profile, or unknown to `factors`, are left out. A factor
 * in both lists gets one line, the opposite-sign one (it says more).
 */
export function factorGuidance(
  human: FactorScores,
  generation: FactorScores | undefined,
  factors: readonly FactorPlugin[],
  top: number,
): FactorGuidance {
  const plugins = new Map(factors.map((plugin) => [plugin.id, plugin]));
  const generated = new Map((generation?.factors ?? []).map((f) => [f.factor, f.tau]));
  const scored = human.factors.filter(
    (f): f is typeof f & { tau: number } => f.tau !== null && plugins.has(f.factor),
  );
  const opposite = scored.filter((f) => {
    const g = generated.get(f.factor);
    return g !== undefined && g !== null && f.tau !== 0 && g !== 0 && Math.sign(g) !== Math.sign(f.tau);
  });
  const oppositeIds = new Set(opposite.map((f) => f.factor));
  const strongest = [...scored]
    .filter((f) => f.tau !== 0)
    .sort((x, y) => Math.abs(y.tau) - Math.abs(x.tau) || (x.factor < y.factor ? -1 : 1))
    .slice(0, top)
    .filter((f) => !oppositeIds.has(f.factor));
  const line = (f: (typeof scored)[number], reason: GuidanceLine["reason"]): GuidanceLine => {
    const plugin = plugins.get(f.factor)!;
    const name = `${plugin.title.toLowerCase()} (${plugin.id}: ${plugin.definition.replace(/\.$/, "")})`;
    const generationScore = generated.get(f.factor) ?? null;
    const text =
      reason === "strong"
        ? `${f.tau > 0 ? "More" : "Less"} ${name} makes a response better for careful readers (factor score ${score(f.tau)}).`
        : `Do not ${f.tau < 0 ? "add" : "cut"} ${name} to reach a higher score: careful readers prefer ${f.tau < 0 ? "less" : "more"} of it (factor score ${score(f.tau)}; your own writing scores it ${score(generationScore!)}).`;
    return { factor: f.factor, reason, human: f.tau, generation: generationScore, text };
  };
  const lines = [...strongest.map((f) => line(f, "strong")), ...opposite.map((f) => line(f, "opposite"))];
  // Factor texts are shown inside a prompt template: a "{{" would read as a placeholder.
  const text = lines
    .map((l) => `- ${l.text}`)
    .join("\n")
    .replaceAll("{{", "{ {");
  return { lines, text };
}
