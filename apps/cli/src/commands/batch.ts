import { type BatchAction, DEFAULT_CACHE_PATH, runBatchAction } from "@profilekit/llm";
import { renderBatchReport } from "@profilekit/report";
import { Command } from "commander";
import type { CliIo } from "../io.js";

const actions = [
  ["list [ids...]", "the batches in the cache's journal (asks no provider)"],
  ["status [ids...]", "ask the providers how the open batches are doing"],
  [
    "collect [ids...]",
    "cache the answers of ended batches, requeue expired ones (idempotent, safe from cron)",
  ],
  ["cancel [ids...]", "cancel open batches (collect then reads what finished)"],
  ["import <file>", "load the output file of vllm run-batch into the cache"],
] as const;

/** `profilekit batch list|status|collect|cancel|import`: the batches --batch submitted or exported, from any process. */
export function batchCommand(io: CliIo): Command {
  const batch = new Command("batch").description(
    "status, collect, cancel or import the batches --batch submitted or exported (docs/scaling.md)",
  );
  for (const [spec, description] of actions) {
    batch
      .command(spec)
      .description(description)
      .option("--cache-path <file>", "the cache whose journal holds the batches", DEFAULT_CACHE_PATH)
      .option("--json", "print as JSON")
      .action(async (args: string | string[], flags: { cachePath: string; json?: boolean }) => {
        const action = spec.split(" ")[0] as BatchAction; // API keys come from the environment
        const report = await runBatchAction(action, [args].flat(), { cache: flags.cachePath });
        io.stdout.write(`${flags.json ? JSON.stringify(report, null, 2) : renderBatchReport(report)}\n`);
      });
  }
  return batch;
}
