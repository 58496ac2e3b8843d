export {
  createModelClient,
  DEFAULT_ESTIMATED_OUTPUT_TOKENS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RESERVED_OUTPUT_TOKENS,
  DEFAULT_TIMEOUT_MS,
  type CallOptions,
  type EstimateRequest,
  type GenerateObjectOptions,
  type GenerateResult,
  type ModelClient,
  type ModelClientOptions,
  type ModelEvent,
} from "./client.js";
export { Budget, type Reservation } from "./budget.js";
export {
  CacheCheckSchema,
  DEFAULT_CACHE_PATH,
  repairCommand,
  type CacheCheck,
  type CacheStats,
} from "./cache.js";
export {
  cacheStats,
  clearCache,
  describeCacheStats,
  describeClear,
  describeRepair,
  promptVersionFactors,
  promptVersionNamesFactor,
  repairCache,
  type CacheFilter,
  type RepairReport,
} from "./cache-maintenance.js";
export {
  BudgetExceededError,
  CacheError,
  ModelCallError,
  ModelConfigurationError,
  type FailureCause,
  type FailureKind,
} from "./errors.js";
export { approxTokens, EstimateReportSchema, type EstimateReport } from "./estimate.js";
export {
  describeFailures,
  FailureCauseSchema,
  FailureGroupSchema,
  type FailureGroup,
} from "./failures.js";
export {
  DEFAULT_PRICES,
  ModelPriceSchema,
  PriceOverridesSchema,
  PriceTableSchema,
  costOf,
  findPrice,
  priceTable,
  type ModelPrice,
  type PriceOverrides,
  type PriceRate,
  type PriceTable,
  type TokenCounts,
} from "./prices.js";
export {
  anthropicProvider,
  BUILTIN_PROVIDERS,
  openaiCompatibleProvider,
  openaiProvider,
} from "./providers/builtin.js";
export { anthropicWire, MESSAGES_ENDPOINT, type AnthropicWireSettings } from "./providers/anthropic-wire.js";
export { CHAT_COMPLETIONS_ENDPOINT, openaiWire, type OpenAIWireSettings } from "./providers/openai-wire.js";
export {
  createLanguageModel,
  createProviderRegistry,
  ProviderRegistry,
  PROVIDERS,
  type LanguageModelOptions,
  type ProviderName,
} from "./providers/registry.js";
export {
  BatchItemStateSchema,
  BatchJobSchema,
  BatchJobStateSchema,
  BatchJournal,
  type BatchItemState,
  type BatchJob,
} from "./batch/journal.js";
export {
  BatchQueue,
  type BatchQueueMode,
  type BatchRoute,
  type Canary,
  type QueuedCall,
} from "./batch/queue.js";
export {
  BATCH_HEADROOM,
  BatchSubmissionSchema,
  exportBatchFile,
  SubmittedBatchSchema,
  submitBatchRound,
  type BatchSubmission,
  type SubmitOptions,
} from "./batch/submit.js";
export {
  BatchActionSchema,
  BatchJobViewSchema,
  BatchReportSchema,
  runBatchAction,
  type BatchAction,
  cancelBatches,
  collectBatches,
  importBatchFile,
  listBatches,
  refreshBatches,
  SettledCountsSchema,
  type BatchCommandOptions,
  type BatchJobView,
  type BatchReport,
  type SettledCounts,
} from "./batch/collect.js";
export { ANTHROPIC_BATCH_LIMITS } from "./providers/anthropic-batch.js";
export { OPENAI_BATCH_LIMITS } from "./providers/openai-batch.js";
export { redactSecrets } from "./redact.js";
export { DEFAULT_BACKOFF, type BackoffOptions } from "./retry.js";
export { DEFAULT_CONCURRENCY } from "./scheduler.js";
export {
  UsageReportSchema,
  UsageTotalsSchema,
  UsageTracker,
  type UsageReport,
  type UsageTotals,
} from "./usage.js";
export {
  createModelFactorExtractor,
  EXTRACTION_STAGE,
  type ModelFactorExtractorOptions,
  type ModelFactorExtractorWithStats,
} from "./extraction/extractor.js";
export { DEFAULT_SOURCE_MAX_CHARS } from "./extraction/inputs.js";
export { planExtraction } from "./extraction/plan.js";
export { measureModeAgreement, ModeAgreementSchema, type ModeAgreement } from "./extraction/agreement.js";
export {
  CHECKLIST_TEMPLATE_VERSION,
  EXTRACTION_TEMPLATE_VERSIONS,
  FACT_LEDGER_VERSION,
  JOINT_TEMPLATE_VERSION,
  SINGLE_TEMPLATE_VERSION,
} from "./extraction/templates.js";
export {
  ChecklistRecordSchema,
  ExtractionModeSchema,
  ExtractionRecordSchema,
  LedgerFactRecordSchema,
  ReadingRecordSchema,
  ResponseRefSchema,
  type ChecklistRecord,
  type ExtractionMode,
  type ExtractionRecord,
  type ReadingRecord,
  type ResponseRef,
} from "./extraction/records.js";
export {
  ExtractionStatsSchema,
  FactorExtractionStatsSchema,
  PositionConsistencySchema,
  type ExtractionStats,
  type FactorExtractionStats,
  type PositionConsistency,
} from "./extraction/stats.js";
