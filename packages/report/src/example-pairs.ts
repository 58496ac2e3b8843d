import { createHash } from "node:crypto";
import type { RunFolder } from "@profilekit/runner";
import type { Label, Manifestation } from "@profilekit/spec";

/** Concordant: the preferred response shows more of the factor; discordant: less. */
type ExampleKind = "concordant" | "discordant";

/** One example pair for a factor's drill-down: the factor's values or verdict, and the label. */
export interface FactorExample {
  readonly pairId: string;
  readonly kind: ExampleKind;
  readonly label: "a" | "b";
  readonly manifestation: Manifestation;
}

export interface FactorExamples {
  readonly concordant: readonly FactorExample[];
  readonly discordant: readonly FactorExample[];
}

/**
 * The rank of a pair among a factor's candidates: a hash of the factor and the pair id, so the
 * choice depends on neither the file's order nor anything else in the run.
 */
function exampleRank(factor: string, pairId: string): string {
  return createHash("sha256").update(factor).update("\0").update(pairId).digest("hex").slice(0, 16);
}

interface Ranked {
  readonly rank: string;
  readonly example: FactorExample;
}

/** Keeps the `size` lowest-ranked entries, in rank order (pair id breaks a tie). */
function insertRanked(list: Ranked[], entry: Ranked, size: number): void {
  const before = (x: Ranked, y: Ranked) =>
    x.rank < y.rank || (x.rank === y.rank && x.example.pairId < y.example.pairId);
  if (list.length === size && !before(entry, list[list.length - 1]!)) return;
  let at = list.length;
  while (at > 0 && before(entry, list[at - 1]!)) at -= 1;
  list.splice(at, 0, entry);
  if (list.length > size) list.pop();
}

/** The per-pair records examples are chosen from, as the runner's reader gives them. */
export type ExampleRecords = Pick<RunFolder, "labels" | "manifestations">;

/**
 * Up to `perKind` concordant and `perKind` discordant pairs per factor, streamed from the
 * records: pairs labelled a or b whose factor sign is +1 or -1. Memory holds the labels and the
 * kept examples only.
 */
export async function selectExamples(
  records: ExampleRecords,
  perKind: number,
): Promise<Map<string, FactorExamples>> {
  const labels = new Map<string, Label>();
  for await (const { record } of records.labels()) labels.set(record.pairId, record.label);
  const kept = new Map<string, { concordant: Ranked[]; discordant: Ranked[] }>();
  for await (const { record: line } of records.manifestations()) {
    const label = labels.get(line.pairId);
    if (label === undefined || label === "tie" || line.sign === null || line.sign === 0) continue;
    const preference = label === "a" ? 1 : -1;
    const kind: ExampleKind = preference * line.sign > 0 ? "concordant" : "discordant";
    let lists = kept.get(line.factor);
    if (lists === undefined) {
      lists = { concordant: [], discordant: [] };
      kept.set(line.factor, lists);
    }
    insertRanked(
      lists[kind],
      {
        rank: exampleRank(line.factor, line.pairId),
        example: { pairId: line.pairId, kind, label, manifestation: line },
      },
      perKind,
    );
  }
  return new Map(
    [...kept].map(([factor, lists]) => [
      factor,
      {
        concordant: lists.concordant.map((entry) => entry.example),
        discordant: lists.discordant.map((entry) => entry.example),
      },
    ]),
  );
}
