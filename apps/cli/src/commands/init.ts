import { writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import type { PluginRegistry } from "@profilekit/core";
import { ProfilekitError } from "@profilekit/spec";
import { Command } from "commander";
import { bundledDataFor, starterConfig } from "@profilekit/runner";
import type { CliIo } from "../io.js";

interface InitFlags {
  task: string;
  data?: string;
  config: string;
  force?: boolean;
}

/** A path as written in a config: relative to the config's folder, starting with ./ or ../. */
function fromConfigFolder(configDir: string, path: string): string {
  const relativePath = relative(configDir, path).split(sep).join("/");
  return relativePath.startsWith("../") ? relativePath : `./${relativePath}`;
}

export function initCommand(registry: PluginRegistry, io: CliIo): Command {
  return new Command("init")
    .summary("write a starter profilekit.config.ts")
    .description(
      "Write a commented profilekit.config.ts for `profilekit run`; an existing file is kept unless --force.",
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
      const task = registry.task(flags.task);
      const file = resolve(flags.config);
      const dir = dirname(file);
      const bundled = bundledDataFor(task.id);
      const data =
        flags.data !== undefined
          ? { path: fromConfigFolder(dir, resolve(flags.data)), note: "" }
          : bundled !== undefined
            ? {
                path: fromConfigFolder(dir, bundled),
                note: "This is profilekit's bundled sample of the task (data/README.md).",
              }
            : { path: "./pairs.jsonl", note: "Put your file here, or change the path." };
      try {
        await writeFile(file, starterConfig(registry, task, data), { flag: flags.force ? "w" : "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        throw new ProfilekitError("file_exists", `${flags.config} already exists`, {
          location: { file: flags.config },
          hint: "keep it, write elsewhere with --config, or overwrite it with --force",
        });
      }
      io.stdout.write(
        `wrote ${flags.config} (task ${task.id}, data ${data.path})\nnext: check data and settings in it, then run \`profilekit run${flags.config === "profilekit.config.ts" ? "" : ` --config ${flags.config}`}\`\n`,
      );
    });
}
