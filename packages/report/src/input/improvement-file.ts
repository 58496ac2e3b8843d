import { z } from "zod";

// improvement.json belongs to @profilekit/refine (issue 11's `improve`), which is not built yet.
// Until it is, the report reads the shape designed for it with this loose, local schema: it
// names only the fields the report shows and lets the rest through. When refine exists, its
// schema replaces this module.

const interval = z
  .tuple([z.number(), z.number()])
  .nullable()
  .optional()
  .transform((value) => value ?? null);
const maybeNumber = z
  .number()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

const CorrelationSchema = z.looseObject({ value: maybeNumber, ci95: interval });

const AlignmentSummarySchema = z.looseObject({
  label: z.string().optional(),
  kendallTauB: CorrelationSchema,
  spearman: CorrelationSchema.optional(),
});

/** What the strategy spent, as far as the file says. */
const UsageRowSchema = z.looseObject({
  calls: z.number().optional(),
  requests: z.number().optional(),
  cacheHits: z.number().optional(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: maybeNumber,
});

/**
 * improvement.json (loose, local; see above): the generation profile's alignment with the human
 * one before and after a strategy, the paired difference (after - before) with its interval,
 * per-factor taus, and what the strategy cost.
 */
export const ImprovementFileSchema = z.looseObject({
  strategy: z.string().optional(),
  model: z.string().optional(),
  before: AlignmentSummarySchema,
  after: AlignmentSummarySchema,
  delta: z.looseObject({
    kendallTauB: CorrelationSchema,
    method: z.string().optional(),
    replicates: z.number().optional(),
    seed: z.number().optional(),
  }),
  factors: z
    .array(
      z.looseObject({
        factor: z.string(),
        human: maybeNumber,
        before: maybeNumber,
        after: maybeNumber,
      }),
    )
    .optional(),
  usage: UsageRowSchema.optional(),
});
export type ImprovementFile = z.infer<typeof ImprovementFileSchema>;
