import { z } from "zod";
import { ExtractionModeSchema } from "./records.js";
import { EXTRACTION_TEMPLATE_VERSIONS } from "./templates.js";

const count = z.number().int().nonnegative();

/** How often the two orders of a pair agreed, once the second was turned back. */
export const PositionConsistencySchema = z.object({
  /** Pairs answered in both orders. */
  pairs: count,
  /** Of them, pairs whose two orders give the same sign (the same a / b / same answer). */
  consistent: count,
  /** consistent / pairs; null when no pair was answered in both orders. */
  rate: z.number().min(0).max(1).nullable(),
});
export type PositionConsistency = z.infer<typeof PositionConsistencySchema>;

export const FactorExtractionStatsSchema = z.object({
  /** Manifestations returned (one per pair and extract call). */
  pairs: count,
  /** Of them, with a null sign: a failed call, or an input the factor requires was absent. */
  missing: count,
  /** Only for factors asked in both orders (pair-level factors; every factor in pair-joint mode). */
  positionConsistency: PositionConsistencySchema.nullable(),
});
export type FactorExtractionStats = z.infer<typeof FactorExtractionStatsSchema>;

/** What a model factor extractor did, for profile.json / manifest.json. Summed over its extract calls. */
export const ExtractionStatsSchema = z.object({
  mode: ExtractionModeSchema,
  bothOrders: z.boolean(),
  /** Readings per distinct response (averaged), in joint and per-factor mode. */
  readings: z.number().int().positive(),
  /** The versions of the extractor's own texts (see docs/factors.md); the factors' are in their prompts. */
  templates: z.object({
    joint: z.string(),
    single: z.string(),
    factLedger: z.string(),
    checklist: z.string(),
  }),
  /** generateObject calls (a re-ask inside the client is part of its call), re-asks of parts included. */
  calls: count,
  /** Of the calls: response readings (one per distinct response, reading and factor group). */
  responseReadings: count,
  /** Of the calls: checklists drawn up (one per percentage factor and distinct input). */
  checklists: count,
  /** Of the calls: re-asks of the parts an answer left missing or invalid. */
  reasks: count,
  /** Factor parts that a re-ask recovered. */
  recoveredParts: count,
  /** Calls answered from the cache (re-ask included). */
  cacheHits: count,
  /** Calls without a valid answer (still invalid after the re-ask, or no answer after the retries). */
  failures: count,
  /** Of the failures, those still invalid after the re-ask. */
  invalidOutputs: count,
  /**
   * Answers that broke a rule JSON schema cannot express: a stated count other than the number
   * of items listed (the items are used), or a fact listed twice in one ledger (counted as listed).
   */
  inconsistentAnswers: count,
  consistency: z.object({ countMismatches: count, repeatedFacts: count }),
  sourcesCut: z.object({
    /** The budget, in characters. */
    maxChars: z.number().int().positive(),
    /** Calls that showed a cut source. */
    count,
    /** Characters left out, summed. */
    charsRemoved: count,
  }),
  /** By factor id. */
  factors: z.record(z.string(), FactorExtractionStatsSchema),
});
export type ExtractionStats = z.infer<typeof ExtractionStatsSchema>;

/** The running counts behind ExtractionStats. */
export class ExtractionTally {
  private readonly stats: ExtractionStats;

  constructor(mode: ExtractionStats["mode"], bothOrders: boolean, readings: number, maxChars: number) {
    this.stats = {
      mode,
      bothOrders,
      readings,
      templates: { ...EXTRACTION_TEMPLATE_VERSIONS },
      calls: 0,
      responseReadings: 0,
      checklists: 0,
      reasks: 0,
      recoveredParts: 0,
      cacheHits: 0,
      failures: 0,
      invalidOutputs: 0,
      inconsistentAnswers: 0,
      consistency: { countMismatches: 0, repeatedFacts: 0 },
      sourcesCut: { maxChars, count: 0, charsRemoved: 0 },
      factors: {},
    };
  }

  call(
    result: { ok: true; cached: boolean } | { ok: false; code: string },
    kind: "reading" | "pair" | "checklist" | "reask",
  ): void {
    this.stats.calls += 1;
    if (kind === "reading") this.stats.responseReadings += 1;
    if (kind === "checklist") this.stats.checklists += 1;
    if (kind === "reask") this.stats.reasks += 1;
    if (result.ok && result.cached) this.stats.cacheHits += 1;
    if (!result.ok) {
      this.stats.failures += 1;
      if (result.code === "invalid_output") this.stats.invalidOutputs += 1;
    }
  }

  consistency(countMismatches: number, repeatedFacts: number): void {
    this.stats.consistency.countMismatches += countMismatches;
    this.stats.consistency.repeatedFacts += repeatedFacts;
    this.stats.inconsistentAnswers += countMismatches + repeatedFacts;
  }

  recovered(parts: number): void {
    this.stats.recoveredParts += parts;
  }

  sourceCut(removed: number): void {
    if (removed === 0) return;
    this.stats.sourcesCut.count += 1;
    this.stats.sourcesCut.charsRemoved += removed;
  }

  manifestation(factor: string, missing: boolean, consistent: boolean | undefined): void {
    this.stats.factors[factor] ??= { pairs: 0, missing: 0, positionConsistency: null };
    const entry = this.stats.factors[factor];
    entry.pairs += 1;
    if (missing) entry.missing += 1;
    if (consistent === undefined) return;
    entry.positionConsistency ??= { pairs: 0, consistent: 0, rate: null };
    const tally = entry.positionConsistency;
    tally.pairs += 1;
    if (consistent) tally.consistent += 1;
    tally.rate = tally.consistent / tally.pairs;
  }

  snapshot(): ExtractionStats {
    return structuredClone(this.stats);
  }
}
