import {
  ComparisonAnswerSchema,
  CountAnswerSchema,
  type FactorOutput,
  type FactorPlugin,
  PercentageAnswerSchema,
  RatingAnswerSchema,
} from "@profilekit/spec";
import { z } from "zod";

/**
 * A percentage answered for one response (per-factor mode): the spec's answer,
 * with at least one item, since a share of nothing is not a measurement.
 */
export const ResponsePercentageAnswerSchema = PercentageAnswerSchema.extend({
  items: PercentageAnswerSchema.shape.items.min(1),
});

/**
 * A percentage answered for both responses at once (joint mode). The items
 * considered (e.g. the source's key points) come from the inputs, not from a
 * response, so they are listed once and each response marks them: both
 * percentages then share one denominator, and the model does its reading of
 * the source once. The percentages are computed from the marks.
 */
export const SharedPercentageAnswerSchema = z
  .object({
    items: z
      .array(z.string())
      .min(1)
      .describe(
        "The things considered (e.g. the source's key points), listed once for both responses: they come from the inputs, not from a response.",
      ),
    a: z
      .array(z.boolean())
      .describe("One mark per item, in the order of items: true when response A counts for it (covers it)."),
    b: z
      .array(z.boolean())
      .describe("One mark per item, in the order of items: true when response B counts for it (covers it)."),
  })
  .superRefine((answer, context) => {
    for (const side of ["a", "b"] as const) {
      if (answer[side].length !== answer.items.length) {
        context.addIssue({
          code: "custom",
          path: [side],
          message: `${side} has ${answer[side].length} marks for ${answer.items.length} items: give exactly one per item`,
        });
      }
    }
  });

const perResponse = <S extends z.ZodType>(schema: S) => z.object({ a: schema, b: schema });

/** One factor's part of the joint answer, by its output kind. */
const JOINT_PARTS = {
  count: perResponse(CountAnswerSchema),
  rating: perResponse(RatingAnswerSchema),
  percentage: SharedPercentageAnswerSchema,
  comparison: ComparisonAnswerSchema,
} as const satisfies Record<FactorOutput, z.ZodType>;

/** The answer for one factor asked on its own (per-factor mode), by its output kind. */
export const SINGLE_ANSWERS = {
  count: CountAnswerSchema,
  rating: RatingAnswerSchema,
  percentage: ResponsePercentageAnswerSchema,
  comparison: ComparisonAnswerSchema,
} as const satisfies Record<FactorOutput, z.ZodType>;

/** The joint answer: one field per factor, named by its id, each the factor's answer schema. */
export function jointAnswerSchema(factors: readonly FactorPlugin[]): z.ZodObject {
  return z.object(Object.fromEntries(factors.map((factor) => [factor.id, JOINT_PARTS[outputOf(factor)]])));
}

export function outputOf(factor: FactorPlugin): FactorOutput {
  return factor.prompt!.output;
}

/**
 * What an answer says, in the orientation it was asked in: a value per
 * response, or which response shows more. `inconsistent` counts answers whose
 * stated count or percentage disagreed with the items they listed.
 */
export type Reading =
  | { readonly kind: "values"; readonly a: number; readonly b: number; readonly inconsistent: number }
  | { readonly kind: "comparison"; readonly answer: "a" | "b" | "same" };

/** A response's value from a per-response answer, and whether its stated number disagreed. */
export function responseValue(
  output: Exclude<FactorOutput, "comparison">,
  answer: unknown,
): { value: number; inconsistent: boolean } {
  switch (output) {
    case "count": {
      // The listed items are the evidence: the count is their number.
      const { items, count } = answer as z.infer<typeof CountAnswerSchema>;
      return { value: items.length, inconsistent: count !== items.length };
    }
    case "rating":
      return { value: (answer as z.infer<typeof RatingAnswerSchema>).rating, inconsistent: false };
    case "percentage": {
      const { items, percentage } = answer as z.infer<typeof ResponsePercentageAnswerSchema>;
      const value = (100 * items.filter((item) => item.counted).length) / items.length;
      // The model is asked to round to a whole number; more than a point off is a miscount.
      return { value, inconsistent: Math.abs(percentage - value) > 1 };
    }
  }
}

/** A factor's reading from its part of a joint answer. */
export function jointReading(factor: FactorPlugin, part: unknown): Reading {
  const output = outputOf(factor);
  switch (output) {
    case "comparison":
      return { kind: "comparison", answer: (part as z.infer<typeof ComparisonAnswerSchema>).answer };
    case "percentage": {
      const { items, a, b } = part as z.infer<typeof SharedPercentageAnswerSchema>;
      const share = (marks: boolean[]) => (100 * marks.filter(Boolean).length) / items.length;
      return { kind: "values", a: share(a), b: share(b), inconsistent: 0 };
    }
    default: {
      const { a, b } = part as { a: unknown; b: unknown };
      const readA = responseValue(output, a);
      const readB = responseValue(output, b);
      return {
        kind: "values",
        a: readA.value,
        b: readB.value,
        inconsistent: Number(readA.inconsistent) + Number(readB.inconsistent),
      };
    }
  }
}
