import type { AlignmentFile, GenerateResult } from "@profilekit/runner";
import { generate } from "@profilekit/runner";
import type { ExportSummary, ImprovementFile, Pair, SplitFile } from "@profilekit/spec";
import type { ImproveContext } from "../improve-context.js";
import type { RevisionProfile } from "../revision-profile-file.js";

/** What a method made, for the result, improvement.json and the run's manifest.json. */
export interface MethodOutcome {
  /** improvement.json (every method but self-data). */
  readonly improvement?: ImprovementFile;
  /** revision-profile.json (feedback). */
  readonly revision?: RevisionProfile;
  /** split.json (self-data). */
  readonly split?: SplitFile;
  /** export/export.json (self-data). */
  readonly exports?: ExportSummary;
  /** alignment.json (self-data): the data profile and the plain generation against the human profile. */
  readonly alignment?: AlignmentFile;
  /** manifest.json's `models`, `improve`, `folders` and `counts`. */
  readonly models: Readonly<Record<string, string>>;
  readonly improve: Readonly<Record<string, unknown>>;
  readonly folders: Readonly<Record<string, string>>;
  readonly counts: Readonly<Record<string, unknown>>;
}

/**
 * The plain generation (PROFILE's generation setting, runner's `generate`) into before/: on every
 * input (the first `limit`), or on the pairs given (self-data's held-out inputs).
 */
export async function plainGeneration(
  context: ImproveContext,
  pairs?: readonly Pair[],
): Promise<GenerateResult> {
  const { request } = context;
  return context.part("before", () =>
    generate({
      ...context.stageRequest("before", pairs),
      model: context.budget.spec(request.model),
      levels: request.levels,
      ...(pairs === undefined && request.limit !== undefined ? { limit: request.limit } : {}),
    }),
  );
}
