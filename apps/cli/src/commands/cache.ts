import { existsSync } from "node:fs";
import { cacheStats, clearCache, DEFAULT_CACHE_PATH } from "@profilekit/llm";
import { Command } from "commander";
import type { CliIo } from "../io.js";

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `profilekit cache stats|clear`: what the model-response cache holds, and emptying it. */
export function cacheCommand(io: CliIo): Command {
  const cache = new Command("cache")
    .summary("inspect or clear the model-response cache")
    .description(
      "Every successful model call is stored in an sqlite cache (default .profilekit/cache.db),\n" +
        "keyed by provider, model, base URL, messages, parameters, schema and prompt version.\n" +
        "Re-running a finished job answers from it and makes no model call; errors are never cached.",
    );
  cache
    .command("stats")
    .description("entries and size of the cache, per model")
    .option("--cache-path <file>", "the cache file", DEFAULT_CACHE_PATH)
    .option("--json", "print as JSON")
    .action((flags: { cachePath: string; json?: boolean }) => {
      if (!existsSync(flags.cachePath)) {
        io.stdout.write(`no cache at ${flags.cachePath} (it is created by the first model call)\n`);
        return;
      }
      const stats = cacheStats(flags.cachePath);
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
        return;
      }
      io.stdout.write(`${stats.path}: ${stats.entries} entries, ${megabytes(stats.bytes)} on disk\n`);
      for (const row of stats.byModel) {
        io.stdout.write(`  ${row.model}  ${row.entries} entries, ${megabytes(row.payloadBytes)}\n`);
      }
    });
  cache
    .command("clear")
    .description("remove every cached response (the next run calls the models again)")
    .option("--cache-path <file>", "the cache file", DEFAULT_CACHE_PATH)
    .action((flags: { cachePath: string }) => {
      if (!existsSync(flags.cachePath)) {
        io.stdout.write(`no cache at ${flags.cachePath}; nothing to clear\n`);
        return;
      }
      const removed = clearCache(flags.cachePath);
      io.stdout.write(`removed ${removed} cached responses from ${flags.cachePath}\n`);
    });
  return cache;
}
