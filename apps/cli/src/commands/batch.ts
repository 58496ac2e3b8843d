import { type BatchAction, DEFAULT_CACHE_PATH, runBatchAction } from "@profilekit/llm";
import { improvementStage } from "@profilekit/refine";
import { renderBatchReport } from "@profilekit/report";
import { configProviders } from "@profilekit/runner";
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

type BatchFlags = { cachePath: string; config?: string; json?: boolean };

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
      .option("--config <file>", "resolve model ids with the model providers of this config's plugins too")
      .option("--json", "print as JSON")
      .action(async (args: string | string[], flags: BatchFlags) => {
        const action = spec.split(" ")[0] as BatchAction; // API keys come from the environment
        const found = flags.config && (await configProviders(flags.config, { stages: [improvementStage] }));
        const options = { cache: flags.cachePath, ...(found ? { providers: found } : {}) };
        const report = await runBatchAction(action, [args].flat(), options);
        io.stdout.write(`${flags.json ? JSON.stringify(report, null, 2) : renderBatchReport(report)}\n`);
      });
  }
  return batch;
}
