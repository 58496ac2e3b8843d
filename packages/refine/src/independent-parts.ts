import { leftToQueue, pendingOn } from "@profilekit/runner";
import type { ImproveContext } from "./improve-context.js";

/**
 * Runs parts of a method that do not depend on each other, in order. In batch mode, a part that
 * left calls to the round's batches does not stop the others: each goes as far as its own answers
 * allow in the same round, and the method stops after the last of them (each part counts its own
 * usage: ImproveContext.part).
 */
export async function independently<T extends readonly unknown[]>(
  context: ImproveContext,
  parts: { readonly [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  const results: unknown[] = [];
  let pending = false;
  for (const run of parts) {
    try {
      results.push(await run());
    } catch (error) {
      if (!(context.batch && leftToQueue(error))) throw error;
      pending = true;
    }
  }
  if (pending) throw pendingOn(context.batch!, []);
  return results as unknown as T;
}
