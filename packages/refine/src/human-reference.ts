import type { GroupCounts } from "@profilekit/core";
import { type ProfileInput, readProfileInput } from "@profilekit/runner";
import { ProfilekitError } from "@profilekit/spec";

/** The human profile an improvement aims at, with the group counts its paired intervals draw from. */
export type HumanReference = ProfileInput & { readonly groupCounts: GroupCounts };

/**
 * Reads the human profile (a profile.json, its run folder, or one read already) and checks that it
 * can be paired: its groups.json (the counts per cluster) must be there, and its Kendall variant
 * must be the run's.
 */
export async function readHumanReference(
  human: string | ProfileInput,
  variant: string,
): Promise<HumanReference> {
  const input = typeof human === "string" ? await readProfileInput(human, { role: "human" }) : human;
  if (input.groupCounts === undefined) {
    throw new ProfilekitError(
      "missing_group_counts",
      `the human profile ${input.file} has no groups.json beside it: improvement.json's intervals are paired over the inputs and need its counts per cluster`,
      {
        location: { file: input.file },
        hint: "profile the human labels again with this release (profilekit analyze, or analyze --run <folder> to re-score without model calls)",
      },
    );
  }
  if (input.profile.variant !== variant) {
    throw new ProfilekitError(
      "variant_mismatch",
      `the human profile ${input.file} was scored with ${input.profile.variant}, this run with ${variant}`,
      {
        location: { file: input.file, field: "variant" },
        hint: `run with --variant ${input.profile.variant}, or re-score the human profile with --variant ${variant}`,
      },
    );
  }
  return input as HumanReference;
}
