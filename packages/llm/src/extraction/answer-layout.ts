import type { FactorPlugin } from "@profilekit/spec";
import { z } from "zod";
import {
  ComparisonAnswerSchema,
  CountAnswerSchema,
  checklistItemKey,
  FACT_FIELD,
  factKey,
  LEDGER_FIELD,
  LedgerBaseSchema,
  labelOf,
  labelSchema,
  ledgerSchema,
  type Mark,
  marksSchema,
  RatingAnswerSchema,
  relabelSchema,
  shapeOf,
} from "./answer-schemas.js";

/** Which response a part of a pair-joint answer is about: a field's value holds one per side. */
export type Side = "a" | "b";

/**
 * What one call asks for, field by field, in the order of the answer: evidence first (the fact
 * ledger, the checklist marks, listed items), then ratings, then comparisons.
 * - A response reading has `sides: [undefined]`: its fields are about the one response.
 * - A pair-joint call has `sides: ["a", "b"]`: each response-level field holds `{ a, b }`.
 * - A pair call has `sides: []`: comparisons only.
 */
export interface AnswerLayout {
  readonly sides: readonly (Side | undefined)[];
  /** Ledger factors whose facts this answer lists (under "atomic_facts"). */
  readonly ledger: readonly FactorPlugin[];
  /** Ledger factors that label facts listed by an earlier answer (`givenFacts`): a re-ask. */
  readonly relabel: readonly FactorPlugin[];
  /** Per side, the facts `relabel` labels. */
  readonly givenFacts: readonly (readonly string[])[];
  /** Percentage factors, each with the checklist its marks refer to. */
  readonly checklists: readonly { readonly factor: FactorPlugin; readonly items: readonly string[] }[];
  readonly counts: readonly FactorPlugin[];
  readonly ratings: readonly FactorPlugin[];
  readonly comparisons: readonly FactorPlugin[];
}

/** A fact of the ledger with the labels it got, by factor id. */
interface LedgerFact {
  readonly fact: string;
  readonly labels: Record<string, { readonly reason: string; readonly verdict: string }>;
}

/** What an answer shows for one response: its facts and its checklist marks, for the records. */
interface SideEvidence {
  facts: LedgerFact[] | undefined;
  readonly marks: Record<string, readonly Mark[]>;
}

/** A factor's reading from one answer: a value per side, an answer to a comparison, or why not. */
export type FactorRead =
  | { readonly ok: true; readonly values: readonly number[] }
  | { readonly ok: true; readonly answer: "a" | "b" | "same" }
  | { readonly ok: false; readonly error: string };

export interface LayoutRead {
  readonly reads: Map<string, FactorRead>;
  /** Per side of the layout. */
  readonly evidence: SideEvidence[];
  /** Stated counts that differ from the items listed (the items are used). */
  countMismatches: number;
  /** Facts listed twice in one ledger (each listing is counted as given). */
  repeatedFacts: number;
}

export function layoutFor(
  factors: readonly FactorPlugin[],
  sides: readonly (Side | undefined)[],
  checklists: ReadonlyMap<string, readonly string[]>,
): AnswerLayout {
  const of = (shape: string) => factors.filter((factor) => shapeOf(factor) === shape);
  return {
    sides,
    ledger: of("ledger"),
    relabel: [],
    givenFacts: [],
    checklists: of("checklist").map((factor) => ({ factor, items: checklists.get(factor.id) ?? [] })),
    counts: of("count"),
    ratings: of("rating"),
    comparisons: of("comparison"),
  };
}

/** Every factor a layout measures, in the order of its answer. */
export function layoutFactors(layout: AnswerLayout): FactorPlugin[] {
  return [
    ...layout.ledger,
    ...layout.relabel,
    ...layout.checklists.map((entry) => entry.factor),
    ...layout.counts,
    ...layout.ratings,
    ...layout.comparisons,
  ];
}

/** The answer's fields, in order. */
export function layoutFields(layout: AnswerLayout): string[] {
  return [
    ...(layout.ledger.length > 0 ? [LEDGER_FIELD] : []),
    ...layoutFactors(layout)
      .filter((factor) => !layout.ledger.includes(factor))
      .map((factor) => factor.id),
  ];
}

