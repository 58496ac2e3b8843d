import type { KendallVariant, PluginRegistry } from "@profilekit/core";
import type { BatchQueue, ProviderRegistry, UsageReport } from "@profilekit/llm";
import type { ClusterLevel, FactorPlugin, TaskAdapter } from "@profilekit/spec";
import type { z } from "zod";
import type { CallPlan } from "./dry-run.js";
import type { ExtractionSettings } from "./model-extraction.js";
import type { StageProgress } from "./model-stage.js";
import type { CacheSpec, ModelSpec } from "./model-spec.js";
import type { PairSet } from "./pair-set.js";
import type { Provenance } from "./provenance.js";
import type { Config } from "./study-config.js";

// A study's settings are human, evaluation and generation, and whatever an app registers beside
// them: a package above the runner (refine's `improvement`) implements StudyStage, and the app
// passes it to loadConfig, runStudy and estimateStudy. The runner never imports such a package;
// it validates the stage's block of `settings`, checks the models it needs, runs it after the
// built-in settings (so it can read their folders), resumes it by its configHash, and records it
// in the study's manifest.json.

/** The models of a config a registered stage may use. */
export type StudyModelRole = "judge" | "generator";

/** The request fields every setting of a study shares: a stage request spreads them. */
export interface StudyCommonFields {
  readonly cluster: ClusterLevel;
  readonly factors: FactorPlugin[];
  readonly factorOptions: Record<string, Record<string, unknown>>;
  readonly variant: KendallVariant;
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
  readonly extractor?: ModelSpec;
  readonly extraction: ExtractionSettings;
  readonly cache: CacheSpec;
  readonly registry: PluginRegistry;
  readonly providers: ProviderRegistry;
  readonly maxFailures: number;
  readonly signal?: AbortSignal;
}

/** What a registered stage gets from the study: its settings, its folder, and the study's common request fields. */
export interface StudyStageContext<S> {
  /** `settings.<setting>` of the config, validated by the stage's schema. */
  readonly settings: S;
  readonly config: Config;
  /** The config file's folder: relative paths in the stage's settings are taken from it. */
  readonly configDir: string;
  /** The study's run folder, absolute. */
  readonly outDir: string;
  /** The stage's folder: `<outDir>/<setting>`. */
  readonly dir: string;
  readonly task: TaskAdapter;
  /** The config's models, with `models.defaults` applied; only those the stage named are present. */
  readonly models: Partial<Record<StudyModelRole | "extractor", ModelSpec>>;
  /** The study's data, read once. */
  pairs(): Promise<PairSet>;
  /** The request fields every setting of the study shares (factors, scoring, extractor, cache, ...). */
  readonly common: StudyCommonFields;
  /** The alignment's bootstrap replicates (scoring.alignmentReplicates). */
  readonly alignmentReplicates: number;
  /** How the stage's manifest.json names the run (`run`, the setting, the config hash). */
  readonly provenance: Provenance;
  readonly onProgress: StageProgress;
  /**
   * In batch mode, the study's round: give it to the stage's requests as `batch`, so its calls go
   * in the study's batches. A BatchPendingError without `round` from `run` leaves the stage
   * pending: the study submits the round, and runs the stage again after the collect.
   */
  readonly batch?: BatchQueue;
}

/** What a registered stage reports back for the study's manifest.json. */
export interface StudyStageResult {
  /** What the stage's calls spent. */
  readonly usage?: UsageReport;
}

/** A setting a package adds to `profilekit run` (see the top of this module). */
export interface StudyStage<S = unknown> {
  /** Its key under `settings` in the config, and its folder in the run folder. */
  readonly setting: string;
  /** Validates `settings.<setting>`. */
  readonly schema: z.ZodType<S>;
  /** The config's models it calls (checked before anything runs: a missing one fails at the config). */
  models(settings: S): readonly StudyModelRole[];
  /** Built-in settings it reads the folders of (e.g. human): the config must run them. */
  readonly needs: readonly ("human" | "evaluation" | "generation")[];
  /** What changes its result beyond the study's own inputs (its models' ids, prompt versions, options): hashed into its configHash. */
  hashInputs(context: StudyStageContext<S>): unknown;
  /** Runs the stage into `context.dir`; its manifest.json (written last) carries `context.provenance.configHash`. */
  run(context: StudyStageContext<S>): Promise<StudyStageResult>;
  /** Its calls, for `run --dry-run`. */
  plan(context: StudyStageContext<S>): Promise<CallPlan[]>;
}

/** A registered stage of a finished study: ran now, or resumed (finished earlier for the same configHash). */
export interface AddedStageOutcome {
  readonly setting: string;
  readonly folder: string;
  readonly status: "ran" | "resumed";
  readonly configHash: string;
  readonly usage?: UsageReport;
}
