/**
 * Benchmark of the model factor extractor against the mock server answering
 * as the fake model (build first: `npm run build && npm run bench:extraction`;
 * the factor packages must be built too, since their real prompts are used).
 * The server runs in a worker thread, so the wall times measure the client
 * side: message building, SDK, scheduler, cache, validation, reconciliation.
 *
 * 2,000 synthetic document-qa pairs x document-qa's eight model factors,
 * concurrency 32, 100 ms latency:
 * 1. joint mode, one order per pair; 2. joint mode, both orders: wall time
 *    against the ideal calls x latency / concurrency (target: within 1.25x, see TARGET_RATIO);
 * 3. the run of 2 again, from the cache: 0 requests;
 * 4. per-factor mode, both orders: calls per pair (factors x 2) and wall time.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import {
  createLanguageModel,
  createModelClient,
  createModelFactorExtractor,
  type ExtractionMode,
} from "@profilekit/llm";
import type { MockServerStats } from "@profilekit/llm/testing";
import type { FactorPlugin, Pair } from "@profilekit/spec";
// The bench alone reads the factor packages (llm does not depend on them), from their builds.
import coherence from "../../factors/coherence/dist/index.js";
import fluency from "../../factors/fluency/dist/index.js";
import hallucination from "../../factors/hallucination/dist/index.js";
import helpfulness from "../../factors/helpfulness/dist/index.js";
import intentAlignment from "../../factors/intent-alignment/dist/index.js";
import numberOfFacts from "../../factors/number-of-facts/dist/index.js";
import offFocus from "../../factors/off-focus/dist/index.js";
import sourceCoverage from "../../factors/source-coverage/dist/index.js";

const PAIRS = 2000;
const CONCURRENCY = 32;
const LATENCY_MS = 100;
/**
 * The issue's target. A joint request here is about 15 KB (a source, eight factors' instructions,
 * a schema), and the client's work per call (cache key, SDK encoding, validation, the cache write)
 * keeps its event loop about two thirds busy at 320 calls/s, so the ratio is sensitive to other
 * load on the machine; docs/performance.md records measured figures.
 */
const TARGET_RATIO = 1.25;
const FACTORS: FactorPlugin[] = [
  fluency,
  coherence,
  numberOfFacts,
  sourceCoverage,
  offFocus,
  hallucination,
  intentAlignment,
  helpfulness,
];

const WORDS =
  "the council approved a new budget for schools roads and parks after a long debate in which members argued over taxes".split(
    " ",
  );
/** Deterministic filler of about `words` words, different for every seed. */
function text(seed: number, words: number): string {
  return Array.from(
    { length: words },
    (_, i) => WORDS[(seed * 7 + i * 13 + ((seed * i) % 5)) % WORDS.length],
  ).join(" ");
}
function pairs(count: number, offset = 0): Pair[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + offset;
    return {
      id: `bench-${n}`,
      task: "document-qa",
      source: `Document ${n}. ${text(n, 400)}`,
      prompt: `Question ${n}: what did the council decide?`,
      a: `Answer ${n}a. ${text(n + 1, 80)}`,
      b: `Answer ${n}b. ${text(n + 2, 60)}`,
      label: "a",
    };
  });
}

const worker = new Worker(new URL("./fake-worker.ts", import.meta.url), {
  workerData: { latencyMs: LATENCY_MS },
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
async function serverStats(): Promise<MockServerStats> {
  const pending = reply<{ stats: MockServerStats }>("stats");
  worker.postMessage({ type: "stats" });
  return (await pending).stats;
}

const dir = mkdtempSync(join(tmpdir(), "pk-extraction-bench-"));
let failed = false;
const verdict = (label: string, pass: boolean) => {
  if (!pass) failed = true;
  return `${label}: ${pass ? "PASS" : "FAIL"}`;
};

async function run(
  label: string,
  mode: ExtractionMode,
  bothOrders: boolean,
  cacheFile: string,
  batch: Pair[],
) {
  worker.postMessage({ type: "reset" });
  const client = createModelClient({
    model: createLanguageModel("openai-compatible:bench-model", { baseURL, apiKey: "sk-bench-0000000000" }),
    cache: { path: join(dir, cacheFile) },
    concurrency: CONCURRENCY,
  });
  const extractor = createModelFactorExtractor({ client, mode, bothOrders });
  const started = performance.now();
  const loop = performance.eventLoopUtilization();
  const results = await extractor.extract(FACTORS, batch);
  const wallMs = performance.now() - started;
  const busy = performance.eventLoopUtilization(loop).utilization;
  await client.close();
  const server = await serverStats();
  const stats = extractor.stats();
  const measured = [...results.values()].every((list) => list.every((m) => m.sign !== null));
  const idealMs = (stats.calls - stats.cacheHits) * (LATENCY_MS / CONCURRENCY);
  console.log(
    `${label}: ${mode}, both orders ${bothOrders ? "on" : "off"}, ${batch.length} pairs x ${FACTORS.length} factors`,
  );
  console.log(
    `       calls ${stats.calls} (${(stats.calls / batch.length).toFixed(1)} per pair), requests ${server.requests}, ` +
      `cache hits ${stats.cacheHits}, failures ${stats.failures}, max in flight ${server.maxInFlight}`,
  );
  console.log(
    `       wall ${wallMs.toFixed(0)} ms, ideal ${idealMs.toFixed(0)} ms` +
      (idealMs > 0 ? `, ratio ${(wallMs / idealMs).toFixed(3)}` : "") +
      `, client event loop busy ${(100 * busy).toFixed(0)}% (${((busy * wallMs) / stats.calls).toFixed(2)} ms per call)` +
      `, every factor measured on every pair: ${measured}`,
  );
  return { wallMs, idealMs, stats, server, measured };
}

try {
  // Warm-up (not timed): JIT, module loading and the first connections.
  await run("warm-up", "joint", false, "warmup.db", pairs(4 * CONCURRENCY, 1_000_000));
  const batch = pairs(PAIRS);

  const single = await run("joint ", "joint", false, "single.db", batch);
  console.log(
    `       ${verdict(
      `1 call per pair, within ${TARGET_RATIO}x of ideal`,
      single.stats.calls === PAIRS && single.wallMs <= TARGET_RATIO * single.idealMs && single.measured,
    )}`,
  );
  const both = await run("joint ", "joint", true, "both.db", batch);
  const consistency = Object.values(both.stats.factors).every((f) => f.positionConsistency?.rate === 1);
  console.log(
    `       ${verdict(
      `2 calls per pair, within ${TARGET_RATIO}x of ideal, consistency 1 for the fake model`,
      both.stats.calls === 2 * PAIRS &&
        both.wallMs <= TARGET_RATIO * both.idealMs &&
        both.measured &&
        consistency,
    )}`,
  );
  const again = await run("cached", "joint", true, "both.db", batch);
  console.log(
    `       ${verdict("second run makes 0 requests", again.server.requests === 0 && again.measured)}`,
  );
  const perFactor = await run("per-f.", "per-factor", true, "per-factor.db", batch);
  console.log(
    `       ${verdict(
      `factors x 2 = ${FACTORS.length * 2} calls per pair`,
      perFactor.stats.calls === FACTORS.length * 2 * PAIRS && perFactor.measured,
    )}`,
  );
} finally {
  const closed = reply("closed");
  worker.postMessage({ type: "close" });
  await closed;
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
