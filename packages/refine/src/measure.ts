import { alignmentChangeOfGroupCounts, type GroupCounts } from "@profilekit/core";
import { type AlignmentChange, type ImprovementFile, ImprovementFileSchema } from "@profilekit/spec";
import type { ImproveContext } from "./improve-context.js";

/** The paired before/after comparison of two profiles with the human one (core's alignmentChangeOfGroupCounts). */
export function pairedChange(
  context: ImproveContext,
  before: GroupCounts,
  after: GroupCounts,
): AlignmentChange {
  const { request, human } = context;
  return alignmentChangeOfGroupCounts(
    { human: human.groupCounts, before, after },
    { replicates: request.replicates, seed: request.seed, variant: request.variant },
  );
}

/**
 * improvement.json: the generation profile before and after, each aligned with the human one,
 * the paired change, and (for `after`) the same for the model as a judge. Validated against its
 * schema before it is written.
 */
export function improvementFile(
  context: ImproveContext,
  parts: {
    readonly model: string;
    readonly baseModel?: string;
    readonly evaluator: ImprovementFile["evaluator"];
    readonly split: ImprovementFile["inputs"]["split"];
    readonly inputs: number;
    readonly folders: ImprovementFile["folders"];
    readonly generation: AlignmentChange;
    readonly evaluation?: ImprovementFile["evaluation"];
  },
): ImprovementFile {
  const { request, human } = context;
  return ImprovementFileSchema.parse({
    schemaVersion: 1,
    method: request.method,
    model: parts.model,
    ...(parts.baseModel ? { baseModel: parts.baseModel } : {}),
    evaluator: parts.evaluator,
    extractor: request.extractor?.id ?? null,
    reference: { file: context.shown(human.file), pairs: human.profile.pairs, groups: human.profile.groups },
    inputs: { count: parts.inputs, split: parts.split },
    levels: request.levels,
    seed: request.seed,
    folders: parts.folders,
    ...parts.generation,
    ...(parts.evaluation ? { evaluation: parts.evaluation } : {}),
  });
}
