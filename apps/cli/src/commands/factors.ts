import type { PluginRegistry } from "@profilekit/core";
import { Command } from "commander";
import { z } from "zod";
import type { CliIo } from "../io.js";

/** `profilekit factors`: every registered factor, with what it measures and its options. */
export function factorsCommand(registry: PluginRegistry, io: CliIo): Command {
  return new Command("factors")
    .summary("list the factors that can be measured")
    .description("List every registered factor: id, method (rule needs no model), level, and definition.")
    .option("--json", "print as JSON")
    .action((flags: { json?: boolean }) => {
      const factors = registry.factors().map((plugin) => ({
        id: plugin.id,
        title: plugin.title,
        method: plugin.method,
        level: plugin.level,
        definition: plugin.definition,
        tasks: plugin.tasks ?? [],
        requires: plugin.requires ?? [],
        ...(plugin.options
          ? { options: z.toJSONSchema(plugin.options, { io: "input", unrepresentable: "any" }) }
          : {}),
        ...(plugin.reference ? { reference: plugin.reference } : {}),
      }));
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(factors, null, 2)}\n`);
        return;
      }
      for (const f of factors) {
        const needs = f.requires.length > 0 ? `; needs ${f.requires.join(", ")}` : "";
        io.stdout.write(`${f.id}  (${f.method}, ${f.level}${needs})\n  ${f.definition}\n`);
        const properties = (
          f.options as { properties?: Record<string, { enum?: unknown[]; default?: unknown }> } | undefined
        )?.properties;
        for (const [key, schema] of Object.entries(properties ?? {})) {
          const choices = schema.enum ? ` one of ${schema.enum.join(", ")}` : "";
          const fallback = schema.default !== undefined ? ` (default ${String(schema.default)})` : "";
          io.stdout.write(`  --option ${f.id}.${key}=…${choices}${fallback}\n`);
        }
      }
    });
}
