/**
 * Benchmark of the model factor extractor against the mock server (build first:
 * `npm run build && node packages/llm/bench/extraction.ts`; `npm run bench:llm` does both),
 * with the real prompts of document-qa's eight model factors. The server runs in a worker
 * thread (20 ms latency, concurrency 32) and answers with random instances of the JSON schema
 * it is sent, as a strict structured-output server may, or as the scripted fake model.
 *
 * Two synthetic sets of 2,000 document-qa pairs:
 * - QA-like: 334 questions x 4 answers, every two answers of a question a pair (6 pairs), so
 *   each answer sits in 3 pairs, as in QA-Feedback;
 * - generation-like: 200 inputs x 5 levels, every two levels a pair (10 pairs), as `generate` makes.
 * For each, the default mode (joint: each distinct response read once, pair-level factors per
 * pair) and the per-pair mode (pair-joint): calls, input and output tokens per 1,000 pairs,
 * re-asks and missing pairs. Then the default run again from the cache (0 requests), and, on a
 * sample of 200 QA pairs, how often joint and per-factor mode give the same sign per factor.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import coherence from "@profilekit/factor-coherence";
import fluency from "@profilekit/factor-fluency";
import hallucination from "@profilekit/factor-hallucination";
import helpfulness from "@profilekit/factor-helpfulness";
import intentAlignment from "@profilekit/factor-intent-alignment";
import numberOfFacts from "@profilekit/factor-number-of-facts";
import offFocus from "@profilekit/factor-off-focus";
import sourceCoverage from "@profilekit/factor-source-coverage";
import {
  createLanguageModel,
  createModelClient,
  createModelFactorExtractor,
  type ExtractionMode,
  measureModeAgreement,
} from "@profilekit/llm";
import type { MockServerStats } from "@profilekit/llm/testing";
import type { FactorPlugin, Pair } from "@profilekit/spec";

const CONCURRENCY = 32;
const LATENCY_MS = 20;
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
/** Every two of `k` responses to each input is a pair; `count` pairs in all. */
function pairsOf(kind: string, k: number, count: number): Pair[] {
  const pairs: Pair[] = [];
  for (let input = 0; pairs.length < count; input += 1) {
    const responses = Array.from(
      { length: k },
      (_, r) => `${kind} answer ${input}.${r}: ${text(input * k + r, 40 + 20 * r)}`,
    );
    for (let i = 0; i < k && pairs.length < count; i += 1) {
      for (let j = i + 1; j < k && pairs.length < count; j += 1) {
        pairs.push({
          id: `${kind}-${input}-${i}-${j}`,
          task: "document-qa",
          source: `Document ${kind} ${input}. ${text(input, 400)}`,
          prompt: `Question ${input}: what did the council decide?`,
          a: responses[i]!,
          b: responses[j]!,
          label: "a",
        });
      }
    }
  }
  return pairs;
}
const distinct = (pairs: readonly Pair[], of: (pair: Pair) => string[]) => new Set(pairs.flatMap(of)).size;

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
const clientFor = (cacheFile: string | false) =>
  createModelClient({
    model: createLanguageModel("openai-compatible:bench-model", { baseURL, apiKey: "sk-bench-0000000000" }),
    cache: cacheFile === false ? false : { path: join(dir, cacheFile) },
    concurrency: CONCURRENCY,
  });

async function run(label: string, mode: ExtractionMode, batch: Pair[], cacheFile: string) {
  worker.postMessage({ type: "reset" });
  const client = clientFor(cacheFile);
  const extractor = createModelFactorExtractor({ client, mode });
  const started = performance.now();
  const results = await extractor.extract(FACTORS, batch);
  const wallMs = performance.now() - started;
  const usage = client.usage().total;
  await client.close();
  const server = await serverStats();
  const stats = extractor.stats();
  const missing = [...results.values()].flat().filter((m) => m.sign === null).length;
  const per1000 = (n: number) => ((1000 * n) / batch.length).toFixed(0);
  console.log(`${label}: ${mode}, ${batch.length} pairs x ${FACTORS.length} factors`);
  console.log(
    `       calls ${stats.calls} (${(stats.calls / batch.length).toFixed(2)} per pair: ${stats.responseReadings} response readings, ` +
      `${stats.checklists} checklists, ${stats.calls - stats.responseReadings - stats.checklists - stats.reasks} pair calls, ${stats.reasks} re-asks), ` +
      `requests ${server.requests}, cache hits ${stats.cacheHits}, failures ${stats.failures}, missing ${missing}, wall ${(wallMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `       per 1,000 pairs: ${per1000(stats.calls)} calls, ${per1000(usage.inputTokens)} input tokens, ${per1000(usage.outputTokens)} output tokens`,
  );
  return { stats, usage, server, missing };
}

try {
  worker.postMessage({ type: "handler", name: "random" });
  const sets = { "QA-like": pairsOf("qa", 4, 2000), "generation-like": pairsOf("gen", 5, 2000) };
  for (const [name, batch] of Object.entries(sets)) {
    const responses = distinct(batch, (pair) => [pair.a, pair.b]);
    const inputs = distinct(batch, (pair) => [pair.source!]);
    console.log(`\n${name} set: ${batch.length} pairs, ${responses} distinct responses, ${inputs} inputs`);
    const joint = await run("default ", "joint", batch, `${name}-joint.db`);
    const perPair = await run("per-pair", "pair-joint", batch, `${name}-pair.db`);
    console.log(
      `       ${verdict(
        "default: <= 2 calls per pair + 1 per distinct response + 1 per input, no re-ask, no pair missing",
        joint.stats.calls <= 2 * batch.length + responses + inputs &&
          joint.stats.reasks === 0 &&
          joint.missing === 0,
      )}`,
    );
    console.log(
      `       ${verdict(
        "per-pair: <= 2 calls per pair + 1 per input, no re-ask, no pair missing",
        perPair.stats.calls <= 2 * batch.length + inputs &&
          perPair.stats.reasks === 0 &&
          perPair.missing === 0,
      )}`,
    );
    console.log(
      `       default / per-pair: input tokens ${(joint.usage.inputTokens / perPair.usage.inputTokens).toFixed(2)}, ` +
        `output tokens ${(joint.usage.outputTokens / perPair.usage.outputTokens).toFixed(2)}`,
    );
    if (name === "QA-like") {
      const again = await run("cached  ", "joint", batch, `${name}-joint.db`);
      console.log(
        `       ${verdict("the default run again makes 0 requests", again.server.requests === 0 && again.missing === 0)}`,
      );
    }
  }

  const sample = sets["QA-like"].slice(0, 200);
  for (const handler of ["fake", "random"]) {
    worker.postMessage({ type: "handler", name: handler });
    const client = clientFor(false);
    const agreement = await measureModeAgreement({ client }, FACTORS, sample);
    await client.close();
    const rates = Object.entries(agreement.factors).map(
      ([id, factor]) => `${id} ${factor.rate === null ? "—" : `${(100 * factor.rate).toFixed(0)}%`}`,
    );
    console.log(
      `\nsame sign in joint and per-factor mode, ${sample.length} QA pairs, ${handler} model: ${rates.join(", ")}`,
    );
  }
} finally {
  const closed = reply("closed");
  worker.postMessage({ type: "close" });
  await closed;
  rmSync(dir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
