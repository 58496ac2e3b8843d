import { JudgeAgreementSchema as AgreementStatisticsSchema, ProfileSchema } from "@profilekit/core";
import { ReadPairsOptionsSchema } from "@profilekit/data";
import { ExtractionStatsSchema, UsageReportSchema } from "@profilekit/llm";
import {
  JudgeAgreementSchema,
  JudgeManifestAgreementSchema,
  PromptTemplateSchema,
  StageManifestSchema,
  StudyManifestSchema,
} from "@profilekit/spec";
import { z } from "zod";

// What the report reads of a run folder's JSON files beyond what the runner's reader checks:
// the blocks a setting adds to profile.json and manifest.json, each by the schema of the package
// that writes it (spec's run files, core's profile, llm's usage and extraction figures).

/**
 * profile.json of a stage folder, with a judge's `agreement` (spec's four headline figures) and
 * `agreementStatistics` (core's: counts, clustered intervals and single-factor baselines), which
 * folders written before profilekit 0.2 lack.
 */
export const SourceProfileSchema = ProfileSchema.extend({
  agreement: JudgeAgreementSchema.optional(),
  agreementStatistics: AgreementStatisticsSchema.optional(),
});
export type SourceProfile = z.infer<typeof SourceProfileSchema>;

/** A usage block as the report shows it: the totals and each model's (a stage's report, or a study's sums). */
const UsageShownSchema = UsageReportSchema.pick({ total: true, byModel: true }).extend({
  pricesAsOf: UsageReportSchema.shape.pricesAsOf.optional(),
});

const PromptRefSchema = PromptTemplateSchema.pick({ id: true, version: true });

/**
 * manifest.json of a stage folder with the blocks the report shows: the input as it was read
 * (path and read options), the judge's and generator's prompts, the judge's agreement, the
 * extractor's figures per factor and the usage.
 */
export const SourceManifestSchema = StageManifestSchema.extend({
  input: ReadPairsOptionsSchema.extend({ path: z.string() }),
  judge: z.looseObject({ prompt: PromptRefSchema }).optional(),
  generation: z.looseObject({ prompt: PromptRefSchema }).optional(),
  agreement: JudgeManifestAgreementSchema.optional(),
  extraction: ExtractionStatsSchema.pick({ calls: true, cacheHits: true, factors: true }).optional(),
  usage: UsageShownSchema.optional(),
});
export type SourceManifest = z.infer<typeof SourceManifestSchema>;

/** manifest.json of a `run` study, with the usage summed over its stages. */
export const ReportStudyManifestSchema = StudyManifestSchema.extend({ usage: UsageShownSchema.loose() });
export type ReportStudyManifest = z.infer<typeof ReportStudyManifestSchema>;
