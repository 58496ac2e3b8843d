// @profilekit/refine: improvement on top of the runner's stages (PROFILE's third question: can the
// model's better alignment as an evaluator improve its generation?). `improve` runs one method and
// measures it; the pieces below let a library user build, check or export on their own.

export { improve, type ImproveResult } from "./improve.js";
export { ImproveRequestSchema, type ImproveRequest } from "./improve-request.js";
export { estimateImprove, planImprove } from "./plan.js";
export {
  type ConfigInput,
  ConfigSchema,
  defineConfig,
  improvementStage,
  ImprovementSettingsSchema,
  type ImprovementSettings,
} from "./study-stage.js";

// The methods' parts
export { factorGuidance, type FactorGuidance, type FactorScores, type GuidanceLine } from "./guidance.js";
export { guidedTemplate } from "./guided-prompt.js";
export { critiquePrompt, guidedGenerationPrompt, revisionGuidancePrompt } from "./prompts.js";
export { critiqueSchema, revisionGuidance } from "./critique.js";
export { refineResponses, type FeedbackOptions } from "./feedback-loop.js";
export { revisionPairs, revisionSummary } from "./revision-profile.js";
export { RevisionProfileSchema, type RevisionProfile } from "./revision-profile-file.js";
export { splitInputs } from "./split.js";
export { planSamples, samplePairs } from "./samples.js";
export { trainingData, type JudgedPair } from "./preference-data.js";
export { DataProfileSchema } from "./methods/self-data.js";

// Training data and its exports
export {
  type CompletionRecord,
  type PreferenceRecord,
  type Side,
  type TrainingRecords,
  type ValidatedRecords,
  validateRecords,
} from "./export/training-records.js";
export {
  axolotlStanza,
  type FormatWriter,
  formatWriters,
  llamaFactoryDatasetInfo,
} from "./export/formats.js";
export { writeExports } from "./export/write-exports.js";
