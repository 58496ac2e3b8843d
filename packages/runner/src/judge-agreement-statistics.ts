import { clusterKeyOf, type JudgeAgreement, type JudgedPair, judgeAgreement } from "@profilekit/core";
import type { Pair } from "@profilekit/spec";
import { extractFactors } from "./analysis-batch.js";
import { needsModel } from "./factor-selection.js";
import type { Judgement } from "./judging.js";
import type { StageInput } from "./model-stage.js";

/**
 * The judge's agreement with the human labels with its counts, clustered 95% intervals (the
 * stage's clusters, bootstrap B and seed) and, beside it, a baseline per rule factor of the stage:
 * the accuracy of picking the response with more of that factor alone ("pick the longer"), and
 * the judge's paired gain over it. The rule factors are measured again here, on the pairs as
 * given: they need no model and take a fraction of the stage's time.
 */
export async function judgeAgreementStatistics(
  pairs: readonly Pair[],
  judgements: readonly Judgement[],
  input: Pick<StageInput, "factors" | "scoring" | "cluster">,
): Promise<JudgeAgreement> {
  const rules = input.factors.filter(({ plugin }) => !needsModel(plugin));
  const signs =
    rules.length === 0
      ? []
      : await extractFactors(pairs, {
          factors: rules,
          seed: input.scoring.seed,
          labelSource: "human",
          clusterLevel: input.cluster,
        });
  const judged: JudgedPair[] = pairs.map((pair, i) => {
    const judgement = judgements[i]!;
    return {
      group: clusterKeyOf(pair, input.cluster),
      human: pair.label,
      judge: judgement.label,
      verdicts: judgement.verdicts,
      signs: Object.fromEntries(rules.map(({ plugin }, f) => [plugin.id, signs[f]![i]!.sign])),
    };
  });
  return judgeAgreement(judged, {
    bootstrap: input.scoring.bootstrap,
    seed: input.scoring.seed,
    baselines: rules.map(({ plugin }) => plugin.id),
  });
}
