export { main, createProgram } from "./main.js";
export { createBuiltinRegistry, deterministicFactorIds } from "./builtin-plugins.js";
export { runAnalysis, type AnalysisRequest, type AnalysisResult, type ScoringOptions } from "./analysis.js";
