import { formatLocation, isProfilekitError } from "@profilekit/spec";
import { CommanderError } from "commander";

/** Exit codes of every command: 0 ok, 1 an internal error (a bug), 2 bad usage or bad input. */
export const ExitCode = { ok: 0, internal: 1, usage: 2 } as const;

/** The exit codes of a command that may call a model, for its --help (docs/errors.md has every code). */
export const modelRunExitCodes =
  "Exit codes: 0 ok; 1 model calls failed past --max-failures (the causes are named); 2 bad usage,\n" +
  "config or input, nothing spent (file:line and field named); 3 the --max-cost budget was reached;\n" +
  "130 interrupted. After 1, 3 or 130, run the same command again: answered calls come from the cache.";

/**
 * Prints an error for a person and returns the exit code. A user error
 * (ProfilekitError) is shown as what, where and what to do, never with a
 * stack trace; anything else is a bug and keeps its stack.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message; `--help` and `--version` exit with 0.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (isProfilekitError(error)) {
    const where = formatLocation(error.location);
    stderr.write(`error[${error.code}]: ${error.message}\n`);
    if (where && !error.message.includes(where)) stderr.write(`  at: ${where}\n`);
    if (error.hint) stderr.write(`  hint: ${error.hint}\n`);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  stderr.write(`internal error: ${detail}\n`);
  stderr.write("This is a bug in profilekit; please report it with the command you ran.\n");
  return ExitCode.internal;
}
