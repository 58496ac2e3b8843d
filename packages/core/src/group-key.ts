import type { Pair } from "@profilekit/spec";

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
  if (pair.source === undefined && pair.prompt === undefined) return `pair:${pair.id}`;
  const hash = new InputHash();
  hash.field(pair.source);
  hash.field(pair.prompt);
  return `input:${hash.hex()}`;
}

/** cyrb53 (bryc, public domain) over several fields. */
class InputHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  /** Mixes one field: a marker for absent/present, then its characters, then its length. */
  field(text: string | undefined): void {
    this.mix(text === undefined ? 0x110000 : 0x110001);
    if (text === undefined) return;
    for (let i = 0; i < text.length; i++) this.mix(text.charCodeAt(i));
    this.mix(0x110002 + text.length);
  }

  private mix(code: number): void {
    this.h1 = Math.imul(this.h1 ^ code, 2654435761);
    this.h2 = Math.imul(this.h2 ^ code, 1597334677);
  }

  /** The 53-bit digest as 14 hex digits. */
  hex(): string {
    let h1 = Math.imul(this.h1 ^ (this.h1 >>> 16), 2246822507);
    h1 ^= Math.imul(this.h2 ^ (this.h2 >>> 13), 3266489909);
    let h2 = Math.imul(this.h2 ^ (this.h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    // Hex by bytes: Number#toString(16) is slow for values beyond 31 bits.
    return byteHex(h2 >>> 16, 0x1f) + byteHex(h2 >>> 8) + byteHex(h2) + hex32(h1);
  }
}

const hexDigits = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const byteHex = (value: number, mask = 0xff): string => hexDigits[value & mask]!;
const hex32 = (value: number): string =>
  byteHex(value >>> 24) + byteHex(value >>> 16) + byteHex(value >>> 8) + byteHex(value);
