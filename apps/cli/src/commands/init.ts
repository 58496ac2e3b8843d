import type { PluginRegistry } from "@profilekit/core";
import { writeStarterConfig } from "@profilekit/runner";
import { Command } from "commander";
import type { CliIo } from "../io.js";

interface InitFlags {
  task: string;
  data?: string;
  config: string;
  force?: boolean;
}

export function initCommand(registry: PluginRegistry, io: CliIo): Command {
  return new Command("init")
    .summary("write a starter profilekit.config.ts")
    .description(
      "Write a commented profilekit.config.ts for `profilekit run`: a plain object that loads wherever it is\n" +
        "written, with nothing installed beside it. An existing file is kept unless --force.",
    )
    .option("--task <id>", "the task of the config", "summarization")
    .option("--data <path>", "the pairs file (default: the bundled sample of the task, or ./pairs.jsonl)")
    .option("--config <file>", "where to write it", "profilekit.config.ts")
    .option("--force", "overwrite an existing file")
    .addHelpText(
      "after",
      "\nThen: edit it (every field is documented in docs/configuration.md) and run `profilekit run`.",
    )
    .action(async (flags: InitFlags) => {
      const { task, dataPath } = await writeStarterConfig({
        file: flags.config,
        task: flags.task,
        ...(flags.data === undefined ? {} : { data: flags.data }),
        ...(flags.force ? { force: true } : {}),
        registry,
      });
      const runIt = `profilekit run${flags.config === "profilekit.config.ts" ? "" : ` --config ${flags.config}`}`;
      io.stdout.write(
        `wrote ${flags.config} (task ${task}, data ${dataPath})\nnext: check data and settings in it, then run \`${runIt}\`\n`,
      );
    });
}
