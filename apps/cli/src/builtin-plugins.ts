import { PluginRegistry } from "@profilekit/core";
import type { FactorPlugin } from "@profilekit/spec";
import coherence from "@profilekit/factor-coherence";
import fluency from "@profilekit/factor-fluency";
import formality from "@profilekit/factor-formality";
import formalityAlignment from "@profilekit/factor-formality-alignment";
import hallucination from "@profilekit/factor-hallucination";
import helpfulness from "@profilekit/factor-helpfulness";
import intentAlignment from "@profilekit/factor-intent-alignment";
import length from "@profilekit/factor-length";
import misinformation from "@profilekit/factor-misinformation";
import novelty from "@profilekit/factor-novelty";
import numberOfFacts from "@profilekit/factor-number-of-facts";
import offFocus from "@profilekit/factor-off-focus";
import readability from "@profilekit/factor-readability";
import receptiveness from "@profilekit/factor-receptiveness";
import sourceCoverage from "@profilekit/factor-source-coverage";
import sourceOverlap from "@profilekit/factor-source-overlap";
import documentQa from "@profilekit/task-document-qa";
import instructionFollowing from "@profilekit/task-instruction-following";
import summarization from "@profilekit/task-summarization";

/** The factors that need no model: the default of `analyze` when --factors is not given. */
export const deterministicFactorIds = ["length", "novelty", "source-overlap", "readability", "formality"];

const builtinFactors: readonly FactorPlugin[] = [
  // rule-based, no model needed
  length,
  novelty,
  sourceOverlap,
  readability,
  formality,
  // PROFILE's model-extracted factors
  fluency,
  coherence,
  numberOfFacts,
  sourceCoverage,
  offFocus,
  hallucination,
  misinformation,
  intentAlignment,
  formalityAlignment,
  helpfulness,
  receptiveness,
];

/** Whether a plugin is one of the built-in factors (so a worker thread can load it again by id). */
export function isBuiltinFactor(plugin: FactorPlugin): boolean {
  return builtinFactors.includes(plugin);
}

/** A registry holding every built-in factor and task; a config may register more. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of builtinFactors) registry.registerFactor(plugin);
  for (const task of [summarization, instructionFollowing, documentQa]) registry.registerTask(task);
  return registry;
}
