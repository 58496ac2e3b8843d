export { specificationVersion, type SpecificationVersion } from "./version.js";
export { ProfilekitError, formatLocation, isProfilekitError, type ErrorLocation } from "./errors.js";
export { LabelSchema, PairSchema, labelToPreference, type Label, type Pair } from "./pair.js";
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
  FactorPromptSchema,
  definePairFactor,
  defineResponseFactor,
  type FactorContext,
  type FactorInput,
  type FactorLevel,
  type FactorMetadata,
  type FactorMethod,
  type FactorPlugin,
  type FactorPrompt,
  type ModelFactorExtractor,
} from "./factor.js";
export {
  PromptTemplateSchema,
  TaskAdapterSchema,
  type PromptTemplate,
  type TaskAdapter,
  type TaskAdapterInput,
} from "./task.js";
export {
  ChatMessageSchema,
  StructuredOutputSupportSchema,
  TokenUsageSchema,
  type ChatMessage,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StructuredOutputSupport,
  type TokenUsage,
} from "./language-model.js";
