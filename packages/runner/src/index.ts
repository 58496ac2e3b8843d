// @profilekit/runner: profilekit's engine as a library. Each stage takes one typed request,
// parsed once, and returns the objects it also writes (with `out`; without it nothing is written).

// The stages
export {
  AnalyzeProfileSchema,
  AnalyzeRequestSchema,
  analyze,
  estimateAnalyze,
  planAnalyze,
  ExtractionSummarySchema,
  type AnalyzeProfile,
  type AnalyzeRequest,
  type AnalyzeResult,
} from "./human-stage.js";
export {
  estimateJudge,
  planJudge,
  JudgeProfileSchema,
  JudgeRequestSchema,
  judge,
  type JudgeCounts,
  type JudgeProfile,
  type JudgeRequest,
  type JudgeResult,
} from "./judge-stage.js";
export {
  estimateGenerate,
  planGenerate,
  GenerateRequestSchema,
  GenerationProfileSchema,
  generate,
  type GenerateRequest,
  type GenerateResult,
  type GenerationCounts,
  type GenerationProfile,
} from "./generation-stage.js";
export {
  AlignmentFileSchema,
  AlignRequestSchema,
  align,
  compareProfiles,
  type AlignmentFile,
  type AlignRequest,
  type Comparison,
  type GapEntry,
} from "./alignment-stage.js";
export { RescoreRequestSchema, rescore, type RescoreRequest } from "./rescore.js";
export {
  estimateValidate,
  ValidateRequestSchema,
  ValidationDatasetSchema,
  validate,
  validationDatasetOf,
  type ValidateRequest,
  type ValidateResult,
  type ValidationDataset,
} from "./validation-stage.js";
export {
  bundledValidationFile,
  bundledValidationNames,
  qaFeedbackMappings,
  summevalMappings,
  type BundledValidationSet,
} from "./validation-mappings.js";
export type { StageProgress } from "./model-stage.js";
export { priceCallPlans, type CallPlan, type DryRun, type PricedPlan } from "./dry-run.js";
export { defaultMaxFailures } from "./stage-guard.js";
export {
  BatchModeSchema,
  BatchOptionSchema,
  BatchPendingError,
  BatchRoundSchema,
  batchModeOf,
  DEFAULT_POLL_SECONDS,
  inBatchRounds,
  inStageBatchRounds,
  leftToQueue,
  pendingOn,
  plannedRounds,
  type BatchMode,
  type BatchOption,
  type BatchRound,
  type BatchSettings,
} from "./batch-rounds.js";
export { ScoringSchema, type Scoring } from "./stage-request.js";

// Studies (profilekit.config.ts)
export {
  ConfigSchema,
  configSchema,
  defineConfig,
  parseConfig,
  type Config,
  type ConfigInput,
} from "./study-config.js";
export type {
  AddedStageOutcome,
  StudyCommonFields,
  StudyModelRole,
  StudyStage,
  StudyStageContext,
  StudyStageResult,
} from "./study-stage.js";
export {
  estimateStudy,
  runStudy,
  type StageOutcome,
  type StudyConfig,
  type StudyOptions,
  type StudyOutcome,
} from "./study.js";
export { loadPlugins, type LoadedPlugin } from "./plugin-loading.js";
export { configFileNames, findConfigFile, loadConfig } from "./config-file.js";
export { configProviders } from "./config-providers.js";
export {
  bundledDataFor,
  type StarterConfigOptions,
  starterConfig,
  writeStarterConfig,
} from "./config-template.js";

// Inputs, models and factors
export { PairSet, readPairSet } from "./pair-set.js";
export {
  CacheSpecSchema,
  ModelSettingsSchema,
  ModelSpecSchema,
  openModelClient,
  type CacheSpec,
  type ModelSettings,
  type ModelSpec,
  type ModelSpecInput,
} from "./model-spec.js";
export { ExtractionSettingsSchema, type ExtractionSettings } from "./model-extraction.js";
export { builtinFactors, builtinTasks, createBuiltinRegistry } from "./builtins.js";
export { modelFreeFactorIds, needsModel, taskFactorIds } from "./factor-selection.js";
export { parseFactorIds, parseFactorOptionAssignments } from "./factor-assignments.js";

// Run folders
export {
  checkSchemaVersion,
  finishedRunFolder,
  openRunFolder,
  readRunJson,
  type ProfileFile,
  type RunFolder,
} from "./run-folder/reader.js";
export { checkRunRecord } from "./run-folder/line-files.js";
export {
  detectModel,
  detectRole,
  readProfileInput,
  ProfileRoleSchema,
  type ProfileInput,
  type ProfileRole,
} from "./profile-inputs.js";
export {
  type Attribution,
  type AttributionOptions,
  attributionDefaults,
  computeAttribution,
} from "./attribution.js";
export { sumUsage } from "./usage-sum.js";
export { threadedMinBytes } from "./threaded-analysis.js";
