import { join, relative, resolve } from "node:path";
import type { BatchQueue, UsageReport } from "@profilekit/llm";
import { leftToQueue, type ModelSpec, PairSet, type StageProgress } from "@profilekit/runner";
import {
  distinctInputs,
  type GenerationInput,
  parseRequest,
  resolveStageInput,
  type StageInput,
} from "@profilekit/runner/stage-kit";
import { type Pair, ProfilekitError } from "@profilekit/spec";
import { type HumanReference, readHumanReference } from "./human-reference.js";
import { type ImproveRequest, ImproveRequestSchema, type ParsedImproveRequest } from "./improve-request.js";
import { RunBudget } from "./run-budget.js";

/** Everything the methods share, resolved before any model is called. */
interface ImproveContextOf<Human> {
  readonly request: ParsedImproveRequest;
  /** The pairs, their task, the factors (default: the human profile's), the scoring and cluster level. */
  readonly input: StageInput;
  readonly human: Human;
  /** The distinct inputs written for (the first `limit`). */
  readonly inputs: readonly GenerationInput[];
  readonly budget: RunBudget;
  /** The critic or judge of the method: the generator itself unless another model was given. */
  readonly evaluator: { readonly spec: ModelSpec; readonly self: boolean };
  /** A part's folder under `out` (or `out` itself); undefined without `out`. */
  folder(part?: string): string | undefined;
  /** A path as the run's files name it: relative to `out`, so they do not depend on where the run is (as given without `out`). */
  shown(path: string): string;
  /** The fields of a runner stage that makes part `part` of the run, on `pairs` (default: all). */
  stageRequest(part: string, pairs?: readonly Pair[]): ReturnType<typeof stageFields>;
  /**
   * Runs part `name` of the run (a stage that reports its usage) and counts its usage, for the
   * budget of the parts after it and the manifest; in batch mode, a part left pending on the
   * round's queue counts the usage of its synchronous calls.
   */
  part<T extends { readonly usage: UsageReport }>(name: string, run: () => Promise<T>): Promise<T>;
  /** Each part's usage, in the order they ran. */
  readonly usage: ReadonlyMap<string, UsageReport>;
  /** In batch mode, the round's queue: every part's calls go to it. */
  readonly batch: BatchQueue | undefined;
}

/** What a run's methods get. */
export type ImproveContext = ImproveContextOf<HumanReference>;

/** What a dry run gets: the human profile may not exist yet (a study's dry run, before its human setting ran). */
export type PlanContext = ImproveContextOf<HumanReference | undefined>;

function stageFields(
  request: ParsedImproveRequest,
  input: StageInput,
  part: string,
  pairs: readonly Pair[],
  budget: RunBudget,
  batch: BatchQueue | undefined,
) {
  const { onProgress } = request;
  const progress: StageProgress | undefined = onProgress
    ? (event) => onProgress({ ...event, step: `${part}: ${event.step}` })
    : undefined;
  return {
    pairs: new PairSet(input.name, pairs, input.read, input.skipped),
    factors: input.factors.map(({ plugin }) => plugin),
    factorOptions: Object.fromEntries(input.factors.map(({ plugin, options }) => [plugin.id, options])),
    ...(request.extractor
      ? { extractor: budget.spec(request.extractor), extraction: request.extraction }
      : {}),
    cache: request.cache,
    maxFailures: request.maxFailures,
    cluster: input.cluster,
    variant: request.variant,
    bootstrap: request.bootstrap,
    permutations: request.permutations,
    seed: request.seed,
    ...(request.providers ? { providers: request.providers } : {}),
    ...(request.registry ? { registry: request.registry } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(batch ? { batch } : {}),
    ...(request.out === undefined ? {} : { out: join(request.out, part) }),
    ...(progress ? { onProgress: progress } : {}),
    provenance: { command: "improve", input: input.name, versions: request.provenance.versions },
  };
}

/**
 * Parses the request once and resolves what every method needs: the human profile (with its
 * group counts), the pairs and their task, the factors (the human profile's unless given), the
 * distinct inputs, the evaluator, and the run's one budget.
 */
export async function resolveImprove(input: ImproveRequest): Promise<ImproveContext> {
  const request = parseRequest(ImproveRequestSchema, input, "improve");
  return resolveWith(request, await readHumanReference(request.human, request.variant));
}

/**
 * As `resolveImprove`, for a dry run: a human profile that does not exist yet is left out when the
 * factors are given (a study prices its improvement before its human setting has run).
 */
export async function resolvePlan(input: ImproveRequest): Promise<PlanContext> {
  const request = parseRequest(ImproveRequestSchema, input, "improve");
  let human: HumanReference | undefined;
  try {
    human = await readHumanReference(request.human, request.variant);
  } catch (error) {
    const missing = error instanceof ProfilekitError && error.code === "file_not_found";
    if (!missing || request.factors === undefined) throw error;
  }
  return resolveWith(request, human);
}

async function resolveWith<Human extends HumanReference | undefined>(
  request: ParsedImproveRequest,
  human: Human,
): Promise<ImproveContextOf<Human>> {
  const stageInput = await resolveStageInput({
    ...request,
    factors: request.factors ?? human!.profile.factors.map((f) => f.factor),
  });
  const inputs = distinctInputs(stageInput.pairs, { limit: request.limit, cluster: stageInput.cluster });
  return contextOf(request, human, stageInput, inputs, undefined);
}

/**
 * The context of one run of the method in batch mode, for `request` (a planned round's writes
 * nothing), on the round's queue: a fresh budget and usage, since each round runs the method
 * again from the start, answered from the cache up to where it stopped.
 */
export function inBatchRound(
  context: ImproveContext,
  request: ParsedImproveRequest,
  queue: BatchQueue | undefined,
): ImproveContext {
  return contextOf(request, context.human, context.input, context.inputs, queue);
}

function contextOf<Human extends HumanReference | undefined>(
  request: ParsedImproveRequest,
  human: Human,
  stageInput: StageInput,
  inputs: readonly GenerationInput[],
  batch: BatchQueue | undefined,
): ImproveContextOf<Human> {
  const self = request.evaluator === "self";
  const evaluator = { spec: self ? request.model : (request.evaluator as ModelSpec), self };
  const budget = new RunBudget(
    [request.model, evaluator.spec, request.extractor],
    batch ? () => batch.heldUsd : undefined,
  );
  const usage = new Map<string, UsageReport>();
  return {
    request,
    input: stageInput,
    human,
    inputs,
    budget,
    evaluator,
    folder: (part) =>
      request.out === undefined ? undefined : part === undefined ? request.out : join(request.out, part),
    shown: (path) =>
      request.out === undefined ? path : relative(resolve(request.out), resolve(path)) || ".",
    stageRequest: (part, pairs = stageInput.pairs) =>
      stageFields(request, stageInput, part, pairs, budget, batch),
    async part(name, run) {
      const count = (report: UsageReport) => {
        usage.set(name, report);
        budget.add(report);
      };
      try {
        const result = await run();
        count(result.usage);
        return result;
      } catch (error) {
        if (batch && leftToQueue(error) && error.usage) count(error.usage);
        throw error;
      }
    },
    usage,
    batch,
  };
}
