// @profilekit/runner/stage-kit: the building blocks of the runner's model stages, for packages
// that build stages of their own on the runner (@profilekit/refine's improvement methods). A
// stage made of them reads its input, renders every call before any is sent, calls its models
// through one usage tracker and StageGuard (budget, --max-failures, interruption), profiles its
// pairs with the extractor, and publishes its run folder whole or not at all, as judge and
// generate do. Most users want the stages themselves, from "@profilekit/runner".

export {
  distinctInputs,
  formPairs,
  GENERATE_STAGE,
  type GenerationCall,
  type GenerationInput,
  generateResponses,
  generationSeed,
  planGeneration,
} from "./generation.js";
export { type JudgeCalls, judgeEstimateRequests, judgePairs, planJudgeCalls } from "./judging.js";
export {
  inStageFolder,
  type ModelStageRequest,
  ModelStageFields,
  profileStagePairs,
  resolveStageInput,
  type StageClients,
  type StageInput,
  stageManifest,
  taskPrompt,
  withStageClients,
} from "./model-stage.js";
export { extractionCallPlan } from "./model-extraction.js";
export { renderForPair } from "./prompt-rendering.js";
export { packageVersions } from "./provenance.js";
export { inputBlock } from "./self-score-prompt.js";
export { StageGuard } from "./stage-guard.js";
export { parseRequest } from "./stage-request.js";
export { RunFolderWriter } from "./run-folder/writer.js";
