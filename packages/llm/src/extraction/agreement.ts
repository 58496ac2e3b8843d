import type { FactorPlugin, Pair } from "@profilekit/spec";
import { z } from "zod";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";
import { type ExtractionMode, ExtractionModeSchema } from "./records.js";

const count = z.number().int().nonnegative();

/** How often two extraction modes give a factor the same sign, pair by pair. */
export const ModeAgreementSchema = z.object({
  modes: z.tuple([ExtractionModeSchema, ExtractionModeSchema]),
  pairs: count,
  factors: z.record(
    z.string(),
    z.object({
      /** Pairs measured (a non-null sign) in both modes. */
      measured: count,
      /** Of them, pairs with the same sign in both. */
      sameSign: count,
      /** sameSign / measured; null when no pair was measured in both. */
      rate: z.number().min(0).max(1).nullable(),
    }),
  ),
});
export type ModeAgreement = z.infer<typeof ModeAgreementSchema>;

/**
 * Measures `factors` on a sample of pairs in two modes (default: joint and per-factor) with
 * the same client, and reports per factor how often the signs agree: what the cheaper mode
 * trades away. The two runs share the client's cache and usage, so a re-run is free.
 */
export async function measureModeAgreement(
  options: Omit<ModelFactorExtractorOptions, "mode" | "onRecord">,
  factors: readonly FactorPlugin[],
  pairs: readonly Pair[],
  modes: readonly [ExtractionMode, ExtractionMode] = ["joint", "per-factor"],
  signal?: AbortSignal,
): Promise<ModeAgreement> {
  const [first, second] = await Promise.all(
    modes.map((mode) =>
      createModelFactorExtractor({ ...options, mode }).extract(factors, pairs, signal ? { signal } : {}),
    ),
  );
  const result: ModeAgreement = { modes: [modes[0], modes[1]], pairs: pairs.length, factors: {} };
  for (const factor of factors) {
    const a = first!.get(factor.id) ?? [];
    const b = second!.get(factor.id) ?? [];
    let measured = 0;
    let sameSign = 0;
    a.forEach((manifestation, index) => {
      const other = b[index];
      if (manifestation.sign === null || other?.sign == null) return;
      measured += 1;
      if (manifestation.sign === other.sign) sameSign += 1;
    });
    result.factors[factor.id] = { measured, sameSign, rate: measured === 0 ? null : sameSign / measured };
  }
  return result;
}
