import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import type { ProfileAccumulator } from "./accumulator.js";
import { CELLS, type CountTable, countByGroup } from "./count-table.js";

const count = z.number().int().nonnegative();

/**
 * What a profile's bootstrap and sign-flip test are made from, as data: per group (its key's
 * 53-bit hash, as the accumulator stores it) and per factor the five counts C, D, Tf, Tp, Tb.
 * A runner writes it beside profile.json (one JSON object), so that a profile can be re-drawn
 * later (`profileFromGroupCounts`) and compared with another on the same group draws
 * (`alignGroupCounts`). Layout: `counts[(g * factors.length + f) * 5 + cell]`, groups in order of
 * first appearance, cells in the order C, D, Tf, Tp, Tb; 10,000 groups x 15 factors is 750,000
 * small integers, about 1.6 MB of JSON.
 */
export const GroupCountsSchema = z
  .object({
    schemaVersion: z.literal(1),
    clusterLevel: z
      .string()
      .min(1)
      .optional()
      .describe("How the group keys were derived (a ClusterLevel such as source+prompt), when known."),
    pairs: count.describe("All pairs added."),
    preferenceTies: count.describe("Pairs labelled tie."),
    factors: z.array(z.string().min(1)).describe("The factor ids, in the profile's order."),
    missing: z.array(count).describe("Per factor, the pairs whose sign was null."),
    keys: z
      .array(count.max(Number.MAX_SAFE_INTEGER))
      .describe("Per group, the cyrb53 hash of its key (groupHash), in order of first appearance."),
    counts: z.array(count).describe("Per group, per factor: C, D, Tf, Tp, Tb."),
  })
  .check((context) => {
    const data = context.value;
    const problem = groupCountsProblem(data);
    if (problem !== undefined) context.issues.push({ code: "custom", message: problem, input: data });
  });
export type GroupCounts = z.infer<typeof GroupCountsSchema>;

/** Why the arrays of a GroupCounts do not fit together, or undefined when they do. */
function groupCountsProblem(data: Omit<GroupCounts, "schemaVersion" | "clusterLevel">): string | undefined {
  const { factors, keys, counts, missing, pairs, preferenceTies } = data;
  if (new Set(factors).size !== factors.length) return "factors lists a factor twice";
  if (missing.length !== factors.length)
    return `missing has ${missing.length} entries for ${factors.length} factors`;
  if (counts.length !== keys.length * factors.length * CELLS) {
    return `counts has ${counts.length} entries; ${keys.length} groups x ${factors.length} factors x ${CELLS} cells need ${keys.length * factors.length * CELLS}`;
  }
  if (new Set(keys).size !== keys.length) return "keys lists a group twice";
  if (preferenceTies > pairs) return `preferenceTies (${preferenceTies}) exceeds pairs (${pairs})`;
  for (let f = 0; f < factors.length; f++) {
    let measured = 0;
    for (let g = 0; g < keys.length; g++) {
      for (let cell = 0; cell < CELLS; cell++) measured += counts[(g * factors.length + f) * CELLS + cell]!;
    }
    if (measured + missing[f]! !== pairs) {
      return `factor "${factors[f]}" counts ${measured} measured and ${missing[f]} missing pairs, not ${pairs}`;
    }
  }
  return undefined;
}

/**
 * The group counts of an accumulator (see `GroupCountsSchema`); the same pairs added in the same
 * order give the same object. `clusterLevel` records how the group keys were derived.
 */
export function groupCountsOf(
  accumulator: ProfileAccumulator,
  options: { clusterLevel?: string } = {},
): GroupCounts {
  const table = countByGroup(accumulator);
  let preferenceTies = 0;
  for (const p of accumulator.preferences()) if (p === 0) preferenceTies++;
  return {
    schemaVersion: 1,
    ...(options.clusterLevel === undefined ? {} : { clusterLevel: options.clusterLevel }),
    pairs: accumulator.size,
    preferenceTies,
    factors: [...accumulator.factorIds],
    missing: [...table.missing],
    keys: [...table.keys],
    counts: [...table.counts],
  };
}

/** The count table of group counts, checked; throws `invalid_group_counts` when they do not fit. */
export function countTableOf(data: GroupCounts): CountTable {
  const problem = groupCountsProblem(data);
  if (problem !== undefined) {
    throw new ProfilekitError("invalid_group_counts", `Invalid group counts: ${problem}.`, {
      hint: "Use the group counts file written with the profile, unchanged (GroupCountsSchema).",
    });
  }
  return {
    groups: data.keys.length,
    factors: data.factors.length,
    keys: Float64Array.from(data.keys),
    counts: Int32Array.from(data.counts),
    missing: Int32Array.from(data.missing),
  };
}
