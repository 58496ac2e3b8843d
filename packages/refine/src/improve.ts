import type { UsageReport } from "@profilekit/llm";
import { type AlignmentFile, inStageBatchRounds, leftToQueue, pendingOn } from "@profilekit/runner";
import { RunFolderWriter } from "@profilekit/runner/stage-kit";
import type { ExportSummary, ImprovementFile, ImproveMethod, SplitFile } from "@profilekit/spec";
import { type ImproveContext, inBatchRound, resolveImprove } from "./improve-context.js";
import { improveManifest, mergeUsage } from "./improve-manifest.js";
import type { ImproveRequest } from "./improve-request.js";
import { runAfter } from "./methods/after.js";
import { runFeedback } from "./methods/feedback.js";
import { runGuided } from "./methods/guided.js";
import type { MethodOutcome } from "./methods/plain-generation.js";
import { runSelfData } from "./methods/self-data.js";
import type { RevisionProfile } from "./revision-profile-file.js";

/** What `improve` made: the same objects it wrote into `out`. */
export interface ImproveResult {
  readonly method: ImproveMethod;
  /** improvement.json: before and after aligned with the human profile, and the paired change; absent for self-data. */
  readonly improvement: ImprovementFile | undefined;
  /** revision-profile.json (feedback). */
  readonly revision: RevisionProfile | undefined;
  /** split.json (self-data). */
  readonly split: SplitFile | undefined;
  /** export/export.json (self-data): the files, their rows, and the rows dropped per reason. */
  readonly exports: ExportSummary | undefined;
  /** alignment.json (self-data): the data profile and the plain generation against the human profile. */
  readonly alignment: AlignmentFile | undefined;
  /** The run's folders, relative to `out`. */
  readonly folders: Readonly<Record<string, string>>;
  /** The files written at the top of `out`, manifest.json (written last) included; empty without `out`. */
  readonly files: readonly string[];
  readonly manifest: Record<string, unknown>;
  /** Every call of the run, each part's stages as `<part>/<stage>`. */
  readonly usage: UsageReport;
}

/** A method: it writes its parts' folders, and its own files at the top through `top`. */
type Method = (context: ImproveContext, top: RunFolderWriter) => Promise<MethodOutcome>;

const methods: Record<ImproveMethod, Method> = {
  guided: runGuided,
  feedback: runFeedback,
  "self-data": runSelfData,
  after: runAfter,
};

/**
 * PROFILE's third question: can the model's better alignment as an evaluator improve its
 * generation? Runs one method (docs/improvement.md):
 *
 * - `guided`: generation with guidance from the human profile added to the prompt;
 * - `feedback`: self-refinement, the evaluator critiquing factor by factor and the generator revising;
 * - `self-data`: fine-tuning data from the model's own order-consistent judgements, exported for
 *   OpenAI, TRL, Axolotl and LLaMA-Factory, with its data profile;
 * - `after`: a model tuned on that data, measured on the held-out inputs.
 *
 * Every part is a run folder of its own under `out` (before/, after/, data/, ...), published whole
 * or not at all; improvement.json (or, for self-data, split.json, export/ and alignment.json) and,
 * last, manifest.json go at the top. Model calls are cached, retried and budgeted as in every
 * stage: a run cut off resumes from the cache.
 *
 * In batch mode (`batch`), each run of the method goes as far as the answers allow and leaves
 * the rest to the round's batches (docs/scaling.md): the parts that do not depend on each other
 * share a round, each dependent step (generation, then its extraction; a critique, then its
 * revision; the samples, then their judgements) takes one.
 */
export async function improve(input: ImproveRequest): Promise<ImproveResult> {
  const context = await resolveImprove(input);
  return inStageBatchRounds(context.request, "improve", (request, queue) =>
    improveOnce(inBatchRound(context, request, queue)),
  );
}

async function improveOnce(context: ImproveContext): Promise<ImproveResult> {
  const top = await RunFolderWriter.open(context.folder());
  try {
    const outcome = await methods[context.request.method](context, top);
    if (outcome.improvement) await top.json("improvement.json", outcome.improvement);
    if (outcome.revision) await top.json("revision-profile.json", outcome.revision);
    const manifest = improveManifest(context, outcome);
    await top.json("manifest.json", manifest);
    return {
      method: context.request.method,
      improvement: outcome.improvement,
      revision: outcome.revision,
      split: outcome.split,
      exports: outcome.exports,
      alignment: outcome.alignment,
      folders: outcome.folders,
      files: [...top.files],
      manifest,
      usage: mergeUsage(context.usage),
    };
  } catch (error) {
    await top.abandon();
    throw pendingWithUsage(error, context);
  }
}

/**
 * A part left calls to the round's batches: the round's synchronous calls are those of the parts
 * that finished in it and of the pending ones (their canaries and fallbacks), each counted by
 * ImproveContext.part.
 */
function pendingWithUsage(error: unknown, context: ImproveContext): unknown {
  if (!(context.batch && leftToQueue(error))) return error;
  return pendingOn(context.batch, [...context.usage.values()]);
}
