import { existsSync } from "node:fs";
import {
  type CacheFilter,
  cacheStats,
  clearCache,
  DEFAULT_CACHE_PATH,
  describeCacheStats,
  describeClear,
  describeRepair,
  repairCache,
} from "@profilekit/llm";
import { Command } from "commander";
import type { CliIo } from "../io.js";

/** `profilekit cache stats|clear|repair`: what the model-response cache holds, clearing it, mending it. */
export function cacheCommand(io: CliIo): Command {
  const cache = new Command("cache")
    .summary("inspect, clear or repair the model-response cache")
    .description(
      "Every good model answer is stored in an sqlite cache (default .profilekit/cache.db), keyed by\n" +
        "provider, model, base URL, messages, parameters, schema and prompt version. Re-running a\n" +
        "finished job answers from it and makes no model call. Errors, answers still invalid after\n" +
        "their re-ask and empty answers are never stored.",
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
      io.stdout.write(`${flags.json ? JSON.stringify(stats, null, 2) : describeCacheStats(stats)}\n`);
    });
  cache
    .command("clear")
    .description("remove cached responses: all of them, or those the filters select (they combine)")
    .option("--cache-path <file>", "the cache file", DEFAULT_CACHE_PATH)
    .option("--model <id>", "only this model's: provider:model as in `cache stats`, or the model name")
    .option(
      "--factor <id>",
      "only calls that asked this factor (an id, or a prompt version such as fluency@1); a joint call's answer goes whole",
    )
    .option(
      "--invalid",
      "only entries not known to be good: damaged ones, and those profilekit 0.1 stored unchecked",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  $ profilekit cache clear --factor source-coverage   # re-ask every call that measured it\n  $ profilekit cache clear --model openai:gpt-4o-mini --invalid\n",
    )
    .action((flags: { cachePath: string; model?: string; factor?: string; invalid?: boolean }) => {
      if (!existsSync(flags.cachePath)) {
        io.stdout.write(`no cache at ${flags.cachePath}; nothing to clear\n`);
        return;
      }
      const filter: CacheFilter = {
        ...(flags.model === undefined ? {} : { model: flags.model }),
        ...(flags.factor === undefined ? {} : { factor: flags.factor }),
        ...(flags.invalid ? { invalid: true } : {}),
      };
      io.stdout.write(`${describeClear(flags.cachePath, clearCache(flags.cachePath, filter), filter)}\n`);
    });
  cache
    .command("repair")
    .description("mend a damaged cache: keep every entry that can be read, set the damaged file aside")
    .option("--cache-path <file>", "the cache file", DEFAULT_CACHE_PATH)
    .action((flags: { cachePath: string }) => {
      io.stdout.write(`${describeRepair(repairCache(flags.cachePath))}\n`);
    });
  return cache;
}
