import { generate } from "@profilekit/runner";
import { factorGuidance } from "../guidance.js";
import { guidedTemplate } from "../guided-prompt.js";
import type { ImproveContext } from "../improve-context.js";
import { improvementFile, pairedChange } from "../measure.js";
import { type MethodOutcome, plainGeneration } from "./plain-generation.js";

/**
 * Guided generation: the plain generation first (before/), then the same calls with guidance
 * from the human profile and that plain profile added to the generation prompt (after/), and
 * improvement.json comparing the two.
 */
export async function runGuided(context: ImproveContext): Promise<MethodOutcome> {
  const { request, input } = context;
  const before = await plainGeneration(context);
  const guidance = factorGuidance(
    context.human.profile,
    before.profile,
    input.factors.map(({ plugin }) => plugin),
    request.guidanceFactors,
  );
  const prompt = guidedTemplate(input.task, guidance.text);
  const after = await context.part("after", () =>
    generate({
      ...context.stageRequest("after"),
      model: context.budget.spec(request.model),
      levels: request.levels,
      ...(request.limit === undefined ? {} : { limit: request.limit }),
      prompt,
    }),
  );
  const improvement = improvementFile(context, {
    model: after.model,
    evaluator: null,
    split: "all",
    inputs: after.counts.inputs,
    folders: { before: "before", after: "after" },
    generation: pairedChange(context, before.groupCounts, after.groupCounts),
  });
  return {
    improvement,
    models: { generator: after.model },
    improve: { prompt: { id: prompt.id, version: prompt.version }, guidance: guidance.lines },
    folders: { before: "before", after: "after" },
    counts: { beforePairs: before.counts.pairsFormed, afterPairs: after.counts.pairsFormed },
  };
}
