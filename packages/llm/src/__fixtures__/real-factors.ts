/** The real model factor packages and the tasks' factor sets (dev dependencies of this package). */
import coherence from "@profilekit/factor-coherence";
import fluency from "@profilekit/factor-fluency";
import formalityAlignment from "@profilekit/factor-formality-alignment";
import hallucination from "@profilekit/factor-hallucination";
import helpfulness from "@profilekit/factor-helpfulness";
import intentAlignment from "@profilekit/factor-intent-alignment";
import misinformation from "@profilekit/factor-misinformation";
import numberOfFacts from "@profilekit/factor-number-of-facts";
import offFocus from "@profilekit/factor-off-focus";
import receptiveness from "@profilekit/factor-receptiveness";
import sourceCoverage from "@profilekit/factor-source-coverage";
import type { FactorPlugin } from "@profilekit/spec";
import documentQa from "@profilekit/task-document-qa";
import instructionFollowing from "@profilekit/task-instruction-following";
import summarization from "@profilekit/task-summarization";

export const MODEL_FACTORS: readonly FactorPlugin[] = [
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

const byId = new Map(MODEL_FACTORS.map((factor) => [factor.id, factor]));

/** Each task's model-extracted factors, in the task's order. */
export const TASK_MODEL_FACTORS: Readonly<Record<string, readonly FactorPlugin[]>> = Object.fromEntries(
  [summarization, instructionFollowing, documentQa].map((task) => [
    task.id,
    task.factors.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  ]),
);

export const factorsById = (...ids: string[]): FactorPlugin[] => ids.map((id) => byId.get(id)!);
