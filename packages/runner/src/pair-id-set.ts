/**
 * Remembers which pair ids have been seen, in about 16 bytes per id whatever the
 * ids' length: each id is kept as a 64-bit fingerprint (two cyrb53-style 32-bit
 * lanes) in an open-addressing table. Two different ids share a fingerprint with
 * probability about n^2 / 2^65 (3e-8 at a million pairs), so `add` reports a
 * repeat only for a real repeat in all but astronomically rare cases.
 */
export class PairIdSet {
  private high = new Uint32Array(1 << 12);
  private low = new Uint32Array(1 << 12);
  private used = new Uint8Array(1 << 12);
  private count = 0;
  /** Where `add` writes an id's fingerprint: one buffer for every call, not one per id. */
  private readonly scratch = new Uint32Array(2);

  get size(): number {
    return this.count;
  }

  /** Adds an id; returns false when it was already there. */
  add(id: string): boolean {
    writeIdFingerprint(id, this.scratch, 0);
    return this.addFingerprint(this.scratch[0]!, this.scratch[1]!);
  }

  /** Adds an id by its fingerprint (see {@link writeIdFingerprint}); returns false when it was already there. */
  addFingerprint(high: number, low: number): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    return this.insert(high, low);
  }

  private insert(high: number, low: number): boolean {
    const mask = this.used.length - 1;
    for (let slot = (high ^ low) & mask; ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.high[slot] = high;
        this.low[slot] = low;
        this.count++;
        return true;
      }
      if (this.high[slot] === high && this.low[slot] === low) return false;
    }
  }

  private grow(): void {
    const { high, low, used } = this;
    this.high = new Uint32Array(used.length * 2);
    this.low = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot++) if (used[slot] === 1) this.insert(high[slot]!, low[slot]!);
  }
}

/**
 * Writes the 64-bit fingerprint of a pair id into `into[at]` (high lane) and `into[at + 1]`
 * (low lane), so that ids can be fingerprinted in the thread that read them and checked in another.
 */
export function writeIdFingerprint(id: string, into: Uint32Array, at: number): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  into[at] = h1 >>> 0;
  into[at + 1] = h2 >>> 0;
}
