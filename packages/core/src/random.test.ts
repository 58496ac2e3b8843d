import { describe, expect, it } from "vitest";
import { cyrb53 } from "./hash.js";
import { createRandom, Xoshiro128StarStar } from "./random.js";

describe("Xoshiro128StarStar", () => {
  it("matches the reference implementation's output for state (1, 2, 3, 4)", () => {
    // The first outputs of prng.di.unimi.it/xoshiro128starstar.c from s = {1, 2, 3, 4}, as in
    // the test vectors of the rand_xoshiro crate.
    const generator = new Xoshiro128StarStar([1, 2, 3, 4]);
    expect(Array.from({ length: 10 }, () => generator.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });
});

describe("cyrb53", () => {
  it("matches values computed by an independent Python port", () => {
    expect(cyrb53("a")).toBe(7929297801672961);
    expect(cyrb53("hello world")).toBe(3259054761512980);
    expect(cyrb53("hello world", 1)).toBe(6759793827125);
  });
});

describe("createRandom", () => {
  it('seeds xoshiro128** from cyrb53 of "<seed>/<purpose>" (values from the Python port)', () => {
    const random = createRandom(42, "bootstrap/0");
    expect(Array.from({ length: 5 }, () => random.nextUint32())).toEqual([
      3922216499, 159406842, 228073118, 1712393450, 3799192928,
    ]);
  });

  it("gives a separate stream per seed and per purpose", () => {
    const first = (seed: number, purpose: string) => createRandom(seed, purpose).nextUint32();
    expect(first(1, "x")).toBe(first(1, "x"));
    expect(first(1, "x")).not.toBe(first(2, "x"));
    expect(first(1, "x")).not.toBe(first(1, "y"));
  });

  it("draws every integer of [0, n) about equally often", () => {
    const random = createRandom(7, "uniformity");
    const n = 6;
    const draws = 60_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[random.nextInt(n)]!++;
    // Chi-square with 5 degrees of freedom; 20.5 is its 0.999 quantile.
    const expected = draws / n;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(20.5);
  });

  it("draws like an independent BigInt rejection sampler on the same stream", () => {
    for (const n of [1, 3, 10_000, 2 ** 21 + 3, 2 ** 31 + 11, 2 ** 32 - 1, 2 ** 32]) {
      const random = createRandom(5, `n=${n}`);
      const words = createRandom(5, `n=${n}`);
      const reference = () => {
        // Multiply-shift with rejection: m = x * n; reject when m mod 2^32 < 2^32 mod n.
        for (;;) {
          const m = BigInt(words.nextUint32()) * BigInt(n);
          if ((m & 0xffffffffn) >= 2n ** 32n % BigInt(n)) return Number(m >> 32n);
        }
      };
      for (let i = 0; i < 2000; i++) expect(random.nextInt(n)).toBe(reference());
    }
  });

  it("stays in range for n = 1 and n = 2^32", () => {
    const random = createRandom(3, "edges");
    for (let i = 0; i < 100; i++) {
      expect(random.nextInt(1)).toBe(0);
      const x = random.nextInt(2 ** 32);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(2 ** 32);
    }
  });
});
