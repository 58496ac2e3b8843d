export { main, createProgram } from "./main.js";
export { createBuiltinRegistry, deterministicFactorIds } from "./builtin-plugins.js";
export { runAnalysis, type AnalysisRequest, type AnalysisResult, type ScoringOptions } from "./analysis.js";
export { defineConfig, ConfigSchema, type Config, type ConfigInput, type ModelSettings } from "./config-schema.js";
export { AlignmentFileSchema, type AlignmentFile } from "./profile-comparison.js";
