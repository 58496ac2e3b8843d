import { setTimeout as delay } from "node:timers/promises";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RequestScheduler, TokenBucket } from "./scheduler.js";

/** A clock that only moves when something sleeps on it. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("RequestScheduler concurrency", () => {
  it("never has more than `concurrency` leases out, and reaches it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 25 }),
        async (concurrency, durations) => {
          const scheduler = new RequestScheduler({ concurrency, adaptive: false });
          let active = 0;
          let peak = 0;
          await Promise.all(
            durations.map(async (ms) => {
              const lease = await scheduler.acquire(0);
              active += 1;
              peak = Math.max(peak, active);
              await delay(ms);
              active -= 1;
              lease.release({ ok: true });
            }),
          );
          expect(peak).toBeLessThanOrEqual(concurrency);
          expect(peak).toBe(Math.min(concurrency, durations.length));
          expect(scheduler.maxInFlight).toBe(peak);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("gives a waiter's slot back when its signal aborts", async () => {
    const scheduler = new RequestScheduler({ concurrency: 1 });
    const held = await scheduler.acquire(0);
    const controller = new AbortController();
    const waiting = scheduler.acquire(0, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
    held.release({ ok: true });
    const next = await scheduler.acquire(0);
    next.release({ ok: true });
    expect(scheduler.maxInFlight).toBe(1);
  });
});

describe("RequestScheduler AIMD", () => {
  it("halves once per round of 429s and climbs back one per `limit` successes", async () => {
    const limits: number[] = [];
    const scheduler = new RequestScheduler({ concurrency: 8, onLimitChange: (limit) => limits.push(limit) });
    const round0 = await Promise.all([scheduler.acquire(0), scheduler.acquire(0), scheduler.acquire(0)]);
    round0[0]!.release({ rateLimited: true });
    round0[1]!.release({ rateLimited: true }); // same round: no second cut
    expect(scheduler.limit).toBe(4);
    const round1 = await scheduler.acquire(0);
    round1.release({ rateLimited: true });
    expect(scheduler.limit).toBe(2);
    round0[2]!.release({ ok: true });
    for (let i = 0; i < 1; i += 1) (await scheduler.acquire(0)).release({ ok: true });
    expect(scheduler.limit).toBe(3); // 2 successes at limit 2 -> 3
    for (let i = 0; i < 3; i += 1) (await scheduler.acquire(0)).release({ ok: true });
    expect(scheduler.limit).toBe(4);
    expect(limits).toEqual([4, 2, 3, 4]);
  });

  it("stays put when not adaptive", async () => {
    const scheduler = new RequestScheduler({ concurrency: 8, adaptive: false });
    (await scheduler.acquire(0)).release({ rateLimited: true });
    expect(scheduler.limit).toBe(8);
  });
});

describe("rate limits", () => {
  it("a token bucket refills at its per-minute rate", () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(60, clock.now);
    expect(bucket.waitFor(60)).toBe(0);
    bucket.take(60);
    expect(bucket.waitFor(1)).toBe(1000); // one a second
    expect(bucket.waitFor(500)).toBe(60_000); // more than capacity waits for a full bucket
  });

  it("spaces requests to the rpm once the burst is spent", async () => {
    const clock = fakeClock();
    const scheduler = new RequestScheduler({ concurrency: 10, rpm: 2, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 4; i += 1) (await scheduler.acquire(0)).release({ ok: true });
    // 2 at once (a minute's worth), then one every 30 s.
    expect(clock.sleeps).toEqual([30_000, 30_000]);
    expect(clock.now()).toBe(60_000);
  });

  it("reserves estimated tokens and settles the real usage", async () => {
    const clock = fakeClock();
    const scheduler = new RequestScheduler({
      concurrency: 10,
      tpm: 1000,
      now: clock.now,
      sleep: clock.sleep,
    });
    const first = await scheduler.acquire(800);
    first.release({ ok: true, tokens: 900 }); // used 100 more than reserved: 100 left
    (await scheduler.acquire(100)).release({ ok: true });
    expect(clock.sleeps).toEqual([]);
    (await scheduler.acquire(300)).release({ ok: true });
    // 0 left, 300 needed at 1000/min: 18 s.
    expect(clock.sleeps).toEqual([18_000]);
  });
});
