// The built-in factors and tasks: the one list the runner registers, and the one the factor
// scaffold (`npm run gen:factor`) adds a new factor to, between the `scaffold:` markers. Whether
// a factor needs a model follows from its own declaration (`method`), never from a list here.
import { PluginRegistry } from "@profilekit/core";
import type { FactorPlugin, TaskAdapterInput } from "@profilekit/spec";
// scaffold:factor-imports (start)
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
// scaffold:factor-imports (end)
import documentQa from "@profilekit/task-document-qa";
import instructionFollowing from "@profilekit/task-instruction-following";
import summarization from "@profilekit/task-summarization";

/** Every built-in factor, in the order `profilekit factors` lists them and defaults take them. */
export const builtinFactors: readonly FactorPlugin[] = [
  // scaffold:factors (start)
  length,
  novelty,
  sourceOverlap,
  readability,
  formality,
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
  // scaffold:factors (end)
];

/** Every built-in task. */
export const builtinTasks: readonly TaskAdapterInput[] = [summarization, instructionFollowing, documentQa];

/** Whether a plugin is one of the built-in factors (so a worker thread can load it again by id). */
export function isBuiltinFactor(plugin: FactorPlugin): boolean {
  return builtinFactors.includes(plugin);
}

/** A registry holding every built-in factor and task; a config or a caller may register more. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of builtinFactors) registry.registerFactor(plugin);
  for (const task of builtinTasks) registry.registerTask(task);
  return registry;
}
