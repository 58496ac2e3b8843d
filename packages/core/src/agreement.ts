import { type Label, ProfilekitError } from "@profilekit/spec";
import { z } from "zod";

/**
 * How two sets of labels over the same pairs agree, typically human labels against a model's
 * verdicts (the `judge` command). Every statistic is null when it has nothing to count.
 */
export const LabelAgreementSchema = z.object({
  pairs: z.number().int().nonnegative().describe("Pairs labelled by both."),
  accuracy: z.number().nullable().describe("Share of pairs with the same label, ties included."),
  accuracyWithoutTies: z
    .number()
    .nullable()
    .describe("Share of same labels over the pairs where neither label is a tie."),
  decisivePairs: z.number().int().nonnegative().describe("Pairs where neither label is a tie."),
  cohenKappa: z.number().nullable().describe("Cohen's kappa over the labels a, b and tie."),
  referenceTieRate: z.number().nullable().describe("Share of ties among the reference labels."),
  candidateTieRate: z.number().nullable().describe("Share of ties among the candidate labels."),
});
export type LabelAgreement = z.infer<typeof LabelAgreementSchema>;

const LABELS: readonly Label[] = ["a", "b", "tie"];

/**
 * All of this module's agreement statistics between a reference labelling (human) and a
 * candidate (a model), pair i of one against pair i of the other.
 */
export function labelAgreement(reference: readonly Label[], candidate: readonly Label[]): LabelAgreement {
  checkSameLength(reference, candidate);
  const decisive = accuracyWithoutTies(reference, candidate);
  return {
    pairs: reference.length,
    accuracy: share(reference.filter((label, i) => label === candidate[i]).length, reference.length),
    accuracyWithoutTies: decisive.value,
    decisivePairs: decisive.pairs,
    cohenKappa: cohenKappa(reference, candidate),
    referenceTieRate: tieRate(reference),
    candidateTieRate: tieRate(candidate),
  };
}

/**
 * Cohen's kappa (Cohen 1960) over the three labels a, b and tie:
 *
 *     kappa = (po - pe) / (1 - pe),   po = share of pairs with the same label,
 *     pe = sum over labels l of (share of l in first) * (share of l in second).
 *
 * Null when there are no pairs or pe = 1 (both raters gave one and the same label throughout,
 * so chance agreement is perfect and kappa is 0/0).
 */
export function cohenKappa(first: readonly Label[], second: readonly Label[]): number | null {
  checkSameLength(first, second);
  const n = first.length;
  if (n === 0) return null;
  let agreements = 0;
  const firstCounts = new Map<Label, number>();
  const secondCounts = new Map<Label, number>();
  for (let i = 0; i < n; i++) {
    const x = first[i]!;
    const y = second[i]!;
    if (x === y) agreements++;
    firstCounts.set(x, (firstCounts.get(x) ?? 0) + 1);
    secondCounts.set(y, (secondCounts.get(y) ?? 0) + 1);
  }
  const po = agreements / n;
  let pe = 0;
  for (const label of LABELS)
    pe += ((firstCounts.get(label) ?? 0) / n) * ((secondCounts.get(label) ?? 0) / n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/**
 * Accuracy without ties: the share of pairs with the same label among the pairs where NEITHER
 * label is a tie (`pairs` says how many). This is the "without tie" agreement of MT-Bench
 * (Zheng et al. 2023, setup S2). It is symmetric in the two labellings, and it separates
 * direction from tie propensity: the tie rates say how often each side abstained. (The
 * alternative, "over the reference's non-tie pairs, a candidate tie counts as wrong", mixes
 * the two, and is ordinary accuracy restricted to the reference's decisive pairs.)
 */
export function accuracyWithoutTies(
  reference: readonly Label[],
  candidate: readonly Label[],
): { value: number | null; pairs: number } {
  checkSameLength(reference, candidate);
  let pairs = 0;
  let agreements = 0;
  for (let i = 0; i < reference.length; i++) {
    const x = reference[i]!;
    const y = candidate[i]!;
    if (x === "tie" || y === "tie") continue;
    pairs++;
    if (x === y) agreements++;
  }
  return { value: share(agreements, pairs), pairs };
}

/** The share of ties among the labels; null for no labels. */
export function tieRate(labels: readonly Label[]): number | null {
  return share(labels.filter((label) => label === "tie").length, labels.length);
}

/**
 * A model's verdict on one pair in both presentation orders. `original` was given with the
 * pair as stored (a first); `swapped` was given with b shown first, and says which position
 * won in THAT presentation ("a" means the response shown first, which is the stored b).
 * Null means the model gave no usable verdict in that order.
 */
export interface OrderedVerdicts {
  original: Label | null;
  swapped: Label | null;
}

/** Maps a verdict given in the swapped presentation back to the stored order. */
export function unswapLabel(label: Label): Label {
  return label === "a" ? "b" : label === "b" ? "a" : "tie";
}

/**
 * Position consistency: among the pairs with a verdict in both orders (`pairs`), the share
 * whose two verdicts agree once the swapped one is mapped back (a tie in both orders agrees).
 * A judge without position bias scores 1.
 */
export function positionConsistency(verdicts: readonly OrderedVerdicts[]): {
  value: number | null;
  pairs: number;
} {
  let pairs = 0;
  let consistent = 0;
  for (const { original, swapped } of verdicts) {
    if (original === null || swapped === null) continue;
    pairs++;
    if (original === unswapLabel(swapped)) consistent++;
  }
  return { value: share(consistent, pairs), pairs };
}

function share(count: number, total: number): number | null {
  return total === 0 ? null : count / total;
}

function checkSameLength(first: readonly Label[], second: readonly Label[]): void {
  if (first.length !== second.length) {
    throw new ProfilekitError(
      "label_count_mismatch",
      `Cannot compare ${first.length} labels with ${second.length}: both must label the same pairs.`,
      { hint: "Align the two label sets by pair id, and drop the pairs that only one of them labelled." },
    );
  }
}
