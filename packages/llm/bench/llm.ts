/**
 * Benchmark of the model layer against the mock server (build first:
 * `npm run build && npm run bench`). The server runs in a worker thread, so
 * the wall times measure the client side: SDK, scheduler, cache, validation.
 *
 * 1. cold (after an untimed warm-up of 128 other calls, for JIT and
 *    connections): 2,000 structured calls (2,000 pairs x joint mode, one call per
 *    pair) at concurrency 32 against 100 ms latency; wall time against the
 *    ideal calls x latency / concurrency (target: within 1.25x).
 * 2. warm: the same calls again, from the cache: 0 requests.
 * 3. faults: a fresh cache, 20% of requests fail (429 with retry-after 1 s,
 *    500, connection reset; a seeded pattern by request number); every call
 *    must be answered, exactly once. Run with adaptive concurrency (AIMD) on,
 *    then off: the faults here are random, not load, so AIMD only slows it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createLanguageModel, createModelClient, type ModelClient } from "@profilekit/llm";
import type { MockServerStats } from "@profilekit/llm/testing";
import { z } from "zod";

const PAIRS = 2000;
const CONCURRENCY = 32;
const LATENCY_MS = 100;
const FAULT_RATE = 0.2;
const TARGET_RATIO = 1.25;

const schema = z.object({
  fluency: z.object({ a: z.number().int().min(1).max(5), b: z.number().int().min(1).max(5) }),
  hallucination: z.object({ a: z.number().int().min(0), b: z.number().int().min(0) }),
  intentAlignment: z.enum(["a", "b", "same"]),
});

const worker = new Worker(new URL("./mock-worker.ts", import.meta.url), {
  workerData: { latencyMs: LATENCY_MS, faultRate: FAULT_RATE, seed: 20_251_126 },
});
function reply<T>(type: string): Promise<T> {
  return new Promise((resolve) => {
    const listen = (message: { type: string }) => {
      if (message.type !== type) return;
      worker.off("message", listen);
      resolve(message as T);
    };
    worker.on("message", listen);
  });
}
const { baseURL } = await reply<{ baseURL: string }>("ready");
async function serverStats(): Promise<{ stats: MockServerStats; answers: [number, number][] }> {
  const pending = reply<{ stats: MockServerStats; answers: [number, number][] }>("stats");
  worker.postMessage({ type: "stats" });
  return pending;
}

async function runPairs(
  client: ModelClient,
  pairs = PAIRS,
  promptVersion = "bench@1",
): Promise<{ wallMs: number; ok: number }> {
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: pairs }, (_, pair) =>
      client.generateObject({
        schema,
        schemaName: "joint_factors",
        messages: [
          { role: "system", content: "You measure quality factors of two responses." },
          { role: "user", content: `Prompt and responses of pair ${pair}: ... (A) ... (B) ...` },
        ],
        promptVersion,
        stage: "extract",
        temperature: 0,
      }),
    ),
  );
  return { wallMs: performance.now() - started, ok: results.filter((result) => result.ok).length };
}

const dir = mkdtempSync(join(tmpdir(), "pk-llm-bench-"));
let lowestConcurrency = CONCURRENCY;
const makeClient = (cacheFile: string, adaptiveConcurrency = true) =>
  createModelClient({
    adaptiveConcurrency,
    onEvent: (event) => {
      if (event.type === "concurrency") lowestConcurrency = Math.min(lowestConcurrency, event.limit);
    },
    model: createLanguageModel("openai-compatible:bench-model", { baseURL, apiKey: "sk-bench-0000000000" }),
    cache: { path: join(dir, cacheFile) },
    concurrency: CONCURRENCY,
    maxRetries: 10,
    backoff: { baseMs: 100, maxMs: 2000 },
  });

let failed = false;
const verdict = (label: string, pass: boolean) => {
  if (!pass) failed = true;
  return `${label}: ${pass ? "PASS" : "FAIL"}`;
};

try {
  const idealMs = (PAIRS * LATENCY_MS) / CONCURRENCY;

  // Warm-up (not timed): JIT, module loading and the first connections.
  const warmup = makeClient("warmup.db");
  await runPairs(warmup, 4 * CONCURRENCY, "warmup");
  await warmup.close();
  worker.postMessage({ type: "reset" });

  const cold = makeClient("cache.db");
  const coldRun = await runPairs(cold);
  await cold.close();
  const coldServer = (await serverStats()).stats;
  const ratio = coldRun.wallMs / idealMs;
  console.log(`cold   ${PAIRS} calls, concurrency ${CONCURRENCY}, latency ${LATENCY_MS} ms`);
  console.log(
    `       wall ${coldRun.wallMs.toFixed(0)} ms, ideal ${idealMs.toFixed(0)} ms, ratio ${ratio.toFixed(3)}`,
  );
  console.log(
    `       requests ${coldServer.requests}, answered ok ${coldRun.ok}, max in flight ${coldServer.maxInFlight}`,
  );
  console.log(
    `       ${verdict(`within ${TARGET_RATIO}x of ideal`, ratio <= TARGET_RATIO && coldRun.ok === PAIRS)}`,
  );

  worker.postMessage({ type: "reset" });
  const warm = makeClient("cache.db");
  const warmRun = await runPairs(warm);
  const warmUsage = warm.usage().total;
  await warm.close();
  const warmServer = (await serverStats()).stats;
  console.log(
    `warm   wall ${warmRun.wallMs.toFixed(0)} ms, requests ${warmServer.requests}, cache hits ${warmUsage.cacheHits}`,
  );
  console.log(
    `       ${verdict("second run makes 0 calls", warmServer.requests === 0 && warmRun.ok === PAIRS)}`,
  );

  worker.postMessage({ type: "faults", on: true });
  for (const adaptive of [true, false]) {
    worker.postMessage({ type: "reset" });
    lowestConcurrency = CONCURRENCY;
    const faulty = makeClient(adaptive ? "faults.db" : "faults-fixed.db", adaptive);
    const faultRun = await runPairs(faulty);
    const faultUsage = faulty.usage().total;
    await faulty.close();
    const { stats, answers } = await serverStats();
    const exactlyOnce = answers.length === PAIRS && answers.every(([, count]) => count === 1);
    console.log(
      `faults ${(FAULT_RATE * 100).toFixed(0)}% of requests fail (429 with retry-after 1 s, 500, reset), ` +
        `adaptive concurrency ${adaptive ? "on" : "off"}`,
    );
    console.log(
      `       wall ${faultRun.wallMs.toFixed(0)} ms, requests ${stats.requests}, retries ${faultUsage.retries}, ` +
        `429 ${stats.faults["rate-limit"]}, 500 ${stats.faults["server-error"]}, reset ${stats.faults.reset}, ` +
        `failures ${faultUsage.failures}, lowest concurrency ${lowestConcurrency}`,
    );
    console.log(
      `       answered ok ${faultRun.ok}/${PAIRS}, every pair answered exactly once: ${exactlyOnce}`,
    );
    console.log(
      `       ${verdict(
        "every call answered exactly once",
        exactlyOnce && faultRun.ok === PAIRS && faultUsage.retries === stats.requests - PAIRS,
      )}`,
    );
  }
} finally {
  const closed = reply("closed");
  worker.postMessage({ type: "close" });
  await closed;
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
