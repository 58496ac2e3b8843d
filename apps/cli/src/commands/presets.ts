import { presets } from "@profilekit/data";
import { Command } from "commander";
import type { CliIo } from "../io.js";

/** `profilekit presets`: the dataset presets and how each maps its file to pairs. */
export function presetsCommand(io: CliIo): Command {
  return new Command("presets")
    .summary("list the dataset presets")
    .description("List the dataset presets that `analyze --preset` accepts, with the task each maps to.")
    .action(() => {
      for (const preset of presets) {
        io.stdout.write(`${preset.name}  (${preset.task ?? "any task"})\n  ${preset.description}\n`);
      }
    });
}
