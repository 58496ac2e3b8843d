import { type ClusterLevel, ClusterLevelSchema, type Pair, ProfilekitError } from "@profilekit/spec";

/**
 * The cluster a pair is resampled with: `pair.group` when set; otherwise one group per
 * input, `input:<hash of source and prompt>`; a pair with neither source nor prompt is its
 * own group, `pair:<id>`. The hash is cyrb53 (53 bits) over source, a field marker and
 * prompt in one pass, so ("ab", "c") and ("a", "bc") differ and an absent field differs from
 * an empty one. Two inputs share a group by accident with probability about n^2 / 2^54
 * (5e-5 at a million distinct inputs).
 */
export function groupKeyOf(pair: Pick<Pair, "id" | "group" | "source" | "prompt">): string {
  if (pair.group !== undefined) return pair.group;
  const { source, prompt } = pair;
  if (source === undefined && prompt === undefined) return `pair:${pair.id}`;
  return `input:${inputHash(source, prompt)}`;
}

/** What `clusterKeyOf` reads of a pair. */
export type ClusteredPair = Pick<Pair, "id" | "group" | "source" | "prompt" | "meta">;

/**
 * The cluster key of a pair at a chosen level (see ClusterLevelSchema): every pair of a profile
 * gets its key at one level, and pairs with the same key are resampled together.
 *
 * | level | key |
 * |---|---|
 * | `auto` | `groupKeyOf(pair)`: `group`, else `input:<hash of source and prompt>`, else `pair:<id>` |
 * | `source+prompt` | `input:<hash of source and prompt>` (as `auto` without `group`), `pair:<id>` with neither |
 * | `source` | `source:<hash of source>` |
 * | `prompt` | `prompt:<hash of prompt>` |
 * | `pair` | `pair:<id>` |
 * | `group` | `group`, as is |
 * | `meta.<key>` | `meta.<key>:<value>` for a string, number or boolean `meta[key]` |
 *
 * The hashes are the 53-bit cyrb53 of `groupKeyOf`, with the field markers, so a generation
 * profile's pairs (which carry their input's source and prompt) get the same keys as the human
 * pairs of that input at the levels source, prompt and source+prompt. A pair that lacks the
 * field its level needs fails with `missing_cluster_field`.
 */
export function clusterKeyOf(pair: ClusteredPair, level: ClusterLevel): string {
  const missing = (field: string): never => {
    throw new ProfilekitError(
      "missing_cluster_field",
      `Pair "${pair.id}" has no ${field}, so it cannot be clustered by ${level}.`,
      {
        hint: "Give every pair that field, or choose a level every pair has (auto falls back from group to source and prompt, then to the pair).",
        location: { pairId: pair.id, field },
      },
    );
  };
  switch (level) {
    case "auto":
      return groupKeyOf(pair);
    case "source+prompt":
      if (pair.source === undefined && pair.prompt === undefined) return `pair:${pair.id}`;
      return `input:${inputHash(pair.source, pair.prompt)}`;
    case "source":
      return pair.source === undefined ? missing("source") : `source:${inputHash(pair.source, undefined)}`;
    case "prompt":
      return pair.prompt === undefined ? missing("prompt") : `prompt:${inputHash(undefined, pair.prompt)}`;
    case "pair":
      return `pair:${pair.id}`;
    case "group":
      return pair.group === undefined ? missing("group") : pair.group;
    default: {
      const parsed = ClusterLevelSchema.safeParse(level);
      if (!parsed.success) {
        throw new ProfilekitError(
          "invalid_cluster_level",
          `Unknown cluster level ${JSON.stringify(level)}.`,
          {
            hint: "A cluster level is auto, source, prompt, source+prompt, pair, group or meta.<key>.",
          },
        );
      }
      const key = level.slice("meta.".length);
      const value = pair.meta?.[key];
      if (typeof value === "string" && value !== "") return `${level}:${value}`;
      if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean") {
        return `${level}:${String(value)}`;
      }
      return missing(`${level} (a non-empty string, a number or a boolean)`);
    }
  }
}

/**
 * cyrb53 (bryc, public domain) over both fields: for each, a marker for absent/present, then
 * its characters, then its length. It runs once per pair over the whole source and prompt,
 * so the state stays in two local variables (a hashing object's fields cost ~10x here).
 */
function inputHash(source: string | undefined, prompt: string | undefined): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let field = 0; field < 2; field++) {
    const text = field === 0 ? source : prompt;
    const marker = text === undefined ? 0x110000 : 0x110001;
    h1 = Math.imul(h1 ^ marker, 2654435761);
    h2 = Math.imul(h2 ^ marker, 1597334677);
    if (text === undefined) continue;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    const end = 0x110002 + text.length;
    h1 = Math.imul(h1 ^ end, 2654435761);
    h2 = Math.imul(h2 ^ end, 1597334677);
  }
  let f1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  f1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  let f2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  f2 ^= Math.imul(f1 ^ (f1 >>> 13), 3266489909);
  // Hex by bytes: Number#toString(16) is slow for values beyond 31 bits.
  return byteHex(f2 >>> 16, 0x1f) + byteHex(f2 >>> 8) + byteHex(f2) + hex32(f1);
}

const hexDigits = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const byteHex = (value: number, mask = 0xff): string => hexDigits[value & mask]!;
const hex32 = (value: number): string =>
  byteHex(value >>> 24) + byteHex(value >>> 16) + byteHex(value >>> 8) + byteHex(value);
