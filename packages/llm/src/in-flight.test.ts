import { describe, expect, it } from "vitest";
import { InFlightCalls } from "./in-flight.js";

describe("InFlightCalls", () => {
  it("gives later callers of a key the first caller's call until it settles", async () => {
    const calls = new InFlightCalls<number>();
    let started = 0;
    let finish!: (value: number) => void;
    const start = () => {
      started += 1;
      return new Promise<number>((resolve) => {
        finish = resolve;
      });
    };
    const first = calls.run("k", start);
    const second = calls.run("k", start);
    const other = calls.run("other", async () => 7);
    expect([first.merged, second.merged, other.merged]).toEqual([false, true, false]);
    expect(second.promise).toBe(first.promise);
    expect(started).toBe(1);
    finish(3);
    expect(await second.promise).toBe(3);
    expect(await other.promise).toBe(7);
    // Settled: the next call of the key starts anew.
    expect(calls.size).toBe(0);
    expect(calls.run("k", async () => 4).merged).toBe(false);
  });

  it("shares a failure too, then forgets it, and settled() waits for every call", async () => {
    const calls = new InFlightCalls<number>();
    const failing = calls.run("k", async () => {
      throw new Error("no");
    });
    const joined = calls.run("k", async () => 1);
    await expect(joined.promise).rejects.toThrow("no");
    await expect(failing.promise).rejects.toThrow("no");
    let done = false;
    calls.run(
      "slow",
      () =>
        new Promise<number>((resolve) =>
          setTimeout(() => {
            done = true;
            resolve(1);
          }, 20),
        ),
    );
    await calls.settled();
    expect(done).toBe(true);
    expect(calls.size).toBe(0);
  });
});
