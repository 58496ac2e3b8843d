import { type Manifestation, ProfilekitError } from "@profilekit/spec";

/** The part of a manifestation the pair-level statistics read. */
export type ManifestationLike = Pick<Manifestation, "pairId" | "factor" | "sign" | "valueA" | "valueB">;

/**
 * Manifestations joined to their pairs: `rows[i][f]` is pair i's manifestation of
 * `factors[f]`, undefined when the pair has none (not measured).
 */
export interface ManifestationTable {
  factors: readonly string[];
  rows: readonly (ManifestationLike | undefined)[][];
}

/**
 * Joins manifestations to pairs by pair id. `factors` fixes the factor order (default: order of
 * first appearance); manifestations of other factors are ignored. Throws on duplicate pair ids,
 * on a manifestation naming an unknown pair, and on two manifestations of one pair and factor.
 */
export function tabulateManifestations(
  pairs: readonly { id: string }[],
  manifestations: readonly ManifestationLike[],
  factors?: readonly string[],
): ManifestationTable {
  const factorIds = factors ?? [...new Set(manifestations.map((m) => m.factor))];
  const factorIndex = new Map(factorIds.map((id, f) => [id, f]));
  const rowOf = new Map<string, (ManifestationLike | undefined)[]>();
  const rows = pairs.map((pair) => {
    if (rowOf.has(pair.id)) {
      throw new ProfilekitError("duplicate_pair_id", `Two pairs have the id "${pair.id}".`, {
        hint: "Give every pair a unique id.",
        location: { pairId: pair.id },
      });
    }
    const row = factorIds.map(() => undefined);
    rowOf.set(pair.id, row);
    return row;
  });
  for (const manifestation of manifestations) {
    const f = factorIndex.get(manifestation.factor);
    if (f === undefined) continue;
    const location = { pairId: manifestation.pairId, factor: manifestation.factor };
    const row = rowOf.get(manifestation.pairId);
    if (row === undefined) {
      throw new ProfilekitError(
        "unknown_pair",
        `A manifestation of "${manifestation.factor}" names pair "${manifestation.pairId}", which is not among the pairs.`,
        { hint: "Analyse the manifestations together with the pairs they were extracted from.", location },
      );
    }
    if (row[f] !== undefined) {
      throw new ProfilekitError(
        "duplicate_manifestation",
        `Pair "${manifestation.pairId}" has two manifestations of "${manifestation.factor}".`,
        { hint: "Keep one manifestation per pair and factor.", location },
      );
    }
    row[f] = manifestation;
  }
  return { factors: factorIds, rows };
}
