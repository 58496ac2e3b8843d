import { cyrb53 } from "./hash.js";

/** A seeded stream of random numbers. */
export interface Random {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** A uniform integer in [0, n), without modulo bias; `n` is an integer in [1, 2^32]. */
  nextInt(n: number): number;
}

const TWO_POW_32 = 4294967296;

/**
 * A stream of xoshiro128** whose 128-bit state is four cyrb53 hashes (seeds 0..3, low 32
 * bits each) of `${seed}/${purpose}`. Every (seed, purpose) has its own stream, so a caller
 * seeds per item (e.g. purpose "bootstrap/17") and nothing depends on call order elsewhere.
 */
export function createRandom(seed: number, purpose: string): Random {
  const key = `${seed}/${purpose}`;
  return new Xoshiro128StarStar([cyrb53(key, 0), cyrb53(key, 1), cyrb53(key, 2), cyrb53(key, 3)]);
}

/**
 * xoshiro128** 1.1 (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
 * 2018; prng.di.unimi.it/xoshiro128starstar.c), from four state words (their low 32 bits).
 * The state lives in an Int32Array and the methods on the prototype, which V8 inlines into
 * the bootstrap's loops; closures over plain variables ran about twice as slow.
 */
export class Xoshiro128StarStar implements Random {
  readonly #s: Int32Array;

  constructor(state: readonly [number, number, number, number]) {
    this.#s = Int32Array.from(state); // ToInt32 keeps the low 32 bits
    if ((this.#s[0]! | this.#s[1]! | this.#s[2]! | this.#s[3]!) === 0) this.#s[0] = 1; // zero stays zero
  }

  nextUint32(): number {
    const s = this.#s;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = rotl(s3, 11);
    return Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  }

  nextInt(n: number): number {
    // Lemire (2019), "Fast random integer generation in an interval": the high 32 bits of
    // x * n, rejecting the few x whose low 32 bits fall under 2^32 mod n.
    let x = this.nextUint32();
    let low = Math.imul(x, n) >>> 0;
    if (low < n) {
      const threshold = (TWO_POW_32 - n) % n;
      while (low < threshold) {
        x = this.nextUint32();
        low = Math.imul(x, n) >>> 0;
      }
    }
    // x * n is exact in a double below 2^53; above, build it from the 16-bit halves of x.
    if (n <= 2 ** 21) return Math.floor((x * n) / TWO_POW_32);
    return Math.floor(((x >>> 16) * n + Math.floor(((x & 0xffff) * n) / 65536)) / 65536);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
