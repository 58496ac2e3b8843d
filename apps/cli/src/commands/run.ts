import { join, relative } from "node:path";
import { formatDryRun, renderStudy, renderStudyFooter, writeReport } from "@profilekit/report";
import { improvementStage } from "@profilekit/refine";
import { estimateStudy, findConfigFile, loadConfig, runStudy } from "@profilekit/runner";
import { Command } from "commander";
import { modelRunExitCodes } from "../error-report.js";
import type { CliIo } from "../io.js";
import { batchOf, type ModelFlags } from "../model-options.js";
import { createStepProgress } from "../progress.js";
import { cliVersions } from "../versions.js";

interface RunFlags extends Pick<ModelFlags, "batch"> {
  config?: string;
  force?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
}

const help = `
Examples:
  $ profilekit init                      # writes a commented profilekit.config.ts
  $ profilekit run                       # runs ./profilekit.config.ts
  $ profilekit run --config study/profilekit.config.mjs

The config (profilekit.config.ts, .mts, .mjs, .js or .json; see docs/configuration.md)
names the task, the data, the factors, any plugins, the models and the settings to run.
Each setting writes its folder of the run folder (config "out", default runs/<task>):
human/ (as analyze), evaluation/ (models.judge, as judge), generation/ (models.generator,
as generate), alignment/ (the model profiles against the human one), then manifest.json
(resolved config, seed, models, counts, usage and cost per stage) and report.html with
report.md (docs/report.md; config "report: false" turns them off).

Model-extracted factors (fluency, hallucination, ...) are measured by models.extractor in
every setting. A model setting the config leaves out can still be written into the run
folder by \`profilekit judge\` / \`generate\` (--out <run>/evaluation); run aligns it too.

Resume: run it again and a setting that already finished for the same inputs (its
manifest.json carries the same configHash: the config fields it uses, its model, and the
data's sha256) is skipped; model calls are answered from the cache. --force re-runs every
setting.

${modelRunExitCodes}`;

export function runCommand(io: CliIo): Command {
  return new Command("run")
    .summary("run the stages a profilekit.config.ts describes")
    .description(
      "Load profilekit.config.ts (and its plugins), run each configured setting into its folder,\nalign the model profiles with the human one, and write the run's manifest.json.",
    )
    .option("--config <file>", "the config file (default: ./profilekit.config.ts, .mts, .mjs, .js or .json)")
    .option("--force", "run every setting again, even those already finished")
    .option("--dry-run", "price every model call of the study (standard and batch rates), calling nothing")
    .option("--batch <mode...>", "submit|wait|off or export FILE, over the config's batch (docs/scaling.md)")
    .option("-q, --quiet", "print nothing but errors")
    .addHelpText("after", help)
    .action(async (flags: RunFlags) => {
      const file = await findConfigFile(flags.config, process.cwd());
      const stages = [improvementStage];
      const loaded = await loadConfig(file, { stages });
      if (flags.dryRun) {
        const dryRun = await estimateStudy(loaded, { versions: cliVersions, stages });
        io.stdout.write(`${formatDryRun(`dry run of ${relative(process.cwd(), file) || file}`, dryRun)}\n`);
        return;
      }
      const progress = createStepProgress(io.stderr, !flags.quiet);
      const outcome = await runStudy(loaded, {
        ...(flags.force ? { force: true } : {}),
        ...batchOf(flags),
        stages,
        versions: cliVersions,
        ...(io.signal ? { signal: io.signal } : {}),
        onStage: (setting, status) => {
          progress.done();
          if (flags.quiet) return;
          if (status === "resumed") {
            io.stderr.write(`${setting}: finished earlier for the same config and data; skipped\n`);
          } else if (status === "found") {
            io.stderr.write(
              `${setting}: using the profile in ${setting}/ (written by profilekit ${setting === "evaluation" ? "judge" : "generate"})\n`,
            );
          } else {
            io.stderr.write(`${setting}: running\n`);
          }
        },
        onProgress: (setting, { step, done, total }) => progress.update(`${setting}: ${step}`, done, total),
      });
      progress.done();
      const report = loaded.config.report
        ? await writeReport([outcome.outDir], { out: join(outcome.outDir, "report.html") })
        : undefined;
      if (flags.quiet) return;
      io.stdout.write(renderStudy(outcome));
      const shown = relative(process.cwd(), outcome.outDir) || ".";
      io.stderr.write(renderStudyFooter(outcome, shown, report !== undefined));
    });
}
