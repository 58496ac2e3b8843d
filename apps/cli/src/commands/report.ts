import { markdownPathFor, writeReport } from "@profilekit/report";
import { Command } from "commander";
import type { CliIo } from "../io.js";
import { integerIn } from "../option-parsers.js";

interface ReportFlags {
  out: string;
  title?: string;
  caption?: string;
  examples: number;
  quiet?: boolean;
}

const examples = `
Examples:
  # the whole study that \`profilekit run\` wrote
  $ profilekit report runs/qa-run --out runs/qa-run/report.html

  # stage folders and align's folder, with a title for the CI artefact
  $ profilekit report runs/qa/human runs/qa/evaluation runs/qa/generation runs/qa/alignment \\
      --title "QA-Feedback: gpt-4o-mini" --out site/index.html

Output: report.html at --out (one self-contained file: inline SVG charts, no script, nothing
loaded from the network) and report.md beside it, a summary to paste into a PR or an issue.
The report reads only the folders' files and calls no model; the same folders give the same bytes.

Exit codes: 0 ok, 2 bad usage or a folder that is not a run folder.`;

export function reportCommand(io: CliIo): Command {
  return new Command("report")
    .summary("write report.html and report.md from run folders")
    .description(
      "Write one self-contained HTML report (forest plot, human → model charts, the\n" +
        "generation-evaluation gap, length control, judge diagnostics, example pairs per\n" +
        "factor, counts and provenance) and a Markdown summary from run folders.",
    )
    .argument("<folders...>", "run folders: a `run` study, or folders of analyze, judge, generate, align")
    .option("--out <file>", "where to write report.html (report.md goes beside it)", "report.html")
    .option("--title <text>", "the report's title (default: profilekit report: <task>)")
    .option("--caption <text>", "a line under the title: what the data are, a caveat, a commit")
    .option(
      "--examples <n>",
      "concordant and discordant example pairs per factor and source",
      integerIn(0, 20),
      2,
    )
    .option("-q, --quiet", "print nothing but errors")
    .addHelpText("after", examples)
    .action(async (folders: string[], flags: ReportFlags) => {
      await writeReport(folders, {
        out: flags.out,
        examplesPerKind: flags.examples,
        ...(flags.title === undefined ? {} : { title: flags.title }),
        ...(flags.caption === undefined ? {} : { caption: flags.caption }),
      });
      if (flags.quiet) return;
      io.stderr.write(`wrote ${flags.out} and ${markdownPathFor(flags.out)}\n`);
    });
}
