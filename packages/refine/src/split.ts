import { createRandom } from "@profilekit/core";
import { ProfilekitError, type SplitFile } from "@profilekit/spec";

/** How split.json says an input's side is drawn. */
const rule =
  "held out when createRandom(seed, 'split/<input id>').nextUint32() / 2^32 < heldOutShare (core's xoshiro128** seeded by cyrb53), else train";

/**
 * The train and held-out inputs of self-data: each input's side is drawn from the seed and its id
 * alone (never from the order of the inputs, nor from anything a model said), so the same inputs
 * and seed always split the same way and adding an input moves no other. Ids keep their order.
 * Fails with `invalid_split` when a side would be empty.
 */
export function splitInputs(inputIds: readonly string[], seed: number, heldOutShare: number): SplitFile {
  const train: string[] = [];
  const heldOut: string[] = [];
  for (const id of inputIds) {
    const u = createRandom(seed, `split/${id}`).nextUint32() / 2 ** 32;
    (u < heldOutShare ? heldOut : train).push(id);
  }
  if (train.length === 0 || heldOut.length === 0) {
    throw new ProfilekitError(
      "invalid_split",
      `${inputIds.length} inputs split at a held-out share of ${heldOutShare} leave ${train.length} for training and ${heldOut.length} held out: both sides need one at least`,
      {
        hint: "use more inputs, or another held-out share (heldOut, default 0.2) or seed",
      },
    );
  }
  return { schemaVersion: 1, seed, heldOutShare, rule, train, heldOut };
}