/** The schema of an answer to this layout: all its fields required, in order. */
export function layoutSchema(layout: AnswerLayout): z.ZodObject {
  const sided = (schema: (index: number) => z.ZodType) =>
    layout.sides.length === 1 && layout.sides[0] === undefined
      ? schema(0)
      : z.object(Object.fromEntries(layout.sides.map((side, index) => [side!, schema(index)])));
  const fields: [string, z.ZodType][] = [];
  if (layout.ledger.length > 0) {
    const labelling = layout.ledger.filter((factor) => labelOf(factor));
    fields.push([LEDGER_FIELD, sided(() => ledgerSchema(labelling))]);
  }
  for (const factor of layout.relabel) {
    fields.push([factor.id, sided((index) => relabelSchema(factor, layout.givenFacts[index]?.length ?? 0))]);
  }
  for (const { factor, items } of layout.checklists)
    fields.push([factor.id, sided(() => marksSchema(items.length))]);
  for (const factor of layout.counts) fields.push([factor.id, sided(() => CountAnswerSchema)]);
  for (const factor of layout.ratings) fields.push([factor.id, sided(() => RatingAnswerSchema)]);
  for (const factor of layout.comparisons) fields.push([factor.id, ComparisonAnswerSchema]);
  return z.object(Object.fromEntries(fields));
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function issue(field: string, error: z.ZodError): string {
  const [first] = error.issues;
  const path = [field, ...(first?.path ?? [])].map(String).join(".");
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
  return `${path}: ${first?.message ?? "invalid"}${more}`;
}

/**
 * Reads every factor of a layout from an answer on its own: a factor whose part is missing or
 * invalid gets an error, and the others are read all the same. The answer may be anything: the
 * extractor accepts any object with one readable part, and this finds which.
 */
export function readLayout(layout: AnswerLayout, raw: unknown): LayoutRead {
  const root = isRecord(raw) ? raw : {};
  const sides = layout.sides;
  const at = (field: string, side: Side | undefined) =>
    side === undefined ? root[field] : isRecord(root[field]) ? root[field][side] : undefined;
  const result: LayoutRead = {
    reads: new Map(),
    evidence: sides.map(() => ({ facts: undefined, marks: {} })),
    countMismatches: 0,
    repeatedFacts: 0,
  };
  const perSide = <T>(
    factor: FactorPlugin,
    field: string,
    parse: (value: unknown, index: number) => z.ZodSafeParseResult<T>,
    value: (data: T, index: number) => number,
  ) => {
    const values: number[] = [];
    for (const [index, side] of sides.entries()) {
      const parsed = parse(at(field, side), index);
      if (!parsed.success) {
        result.reads.set(factor.id, {
          ok: false,
          error: issue(side ? `${field}.${side}` : field, parsed.error),
        });
        return;
      }
      values.push(value(parsed.data, index));
    }
    result.reads.set(factor.id, { ok: true, values });
  };

  if (layout.ledger.length > 0) readLedger(layout, at, result);
  for (const factor of layout.relabel) {
    perSide(
      factor,
      factor.id,
      (value, index) => relabelSchema(factor, layout.givenFacts[index]?.length ?? 0).safeParse(value),
      (labels, index) => {
        const given = layout.givenFacts[index] ?? [];
        const evidence = result.evidence[index]!;
        evidence.facts ??= given.map((fact): LedgerFact => ({ fact, labels: {} }));
        const facts = evidence.facts;
        const verdicts = given.map(
          (_, i) => (labels as Record<string, { reason: string; verdict: string }>)[factKey(i)]!,
        );
        verdicts.forEach((label, i) => {
          facts[i]!.labels[factor.id] = label;
        });
        return countLabelled(factor, verdicts);
      },
    );
  }
  for (const { factor, items } of layout.checklists) {
    const schema = marksSchema(items.length);
    perSide(
      factor,
      factor.id,
      (value) => schema.safeParse(value),
      (data, index) => {
        const marks = items.map((_, i) => (data as Record<string, Mark>)[checklistItemKey(i)]!);
        result.evidence[index]!.marks[factor.id] = marks;
        return (100 * marks.filter((mark) => mark.covered).length) / items.length;
      },
    );
  }
  for (const factor of layout.counts) {
    perSide(
      factor,
      factor.id,
      (value) => CountAnswerSchema.safeParse(value),
      ({ items, count }) => {
        if (count !== items.length) result.countMismatches += 1;
        return items.length;
      },
    );
  }
  for (const factor of layout.ratings) {
    perSide(
      factor,
      factor.id,
      (value) => RatingAnswerSchema.safeParse(value),
      ({ rating }) => rating,
    );
  }
  for (const factor of layout.comparisons) {
    const parsed = ComparisonAnswerSchema.safeParse(root[factor.id]);
    result.reads.set(
      factor.id,
      parsed.success
        ? { ok: true, answer: parsed.data.answer }
        : { ok: false, error: issue(factor.id, parsed.error) },
    );
  }
  return result;
}

function countLabelled(factor: FactorPlugin, labels: readonly { verdict: string }[]): number {
  const counted = labelOf(factor)!.counted;
  return labels.filter((label) => counted.includes(label.verdict)).length;
}

function readLedger(
  layout: AnswerLayout,
  at: (field: string, side: Side | undefined) => unknown,
  result: LayoutRead,
): void {
  const bases: z.infer<typeof LedgerBaseSchema>[] = [];
  for (const side of layout.sides) {
    const parsed = LedgerBaseSchema.safeParse(at(LEDGER_FIELD, side));
    if (!parsed.success) {
      const error = issue(side ? `${LEDGER_FIELD}.${side}` : LEDGER_FIELD, parsed.error);
      for (const factor of layout.ledger) result.reads.set(factor.id, { ok: false, error });
      return;
    }
    bases.push(parsed.data);
  }
  bases.forEach((facts, index) => {
    result.evidence[index]!.facts = facts.map((fact) => ({ fact: fact[FACT_FIELD], labels: {} }));
    const seen = new Set<string>();
    for (const fact of facts) {
      const text = fact[FACT_FIELD].trim().toLowerCase();
      if (seen.has(text)) result.repeatedFacts += 1;
      seen.add(text);
    }
  });
  for (const factor of layout.ledger) {
    if (!labelOf(factor)) {
      result.reads.set(factor.id, { ok: true, values: bases.map((facts) => facts.length) });
      continue;
    }
    const schema = labelSchema(factor);
    const values: number[] = [];
    let error: string | undefined;
    for (const [index, facts] of bases.entries()) {
      const labels = [];
      for (const [i, fact] of facts.entries()) {
        const parsed = schema.safeParse(fact[factor.id]);
        if (!parsed.success) {
          const side = layout.sides[index];
          error ??= issue(`${LEDGER_FIELD}${side ? `.${side}` : ""}.${i}.${factor.id}`, parsed.error);
          break;
        }
        labels.push(parsed.data);
      }
      if (error) break;
      labels.forEach((label, i) => {
        result.evidence[index]!.facts![i]!.labels[factor.id] = label;
      });
      values.push(countLabelled(factor, labels));
    }
    result.reads.set(factor.id, error ? { ok: false, error } : { ok: true, values });
  }
}

/** The factors of a read that failed, by id. */
function failedFactors(layout: AnswerLayout, read: LayoutRead): FactorPlugin[] {
  return layoutFactors(layout).filter((factor) => !read.reads.get(factor.id)?.ok);
}

/**
 * The layout that re-asks only what an answer left missing or invalid. Facts already listed
 * are kept: a ledger factor whose labels failed labels those same facts again (so every count
 * still comes from one list); only when the list itself failed is the ledger asked again.
 * Undefined when nothing failed.
 */
export function reaskLayout(layout: AnswerLayout, read: LayoutRead): AnswerLayout | undefined {
  const failed = new Set(failedFactors(layout, read));
  if (failed.size === 0) return undefined;
  const listed = read.evidence.every((side) => side.facts !== undefined);
  const ledgerFailed = layout.ledger.filter((factor) => failed.has(factor));
  const keep = (factors: readonly FactorPlugin[]) => factors.filter((factor) => failed.has(factor));
  return {
    sides: layout.sides,
    ledger: listed ? [] : ledgerFailed,
    relabel: [...(listed ? ledgerFailed : []), ...keep(layout.relabel)],
    givenFacts: listed
      ? read.evidence.map((side) => side.facts!.map((fact) => fact.fact))
      : layout.givenFacts,
    checklists: layout.checklists.filter((entry) => failed.has(entry.factor)),
    counts: keep(layout.counts),
    ratings: keep(layout.ratings),
    comparisons: keep(layout.comparisons),
  };
}

/** The first read, with what a re-ask recovered laid over the parts that had failed. */
export function mergeReads(first: LayoutRead, second: LayoutRead): LayoutRead {
  const reads = new Map(first.reads);
  for (const [id, read] of second.reads) if (!reads.get(id)?.ok) reads.set(id, read);
  const evidence = first.evidence.map((side, index) => {
    const again = second.evidence[index]!;
    const facts =
      side.facts === undefined
        ? again.facts
        : side.facts.map((fact, i) => ({
            fact: fact.fact,
            labels: { ...fact.labels, ...again.facts?.[i]?.labels },
          }));
    return { facts, marks: { ...side.marks, ...again.marks } };
  });
  return {
    reads,
    evidence,
    countMismatches: first.countMismatches + second.countMismatches,
    repeatedFacts: first.repeatedFacts + second.repeatedFacts,
  };
}

/**
 * What the client accepts (and caches) for a layout: any object with at least one readable part.
 * A part that fails is then re-asked on its own; an answer with nothing readable is re-asked
 * whole by the client, with every problem listed.
 */
export function acceptSchema(layout: AnswerLayout) {
  return z.looseObject({}).superRefine((value, context) => {
    const read = readLayout(layout, value);
    if ([...read.reads.values()].some((entry) => entry.ok)) return;
    for (const entry of read.reads.values()) {
      if (!entry.ok) context.addIssue({ code: "custom", message: entry.error });
    }
  });
}
