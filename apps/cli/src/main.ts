import { Command } from "commander";
import { renderBatchRound } from "@profilekit/report";
import { BatchPendingError, createBuiltinRegistry } from "@profilekit/runner";
import { alignCommand } from "./commands/align.js";
import { batchCommand } from "./commands/batch.js";
import { analyzeCommand } from "./commands/analyze.js";
import { cacheCommand } from "./commands/cache.js";
import { factorsCommand } from "./commands/factors.js";
import { generateCommand } from "./commands/generate.js";
import { improveCommand } from "./commands/improve.js";
import { initCommand } from "./commands/init.js";
import { judgeCommand } from "./commands/judge.js";
import { presetsCommand } from "./commands/presets.js";
import { reportCommand } from "./commands/report.js";
import { runCommand } from "./commands/run.js";
import { validateCommand } from "./commands/validate.js";
import { ExitCode, reportError } from "./error-report.js";
import type { CliIo } from "./io.js";
import { cliVersion } from "./versions.js";

const overview = `
profilekit measures which quality factors (length, hallucination, coverage, ...)
drive a set of preference judgements, from people or from a model, and compares
those factor profiles (PROFILE, Oh et al. 2025, arXiv 2410.06965).

Start here:
  $ profilekit analyze pairs.jsonl            # profile of human labels, no model needed
  $ profilekit <command> --help               # every option, with examples
  $ profilekit factors                        # what can be measured

Docs: docs/methodology.md, docs/data-format.md, docs/writing-a-factor.md
`;

/** Builds the program with every command; exported for the tests. */
export function createProgram(io: CliIo): Command {
  const registry = createBuiltinRegistry();
  const program = new Command("profilekit")
    .description("Which factors drive human and model preferences, and where they disagree.")
    .version(cliVersion, "-v, --version")
    .addHelpText("after", overview);
  program.addCommand(analyzeCommand(io));
  program.addCommand(judgeCommand(io));
  program.addCommand(generateCommand(io));
  program.addCommand(alignCommand(io));
  program.addCommand(improveCommand(io));
  program.addCommand(reportCommand(io));
  program.addCommand(runCommand(io));
  program.addCommand(validateCommand(io));
  program.addCommand(initCommand(registry, io));
  program.addCommand(factorsCommand(registry, io));
  program.addCommand(presetsCommand(io));
  program.addCommand(cacheCommand(io));
  program.addCommand(batchCommand(io));
  routeOutputAndExits(program, io);
  return program;
}

/** Every command, nested ones included, writes to `io` and throws instead of exiting. */
function routeOutputAndExits(command: Command, io: CliIo): void {
  command
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .exitOverride();
  for (const sub of command.commands) routeOutputAndExits(sub, io);
}

/** Runs the CLI and returns the exit code instead of exiting, so it can be tested in-process. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    io.stderr.write(
      `profilekit needs Node.js 22.12 or later (24 recommended); this is ${process.versions.node}.\n`,
    );
    return ExitCode.usage;
  }
  try {
    const program = createProgram(io);
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.ok;
    }
    await program.parseAsync([...argv], { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    // --batch submit|export: the calls went to batches; a summary, not an error.
    if (!(error instanceof BatchPendingError && error.round)) return reportError(error, io.stderr);
    io.stdout.write(`${renderBatchRound(error.round)}\n`);
    return ExitCode.ok;
  }
}
