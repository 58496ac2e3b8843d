import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Budget, budgeted } from "./budget.js";
import { BudgetExceededError } from "./errors.js";

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("Budget", () => {
  it("starts a request only if spent + reserved + its estimate is within the cap, else waits for one to end", async () => {
    let spent = 0;
    const budget = new Budget(1, () => spent);
    const a = await budget.reserve(0.4);
    const b = await budget.reserve(0.4);
    expect(budget.reservedUsd).toBeCloseTo(0.8, 12);
    // 0.8 reserved + 0.3 > 1: it waits, although nothing is spent yet.
    let started = false;
    const c = budget.reserve(0.3).then((reservation) => {
      started = true;
      return reservation;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(started).toBe(false);
    spent = 0.1; // a cost 0.1, counted before its reservation is released
    a.release();
    a.release(); // a second release is a no-op
    (await c).release();
    expect(started).toBe(true);
    b.release();
    expect(budget.reservedUsd).toBe(0);
  });

  it("refuses a request that could cross the cap on its own, then every later one", async () => {
    const budget = new Budget(1, () => 0.8);
    const held = await budget.reserve(0.1);
    const waiting = refusal(budget.reserve(0.15)); // 0.8 + 0.1 + 0.15 > 1: waits
    const refused = await refusal(budget.reserve(0.3)); // 0.8 + 0.3 > 1 even alone: refused
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toMatchObject({
      costUsd: 0.8,
      maxCost: 1,
      nextCallUsd: 0.3,
      exitCode: 3,
      reservedUsd: 0.1,
    });
    expect((refused as Error).message).toMatch(
      /\$1\.0000 is reached: \$0\.8000 spent and \$0\.1000 reserved/,
    );
    expect((refused as BudgetExceededError).hint).toMatch(/--max-cost.*run the same command again.*cached/);
    // The waiter is told at once, and a request that would fit is refused too: the run is ending.
    expect(await waiting).toBeInstanceOf(BudgetExceededError);
    expect(await refusal(budget.reserve(0))).toBeInstanceOf(BudgetExceededError);
    expect(budget.exceeded).toBe(true);
    held.release();
  });

  it("a waiting request gives up when its signal aborts", async () => {
    const budget = new Budget(1, () => 0);
    const held = await budget.reserve(1);
    const controller = new AbortController();
    const waiting = refusal(budget.reserve(0.5, controller.signal));
    controller.abort(new Error("stop"));
    expect(await waiting).toEqual(new Error("stop"));
    held.release();
  });

  it("never lets the counted spend cross the cap when estimates are not below the real costs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            estimate: fc.double({ min: 0, max: 1, noNaN: true }),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 16 }),
        async (calls, cap, concurrency) => {
          let spent = 0;
          const budget = new Budget(cap, () => spent);
          // A request costs a share of its estimate, counted before it resolves.
          const send = budgeted(
            budget,
            (call: { estimate: number; share: number }) => call.estimate,
            async (call) => {
              await new Promise((resolve) => setImmediate(resolve));
              spent += call.estimate * call.share;
            },
          );
          const queue = [...calls];
          let sent = 0;
          await Promise.all(
            Array.from({ length: concurrency }, async () => {
              for (let call = queue.shift(); call; call = queue.shift()) {
                await send(call, undefined).then(
                  () => {
                    sent += 1;
                  },
                  (error: unknown) => {
                    if (!(error instanceof BudgetExceededError)) throw error;
                  },
                );
              }
            }),
          );
          expect(spent).toBeLessThanOrEqual(cap + 1e-12);
          expect(budget.reservedUsd).toBe(0);
          // Refusals only happen once a request could not fit even alone.
          if (!budget.exceeded) expect(sent).toBe(calls.length);
        },
      ),
    );
  });

  it("releases the reservation when the request fails", async () => {
    const budget = new Budget(1, () => 0);
    const send = budgeted(
      budget,
      () => 0.9,
      async () => {
        throw new Error("boom");
      },
    );
    await expect(send(undefined, undefined)).rejects.toThrow("boom");
    expect(budget.reservedUsd).toBe(0);
    await expect(budget.reserve(0.9)).resolves.toBeDefined();
  });
});
