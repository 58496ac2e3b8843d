import { renderAlignment } from "@profilekit/report";
import { type AlignRequest, align } from "@profilekit/runner";
import { ProfilekitError } from "@profilekit/spec";
import { Command } from "commander";
import type { CliIo } from "../io.js";
import { integerIn } from "../option-parsers.js";

interface AlignFlags {
  out?: string;
  seed: number;
  replicates: number;
  labels?: string;
  roles?: string;
  quiet?: boolean;
}

const examples = `
Examples:
  # human profile first (the reference), then a judge's profile
  $ profilekit align runs/human/profile.json runs/judge/profile.json --out runs/alignment

  # one model as judge and as writer: adds its generation-evaluation gap
  $ profilekit align runs/human runs/judge runs/generate --labels human,gpt-4o-judge,gpt-4o-writer

  # profiles whose files do not say where their labels came from
  $ profilekit align h.json e.json g.json --roles human,evaluation,generation

Roles (evaluation: the model judging; generation: the model writing) are read from the files
(judge's "agreement", generate's "generation", manifest.json's command) unless --roles gives
them; "auto" leaves one to detection. Intervals are paired when the profiles' groups.json
share clusters. Output (--out DIR): alignment.json (docs/methodology.md §10).

Exit codes: 0 ok, 2 bad usage or bad input (a missing or invalid profile, different variants).`;

/** `human, judge` as a list; the runner checks there is one entry per profile. */
const listOf = (text: string | undefined) => text?.split(",").map((item) => item.trim());

export function alignCommand(io: CliIo): Command {
  return new Command("align")
    .summary("compare factor profiles: how a model's priorities differ from people's")
    .description(
      "Compare profiles with the first one (the reference, usually human): Kendall tau_b and\n" +
        "Spearman between the factor scores with bootstrap intervals, per-factor gaps with\n" +
        "intervals, top-3 overlap and sign agreement; and, given one model's evaluation and\n" +
        "generation profiles, its generation-evaluation gap.",
    )
    .argument("<profiles...>", "profile.json files (or run folders holding one); the first is the reference")
    .option("--out <dir>", "write alignment.json into this folder")
    .option("--seed <n>", "seed of the correlation intervals' resampling", integerIn(0, 2 ** 31 - 1), 1)
    .option(
      "--replicates <n>",
      "parametric-bootstrap replicates for the correlation intervals (0: none)",
      integerIn(0, 1_000_000),
      2000,
    )
    .option(
      "--labels <names>",
      "comma-separated names of the profiles, in order (default: their role or folder)",
    )
    .option(
      "--roles <roles>",
      "comma-separated roles: human, evaluation, generation or auto (default: read from the files)",
    )
    .option("-q, --quiet", "print nothing but errors")
    .addHelpText("after", examples)
    .action(async (files: string[], flags: AlignFlags) => {
      if (files.length < 2) {
        throw new ProfilekitError(
          "invalid_option",
          `align needs at least two profiles, got ${files.length}`,
          {
            hint: "give the reference (human) profile first, then one or more model profiles",
          },
        );
      }
      const labels = listOf(flags.labels);
      const roles = listOf(flags.roles) as AlignRequest["roles"];
      const alignment = await align({
        profiles: files,
        ...(labels ? { labels } : {}),
        ...(roles ? { roles } : {}),
        replicates: flags.replicates,
        seed: flags.seed,
        ...(flags.out !== undefined ? { out: flags.out } : {}),
      });
      if (flags.quiet) return;
      io.stdout.write(`${renderAlignment(alignment)}\n`);
      if (flags.out !== undefined) io.stderr.write(`wrote alignment.json to ${flags.out}\n`);
    });
}
