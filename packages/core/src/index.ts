export { groupHash, NULL_SIGN, type PairColumns, ProfileAccumulator } from "./accumulator.js";
export { type ClusteredPair, clusterKeyOf, groupKeyOf } from "./group-key.js";
export {
  allKendallVariants,
  type FactorCounts,
  type KendallVariant,
  KendallVariantSchema,
  type KendallVariants,
  kendallTau,
  kendallVariants,
} from "./kendall.js";
export {
  computeProfile,
  defaultBootstrap,
  defaultPermutations,
  type ProfileOptions,
  ProfileOptionsSchema,
  profileFromGroupCounts,
} from "./profile.js";
export { type GroupCounts, GroupCountsSchema, groupCountsOf } from "./group-counts.js";
export { fewClusters, type IntervalMethod, minimumClusters } from "./few-clusters.js";
export {
  type FactorScore,
  FactorScoreSchema,
  KendallVariantsSchema,
  type Profile,
  type ProfileAttribution,
  ProfileAttributionSchema,
  ProfileSchema,
} from "./profile-schema.js";
export { createRandom, type Random } from "./random.js";
export { PluginRegistry } from "./registry.js";
export { averageRanks, rankSpearman, rankTauB } from "./rank-correlation.js";
export {
  accuracyWithoutTies,
  cohenKappa,
  type LabelAgreement,
  LabelAgreementSchema,
  labelAgreement,
  type OrderedVerdicts,
  positionConsistency,
  tieRate,
  unswapLabel,
} from "./agreement.js";
export {
  type JudgeAgreement,
  type JudgeAgreementOptions,
  JudgeAgreementOptionsSchema,
  JudgeAgreementSchema,
  type JudgedPair,
  judgeAgreement,
} from "./judge-agreement.js";
export {
  type Alignment,
  type AlignmentOptions,
  AlignmentOptionsSchema,
  AlignmentSchema,
  alignProfiles,
  type Correlation,
  type FactorShift,
  type GenerationEvaluationGap,
  GenerationEvaluationGapSchema,
  generationEvaluationGap,
  type ProfileLike,
  type Resampling,
  ResamplingSchema,
} from "./alignment.js";
export {
  alignGroupCounts,
  alignmentChangeOfGroupCounts,
  type GroupCountsAlignmentOptions,
  GroupCountsAlignmentOptionsSchema,
  generationEvaluationGapOfGroupCounts,
} from "./paired-alignment.js";
export {
  type JointRegression,
  type JointRegressionOptions,
  JointRegressionOptionsSchema,
  JointRegressionSchema,
  jointRegression,
  type RegressionPair,
} from "./joint-regression.js";
export {
  type LengthControlOptions,
  type LengthControlPair,
  type LengthControlledScore,
  LengthControlledScoreSchema,
  lengthControlledScores,
  type MeasuredSign,
  partialTau,
  signTauB,
} from "./length-control.js";
export {
  type ClusteredAuc,
  ClusteredAucSchema,
  clusteredAuc,
  type LabelledItem,
  type RatedItem,
  type SummaryLevelCorrelation,
  SummaryLevelCorrelationSchema,
  summaryLevelCorrelation,
  type ValidationOptions,
  ValidationOptionsSchema,
} from "./extractor-validation.js";
export {
  type ManifestationLike,
  type ManifestationTable,
  tabulateManifestations,
} from "./manifestation-table.js";
export { type ClusteredTauB, ClusteredTauBSchema, clusteredTauB } from "./item-level-correlation.js";
