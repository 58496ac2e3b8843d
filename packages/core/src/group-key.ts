import type { Pair } from "@profilekit/spec";
import { cyrb53 } from "./hash.js";

/**
 * The cluster a pair is resampled with: `pair.group` when set; otherwise one group per
 * input, `input:<hash of source and prompt>` (two 53-bit cyrb53 hashes of the JSON array
 * [source, prompt], so ("ab", "c") and ("a", "bc") differ and an absent field differs from
 * an empty one); a pair with neither source nor prompt is its own group, `pair:<id>`.
 */
export function groupKeyOf(pair: Pick<Pair, "id" | "group" | "source" | "prompt">): string {
  if (pair.group !== undefined) return pair.group;
  if (pair.source === undefined && pair.prompt === undefined) return `pair:${pair.id}`;
  const text = JSON.stringify([pair.source ?? null, pair.prompt ?? null]);
  return `input:${hex(cyrb53(text, 0))}${hex(cyrb53(text, 1))}`;
}

function hex(hash: number): string {
  return hash.toString(16).padStart(14, "0");
}
