import { createRandom } from "@profilekit/core";
import { ProfilekitError, type SplitFile } from "@profilekit/spec";

/** How split.json says an input's side is drawn. */
const rule =
  "held out when u = createRandom(seed, 'split/<input id>').nextUint32() / 2^32 < heldOutShare (core's xoshiro128** seeded by cyrb53), else train; " +
  "when that leaves a side empty, the input whose u is nearest to it moves to it";

/**
 * The train and held-out inputs of self-data: each input's side is drawn from the seed and its id
 * alone (never from the order of the inputs, nor from anything a model said), so the same inputs
 * and seed always split the same way and adding an input moves no other. Each side gets one input
 * at least: when the draws leave one empty (few inputs), the input whose draw is nearest to it
 * moves there. Ids keep their order. Fails with `invalid_split` for fewer than two inputs.
 */
export function splitInputs(inputIds: readonly string[], seed: number, heldOutShare: number): SplitFile {
  if (inputIds.length < 2) {
    throw new ProfilekitError(
      "invalid_split",
      `${inputIds.length} input${inputIds.length === 1 ? "" : "s"} cannot be split into training and held-out inputs`,
      {
        hint: "give self-data two inputs at least (many more, for a data profile and an after check that mean anything)",
      },
    );
  }
  const draws = inputIds.map((id) => createRandom(seed, `split/${id}`).nextUint32() / 2 ** 32);
  const heldOut = draws.map((u) => u < heldOutShare);
  const nearest = (pick: (a: number, b: number) => boolean) =>
    draws.reduce((best, u, i) => (pick(u, draws[best]!) ? i : best), 0);
  if (!heldOut.includes(true)) heldOut[nearest((a, b) => a < b)] = true;
  if (!heldOut.includes(false)) heldOut[nearest((a, b) => a > b)] = false;
  return {
    schemaVersion: 1,
    seed,
    heldOutShare,
    rule,
    train: inputIds.filter((_, i) => !heldOut[i]),
    heldOut: inputIds.filter((_, i) => heldOut[i]),
  };
}
