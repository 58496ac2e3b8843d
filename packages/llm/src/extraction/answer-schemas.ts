import type { FactorPlugin } from "@profilekit/spec";
import { z } from "zod";
import { SCHEMA_TEXT } from "./templates.js";

/**
 * The answer schemas the extractor sends. Each says everything JSON schema can
 * say about a valid answer, in the subset every structured-output provider keeps
 * (no string lengths, no uniqueness, no refinements): any instance of the schema
 * sent is an answer the extractor reads. Rules JSON schema cannot express (a
 * stated count against its items, a fact listed twice) are counted, never a reason
 * to drop an answer.
 */

/** How a factor's answer is given and read. */
export type AnswerShape = "ledger" | "checklist" | "count" | "rating" | "comparison";

export function shapeOf(factor: FactorPlugin): AnswerShape {
  const prompt = factor.prompt!;
  switch (prompt.output) {
    case "count":
      return prompt.facts ? "ledger" : "count";
    case "percentage":
      return "checklist";
    default:
      return prompt.output;
  }
}

/** Evidence first (the fact ledger, checklist marks, listed items), then ratings, then comparisons. */
const SHAPE_ORDER: readonly AnswerShape[] = ["ledger", "checklist", "count", "rating", "comparison"];

/** Factors in the order their answers are written: by shape, then by id. */
export function answerOrder(factors: readonly FactorPlugin[]): FactorPlugin[] {
  return [...factors].sort(
    (x, y) =>
      SHAPE_ORDER.indexOf(shapeOf(x)) - SHAPE_ORDER.indexOf(shapeOf(y)) ||
      (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
}

/** The verdicts a ledger factor labels each fact with; undefined when it counts every fact. */
export function labelOf(factor: FactorPlugin) {
  return factor.prompt!.facts?.label;
}

/** The field of the fact ledger, named so that no factor id (kebab-case) can take it. */
export const LEDGER_FIELD = "atomic_facts";
export const FACT_FIELD = "atomic_fact";
export const checklistItemKey = (index: number) => `item_${index + 1}`;
export const factKey = (index: number) => `fact_${index + 1}`;

export const RatingAnswerSchema = z.object({
  reasons: z.string().describe(SCHEMA_TEXT.reasons),
  rating: z.number().int().min(1).max(5).describe(SCHEMA_TEXT.rating),
});
export const ComparisonAnswerSchema = z.object({
  reasons: z.string().describe(SCHEMA_TEXT.reasons),
  answer: z.enum(["a", "b", "same"]).describe(SCHEMA_TEXT.comparison),
});
export const CountAnswerSchema = z.object({
  items: z.array(z.string()).describe(SCHEMA_TEXT.items),
  count: z.number().int().min(0).describe(SCHEMA_TEXT.count),
});
const MarkSchema = z.object({
  reason: z.string().describe(SCHEMA_TEXT.reason),
  covered: z.boolean().describe(SCHEMA_TEXT.covered),
});
/** A checklist: at least one item (a share of nothing is not a measurement), at most 20. */
export const ChecklistAnswerSchema = z.object({
  items: z.array(z.string()).min(1).max(20).describe(SCHEMA_TEXT.checklist),
});
export type Mark = z.infer<typeof MarkSchema>;

/** One fact's label for one ledger factor: a short reason, then the verdict. */
export function labelSchema(factor: FactorPlugin) {
  const verdicts = labelOf(factor)!.verdicts as [string, ...string[]];
  return z.object({
    reason: z.string().describe(SCHEMA_TEXT.reason),
    verdict: z.enum(verdicts).describe(SCHEMA_TEXT.verdict),
  });
}

/** The fact ledger: each fact once, with the label of every labelling factor, in order. */
export function ledgerSchema(labelling: readonly FactorPlugin[]) {
  const fact = z.object({
    [FACT_FIELD]: z.string().describe(SCHEMA_TEXT.atomicFact),
    ...Object.fromEntries(labelling.map((factor) => [factor.id, labelSchema(factor)])),
  });
  return z.array(fact).describe(SCHEMA_TEXT.atomicFacts);
}

/** Labels for facts already listed: fact_1 ... fact_n, each the factor's label. */
export function relabelSchema(factor: FactorPlugin, facts: number) {
  const label = labelSchema(factor);
  return z.object(Object.fromEntries(Array.from({ length: facts }, (_, i) => [factKey(i), label])));
}

/** One mark per checklist item, each a property of its own: the count of marks is exact. */
export function marksSchema(items: number) {
  return z.object(
    Object.fromEntries(Array.from({ length: items }, (_, i) => [checklistItemKey(i), MarkSchema])),
  );
}

/** The ledger's base, read apart from the labels: facts that are objects with a text. */
export const LedgerBaseSchema = z.array(z.looseObject({ [FACT_FIELD]: z.string() }));
