export { main, createProgram } from "./main.js";
export { createBuiltinRegistry, deterministicFactorIds } from "./builtin-plugins.js";
export { runAnalysis, type AnalysisRequest, type AnalysisResult, type ScoringOptions } from "./analysis.js";
export {
  defineConfig,
  ConfigSchema,
  type Config,
  type ConfigInput,
  type ModelSettings,
} from "./config-schema.js";
export { AlignmentFileSchema, type AlignmentFile } from "./profile-comparison.js";
export {
  runJudgeStage,
  JudgeProfileSchema,
  type JudgeProfile,
  type JudgeStageRequest,
  type JudgeStageResult,
} from "./judge-stage.js";
export {
  runGenerationStage,
  GenerationProfileSchema,
  type GenerationProfile,
  type GenerationStageRequest,
  type GenerationStageResult,
} from "./generation-stage.js";
export { readStagePairs, type StagePairs } from "./pair-input.js";
export type { StageExtractor, StageModel } from "./stage-models.js";
