export { specificationVersion, type SpecificationVersion } from "./version.js";
export { ProfilekitError, formatLocation, isProfilekitError, type ErrorLocation } from "./errors.js";
export { errorCatalog, isErrorCode, type ErrorCode } from "./error-codes.js";
export { canonicalHash, canonicalJson } from "./canonical-json.js";
export {
  ClusterLevelSchema,
  LabelSchema,
  PairSchema,
  labelToPreference,
  parseCommonPair,
  type ClusterLevel,
  type Label,
  type Pair,
} from "./pair.js";
export {
  ManifestationSchema,
  SignSchema,
  signOfDifference,
  type Manifestation,
  type Sign,
} from "./manifestation.js";
export {
  FactCountSchema,
  FactorInputSchema,
  FactorLevelSchema,
  FactorMetadataSchema,
  FactorMethodSchema,
  FactorOutputSchema,
  FactorPromptSchema,
  definePairFactor,
  defineResponseFactor,
  type FactCount,
  type FactorContext,
  type FactorInput,
  type FactorLevel,
  type FactorMetadata,
  type FactorMethod,
  type FactorOutput,
  type FactorPlugin,
  type FactorPrompt,
  type ModelFactorExtractor,
} from "./factor.js";
export { defineModelFactor, type ModelFactorDescription } from "./model-factor.js";
export {
  PromptTemplateSchema,
  TaskAdapterSchema,
  judgeChoices,
  judgeVerdicts,
  type PromptTemplate,
  type TaskAdapter,
  type TaskAdapterInput,
} from "./task.js";
export {
  renderPromptTemplate,
  renderTemplate,
  templatePlaceholders,
  type TemplateVariables,
} from "./template.js";
export {
  ChatMessageSchema,
  StructuredOutputSupportSchema,
  TokenUsageSchema,
  type ChatMessage,
  type LanguageModel,
  type ModelCallRequest,
  type ModelRequest,
  type ModelResponse,
  type ModelWireFormat,
  type StructuredOutputSupport,
  type TokenUsage,
  type WireRequest,
} from "./language-model.js";
export {
  ProviderIdSchema,
  defineProvider,
  isProviderPlugin,
  languageModelProblems,
  parseProviderPlugin,
  type ProviderModelSettings,
  type ProviderPlugin,
} from "./provider.js";
export {
  factorPromptDocumentationProblems,
  modelFactorProblems,
  taskAdapterProblems,
  taskPromptDocumentationProblems,
  type ModelFactorExpectation,
  type TaskAdapterExpectation,
} from "./conformance.js";
export {
  FactorRecordSchema,
  GenerationSummarySchema,
  JudgeAgreementSchema,
  JudgeManifestAgreementSchema,
  JudgementRecordSchema,
  JudgeOrderSchema,
  LabelRecordSchema,
  ResponseRecordSchema,
  ResponseStatusSchema,
  runFolderSchemaVersion,
  StageManifestSchema,
  StudyManifestSchema,
  type GenerationSummary,
  type JudgeAgreement,
  type JudgeManifestAgreement,
  type JudgementRecord,
  type JudgeOrder,
  type LabelRecord,
  type ResponseRecord,
  type ResponseStatus,
  type StageManifest,
  type StudyManifest,
} from "./run-files.js";
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
} from "./extraction-records.js";
