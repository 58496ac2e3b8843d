import { createHash } from "node:crypto";
import type { Order } from "./messages.js";

/**
 * The orders a pair is asked in. Both: as given and swapped. One: drawn from
 * seed + pair id (never from call order), so that over many pairs response A
 * is the pair's `a` half of the time and a model's leaning to one position
 * becomes noise rather than a lean towards `a`.
 */
export function ordersFor(pairId: string, seed: number, bothOrders: boolean): [Order] | [Order, Order] {
  if (bothOrders) return ["given", "swapped"];
  const digest = createHash("sha256").update(`${seed}\u0000${pairId}`).digest();
  return [(digest[0]! & 1) === 0 ? "given" : "swapped"];
}
