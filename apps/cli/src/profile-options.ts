import { defaultPermutations, KendallVariantSchema } from "@profilekit/core";
import { DEFAULT_SOURCE_MAX_CHARS } from "@profilekit/llm";
import {
  type ExtractionSettings,
  parseFactorIds,
  parseFactorOptionAssignments,
  type Scoring,
} from "@profilekit/runner";
import { type ClusterLevel, ClusterLevelSchema } from "@profilekit/spec";
import { type Command, InvalidArgumentError, Option } from "commander";
import { collect, integerIn } from "./option-parsers.js";

const clusterLevel = (raw: string): ClusterLevel => {
  const parsed = ClusterLevelSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `"${raw}" is not a cluster level (source, prompt, source+prompt, pair, group, meta.<key>, auto)`,
    );
  }
  return parsed.data;
};

/** The flags that score a profile (--seed is each command's own). */
export interface ScoringFlags {
  readonly cluster?: ClusterLevel;
  readonly variant: Scoring["variant"];
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
}

/** How the model-extracted factors are asked (`--extract-mode`, `--no-both-orders`, `--source-budget`). */
export interface ExtractionFlags {
  readonly extractMode: ExtractionSettings["mode"];
  readonly readings: number;
  readonly bothOrders: boolean;
  readonly sourceBudget: number;
}

/** The flags that choose the factors of a run. */
export interface FactorFlags {
  readonly factors?: string;
  readonly option: string[];
  readonly extractor?: string;
}

/** Adds --variant, --bootstrap, --permutations and --cluster. */
function addScoringOptions(command: Command): Command {
  return command
    .option(
      "--cluster <level>",
      "the resampling unit: source, prompt, source+prompt, pair, group, meta.<key> or auto (default: the preset's natural level, else auto)",
      clusterLevel,
    )
    .addOption(
      new Option("--variant <variant>", "Kendall variant reported as tau")
        .choices(KendallVariantSchema.options)
        .default("tau14"),
    )
    .option("--bootstrap <B>", "bootstrap resamples for the 95% CI (0: none)", integerIn(0, 1_000_000), 1000)
    .option(
      "--permutations <R>",
      "sign-flip permutations for the p-value (0: none)",
      integerIn(0, 1_000_000),
      defaultPermutations,
    );
}

/** Adds the flags that shape model extraction; they matter only with --extractor. */
function addExtractionOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--extract-mode <mode>",
        "joint: each distinct response read once, pair-level factors per pair; pair-joint: every factor in one call per pair and order; per-factor: one call per factor",
      )
        .choices(["joint", "pair-joint", "per-factor"])
        .default("joint"),
    )
    .option(
      "--readings <n>",
      "readings of each distinct response, averaged (joint, per-factor)",
      integerIn(1, 20),
      1,
    )
    .option("--no-both-orders", "ask each pair in one seeded order only (default: both orders, reconciled)")
    .option(
      "--source-budget <chars>",
      "longer source documents are cut to this many characters (the cut is counted)",
      integerIn(1000),
      DEFAULT_SOURCE_MAX_CHARS,
    );
}

/** The factors a stage measures without --factors. */
const taskFactorsByDefault = "the task's factors that need no model, plus its model factors with --extractor";

/**
 * Adds --factors (`factorsByDefault` says what it defaults to), --option, --extractor and the
 * extraction flags.
 */
export function addFactorOptions(command: Command, factorsByDefault = taskFactorsByDefault): Command {
  return addExtractionOptions(
    command
      .option(
        "--factors <ids>",
        `comma-separated factor ids (\`profilekit factors\` lists them; default: ${factorsByDefault})`,
      )
      .option(
        "--option <factor.key=value>",
        "a factor option, repeatable, e.g. length.unit=chars",
        collect,
        [],
      )
      .option(
        "--extractor <model>",
        "the model that measures the model-extracted factors, e.g. openai:gpt-4o-mini",
      ),
  );
}

/** Adds the factor flags (addFactorOptions), --variant, --bootstrap, --permutations, --cluster and --seed. */
export function addProfileOptions(command: Command, factorsByDefault = taskFactorsByDefault): Command {
  return addScoringOptions(addFactorOptions(command, factorsByDefault)).option(
    "--seed <n>",
    "seed of every random choice (orders, coins, resampling)",
    integerIn(0, 2 ** 31 - 1),
    1,
  );
}

/** The scoring fields of a request, from the flags. */
export function scoringOf(flags: ScoringFlags): Scoring {
  return {
    variant: flags.variant,
    bootstrap: flags.bootstrap,
    permutations: flags.permutations,
    seed: flags.seed,
  };
}

/** The extraction settings of a request, from the flags. */
export function extractionOf(flags: ExtractionFlags): ExtractionSettings {
  return {
    mode: flags.extractMode,
    readings: flags.readings,
    bothOrders: flags.bothOrders,
    sourceBudget: flags.sourceBudget,
  };
}

/** The factor fields of a request, from --factors and --option. */
export function factorsOf(flags: FactorFlags): {
  factors?: string[];
  factorOptions: Record<string, Record<string, unknown>>;
} {
  return {
    ...(flags.factors === undefined ? {} : { factors: parseFactorIds(flags.factors) }),
    factorOptions: parseFactorOptionAssignments(flags.option),
  };
}
