import { defaultPermutations, type KendallVariant, KendallVariantSchema } from "@profilekit/core";
import { type Command, Option } from "commander";
import type { ScoringOptions } from "./analysis.js";
import { addExtractionOptions, type ExtractionFlags } from "./model-extraction.js";
import { collect, integerIn } from "./option-parsers.js";

/** The flags that score a profile (--seed is each command's own). */
export interface ScoringFlags {
  readonly variant: KendallVariant;
  readonly bootstrap: number;
  readonly permutations: number;
  readonly seed: number;
}

/** The flags that choose and score the factors of a model setting's profile. */
export interface ProfileFlags extends ExtractionFlags, ScoringFlags {
  readonly factors?: string;
  readonly option: string[];
  readonly extractor?: string;
}

/** Adds --variant, --bootstrap and --permutations. */
export function addScoringOptions(command: Command): Command {
  return command
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

/** Adds --factors, --option, --extractor, --variant, --bootstrap, --permutations and --seed. */
export function addProfileOptions(command: Command): Command {
  return addScoringOptions(
    addExtractionOptions(
      command
        .option(
          "--factors <ids>",
          "comma-separated factor ids (default: the task's factors that need no model, plus its model factors with --extractor)",
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
    ),
  ).option(
    "--seed <n>",
    "seed of every random choice (orders, coins, resampling)",
    integerIn(0, 2 ** 31 - 1),
    1,
  );
}

/** The scoring options of the flags. */
export function scoringFrom(flags: ScoringFlags): ScoringOptions {
  return {
    variant: flags.variant,
    bootstrap: flags.bootstrap,
    permutations: flags.permutations,
    seed: flags.seed,
  };
}
