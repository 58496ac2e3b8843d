export { specificationVersion, type SpecificationVersion } from "./version.js";
export { ProfilekitError, formatLocation, isProfilekitError, type ErrorLocation } from "./errors.js";
export {
  LabelSchema,
  PairSchema,
  labelToPreference,
  parseCommonPair,
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
  FactorInputSchema,
  FactorLevelSchema,
  FactorMetadataSchema,
  FactorMethodSchema,
  FactorOutputSchema,
  FactorPromptSchema,
  definePairFactor,
  defineResponseFactor,
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
export {
  ComparisonAnswerSchema,
  CountAnswerSchema,
  FactorAnswerSchemas,
  PercentageAnswerSchema,
  RatingAnswerSchema,
  defineModelFactor,
  type ComparisonAnswer,
  type CountAnswer,
  type ModelFactorDescription,
  type PercentageAnswer,
  type RatingAnswer,
} from "./model-factor.js";
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
