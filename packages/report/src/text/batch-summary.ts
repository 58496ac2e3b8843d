import type { BatchJobView, BatchReport } from "@profilekit/llm";
import type { BatchRound } from "@profilekit/runner";
import { plainTable } from "./tables.js";

const count = (n: number): string => n.toLocaleString("en-US");
const usd = (value: number | null): string =>
  value === null ? "unknown" : `$${value < 0.01 && value > 0 ? value.toPrecision(2) : value.toFixed(2)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const size = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
const quoted = (path: string): string => (/^[\w./-]+$/.test(path) ? path : JSON.stringify(path));

/**
 * What a `--batch submit` or `--batch export` round did, as the command prints it before it
 * exits 0: the batches (or files) and their cost at the batch rate, the calls made synchronously
 * (canaries, and calls a batch had answered unusably), the calls already out, the rounds of
 * dependent calls still to come, and what to run next.
 */
export function renderBatchRound(round: BatchRound): string {
  const { submission } = round;
  const sent = submission.batches.reduce((sum, batch) => sum + batch.requests, 0);
  const cache = quoted(submission.cache);
  const lines: string[] = [];
  if (submission.mode === "export") {
    lines.push(`${round.command}: ${plural(sent, "call")} written for vllm run-batch`);
    for (const batch of submission.batches) {
      lines.push(`  ${batch.model}: ${quoted(batch.batchId)} (${plural(batch.requests, "request")})`);
    }
  } else {
    const cost = submission.estimate;
    lines.push(
      sent === 0
        ? `${round.command}: nothing new to submit`
        : `${round.command}: ${plural(sent, "call")} submitted in ${plural(submission.batches.length, "batch", "batches")}, ` +
            `about ${usd(cost.batchCostUsd)} at the batch rate (${usd(cost.standardCostUsd)} synchronously)`,
    );
    const rows = submission.batches.map((batch) => [
      batch.batchId,
      batch.model,
      count(batch.requests),
      size(batch.bytes),
      batch.expiresAt ?? "",
    ]);
    if (rows.length > 0) {
      lines.push(
        ...plainTable({
          head: ["batch", "model", "requests", "size", "expires"],
          rows,
          right: [false, false, true, true, false],
        }).map((line) => `  ${line}`),
      );
    }
  }
  const asides = [
    submission.canaries > 0
      ? `${plural(submission.canaries, "canary call")} made synchronously first (${usd(round.synchronous.costUsd)})`
      : "",
    submission.asked > 0
      ? `${plural(submission.asked, "call")} a batch answered unusably, asked synchronously`
      : "",
    submission.waiting > 0 ? `${plural(submission.waiting, "call")} already out in open batches` : "",
  ].filter((aside) => aside !== "");
  if (asides.length > 0) lines.push(`${asides.join("; ")}.`);
  if (round.roundsAfter === null) lines.push("Rounds after this one: unknown (they depend on the answers).");
  else if (round.roundsAfter > 0) {
    lines.push(
      `${plural(round.roundsAfter, "more round")} of dependent calls after this one: run the same command with --batch again after each collect.`,
    );
  } else lines.push("This is the last round: after it is collected, the same command finishes.");
  if (submission.mode === "export") {
    const first = submission.batches[0];
    const model = first ? first.model.slice(first.model.indexOf(":") + 1) : "<model>";
    const input = first ? quoted(first.batchId) : "<file>";
    lines.push(
      `Next: vllm run-batch -i ${input} -o out.jsonl --model ${model}; then profilekit batch import out.jsonl --cache-path ${cache}; then the same command again.`,
    );
  } else {
    lines.push(
      `Next: profilekit batch collect --cache-path ${cache} (any time, from any shell or cron); then the same command again.`,
    );
  }
  if (round.runFolder) lines.push(`The batches are recorded in ${quoted(round.runFolder)}/batches.jsonl.`);
  return lines.join("\n");
}

function jobState(job: BatchJobView): string {
  if (job.state !== "submitted") return job.state;
  if (job.kind === "file") return "exported";
  const phase = job.providerState?.phase;
  if (phase === undefined) return "submitted";
  if (phase !== "ended") return phase.replace("_", " ");
  return `ended (${job.providerState?.outcome ?? "completed"}), not collected`;
}

/** What `profilekit batch list|status|collect|cancel|import` found and did: a table of batches, then the counts. */
export function renderBatchReport(report: BatchReport): string {
  const lines: string[] = [];
  if (report.jobs.length === 0) lines.push(`no batches in ${report.cache}`);
  else {
    const rows = report.jobs.map((job) => {
      const items = job.items;
      const requeued = (items.expired ?? 0) + (items.cancelled ?? 0) + (items.lost ?? 0);
      return [
        job.batchId ?? `(${job.job}: upload interrupted)`,
        job.model,
        jobState(job),
        count(job.requests),
        count(items.answered ?? 0),
        count((items.errored ?? 0) + (items.invalid ?? 0)),
        count(requeued),
        usd(job.costUsd),
      ];
    });
    lines.push(
      `batches in ${report.cache}:`,
      ...plainTable({
        head: ["batch", "model", "state", "requests", "answered", "failed", "requeued", "cost"],
        rows,
        right: [false, false, false, true, true, true, true, true],
      }).map((line) => `  ${line}`),
    );
  }
  const { settled } = report;
  if (settled) {
    const what = report.action === "import" ? "imported" : "collected";
    lines.push(
      `${what}: ${count(settled.answered)} answered and cached, ${count(settled.invalid)} invalid, ${count(settled.errored)} errored ` +
        `(asked synchronously by the next run), ${count(settled.requeued)} requeued (expired, cancelled or missing: sent again by the next run)` +
        (report.action === "import" && settled.unknown > 0
          ? `; ${count(settled.unknown)} lines this cache did not export`
          : ""),
    );
  }
  if (report.running !== undefined && report.running > 0) {
    lines.push(`${plural(report.running, "batch", "batches")} still running: collect again later.`);
  }
  return lines.join("\n");
}
