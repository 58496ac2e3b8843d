/**
 * Cost per 1,000 pairs of a document-QA study's model calls (build first: `npm run build && node
 * packages/runner/bench/cost.ts [pairs]`; `npm run bench:cost` does both). The mock server (in
 * this process) answers as the fake model and reports usage as OpenAI and Anthropic report it:
 * input and output tokens (characters / 4), prompt-cache reads (and Anthropic's writes) for
 * repeated prefixes of 1,024 tokens or more, through the synchronous and the batch APIs alike.
 *
 * `analyze` measures the document-qa task's factors (its eight model factors, by the extractor)
 * on the first pairs of the bundled QA-Feedback subset (six pairs per question), once per
 * provider in each of four ways:
 * - default: joint mode, both orders, the shared prefix first (instructions, source, prompt);
 * - per-factor mode: one call per factor;
 * - without the shared prefix: the default's calls with the responses moved before the source
 *   and prompt (a provider plugin that reorders the messages), so only the instructions repeat;
 * - batch mode: the default through the providers' batch APIs (`batch: "submit"`, collected
 *   round by round), its canaries synchronous.
 * Cost is the list price of the model (prices.ts), cached reads and writes at their rates, the
 * batch at the batch rate; tokens and cost are scaled to 1,000 pairs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readPairs } from "@profilekit/data";
import {
  anthropicProvider,
  collectBatches,
  costOf,
  createProviderRegistry,
  DEFAULT_PRICES,
  findPrice,
  listBatches,
  openaiProvider,
  type UsageTotals,
} from "@profilekit/llm";
import { createFakeModel, type MockServer, startMockServer } from "@profilekit/llm/testing";
import {
  type AnalyzeRequest,
  analyze,
  BatchPendingError,
  createBuiltinRegistry,
  taskFactorIds,
} from "@profilekit/runner";
import {
  type ChatMessage,
  defineProvider,
  type LanguageModel,
  type Pair,
  type ProviderPlugin,
} from "@profilekit/spec";

const PAIRS = Number(process.argv[2] ?? 60);
const DATA = fileURLToPath(new URL("../../../data/qa-feedback-dev-subset.jsonl.gz", import.meta.url));
const MODELS = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"] as const;
const registry = createBuiltinRegistry();
/** The document-qa task's factors, its model-extracted ones included. */
const FACTORS = taskFactorIds(registry, registry.task("document-qa"), true);

interface Tokens {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  costUsd: number;
}

const none = (): Tokens => ({
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteInputTokens: 0,
  costUsd: 0,
});

/** Requests and tokens of a usage total, priced at `model`'s rate (standard or batch). */
function priced(
  model: string,
  usage: Omit<UsageTotals, "costUsd"> | Tokens,
  rate: "standard" | "batch",
): Tokens {
  const price = findPrice(DEFAULT_PRICES, model)!;
  const calls = "requests" in usage ? usage.requests : usage.calls;
  return {
    calls,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteInputTokens: usage.cacheWriteInputTokens,
    costUsd: costOf(price, usage, rate),
  };
}

function add(a: Tokens, b: Tokens): Tokens {
  return {
    calls: a.calls + b.calls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    costUsd: a.costUsd + b.costUsd,
  };
}

/**
 * The layout without the shared prefix: the same provider, with each call's closing message (the
 * responses and the reminder) moved before the inputs (source, prompt), and no cache marker.
 */
function unshared(base: ProviderPlugin, id: string): ProviderPlugin {
  return defineProvider({
    id,
    title: `${base.title}, responses before the source`,
    languageModel(modelId, settings) {
      const model: LanguageModel = base.languageModel(modelId, settings);
      const reorder = (messages: readonly ChatMessage[]): ChatMessage[] => {
        const plain = messages.map(({ role, content }) => ({ role, content }));
        const boundary = messages.findIndex((message) => message.cacheBoundary && message.role === "user");
        if (boundary < 0 || boundary === messages.length - 1) return plain;
        return [...plain.slice(0, boundary), ...plain.slice(boundary + 1), plain[boundary]!];
      };
      return {
        ...model,
        provider: id,
        generate: (request) => model.generate({ ...request, messages: reorder(request.messages) }),
      };
    },
  });
}

const providers = createProviderRegistry([
  unshared(openaiProvider, "unshared-openai"),
  unshared(anthropicProvider, "unshared-anthropic"),
]);

async function run(
  server: MockServer,
  pairs: readonly Pair[],
  model: string,
  way: string,
  dir: string,
): Promise<Tokens> {
  server.reset();
  const cache = join(dir, `${way}-${model.replace(/[^a-z0-9]+/gi, "-")}.db`);
  const extractor = way === "without the shared prefix" ? `unshared-${model}` : model;
  const request: AnalyzeRequest = {
    pairs,
    factors: FACTORS,
    extractor,
    extraction: { mode: way === "per-factor" ? "per-factor" : "joint" },
    cache,
    providers,
    bootstrap: 0,
    permutations: 0,
    attribution: false,
  };
  if (way !== "batch") {
    const result = await analyze(request);
    return priced(model, result.usage!.total, "standard");
  }
  let sync = none();
  for (;;) {
    try {
      const result = await analyze({ ...request, batch: "submit" });
      if (result.usage!.total.requests > 0) throw new Error("the run after the batches made calls");
      break;
    } catch (error) {
      if (!(error instanceof BatchPendingError) || !error.round) throw error;
      sync = add(sync, priced(model, error.round.synchronous, "standard"));
      await collectBatches({ cache });
    }
  }
  const { jobs } = await listBatches({ cache });
  const batched = jobs.reduce(
    (sum, job) =>
      add(sum, priced(model, { ...job.usage, calls: job.items.answered ?? 0, costUsd: 0 }, "batch")),
    none(),
  );
  return add(sync, batched);
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

async function main(): Promise<void> {
  const pairs: Pair[] = [];
  for await (const pair of readPairs(DATA)) {
    pairs.push(pair);
    if (pairs.length === PAIRS) break;
  }
  const dir = mkdtempSync(join(tmpdir(), "pk-bench-cost-"));
  const server = await startMockServer({ handler: createFakeModel(), batches: { pollsToEnd: 0 } });
  for (const [name, url] of [
    ["OPENAI", server.openaiBaseURL],
    ["ANTHROPIC", server.anthropicBaseURL],
  ] as const) {
    process.env[`${name}_BASE_URL`] = url;
    process.env[`${name}_API_KEY`] = "sk-bench-cost";
  }
  const ways = ["default (joint, both orders)", "per-factor", "without the shared prefix", "batch"];
  const scale = 1000 / PAIRS;
  console.log(`document-qa, the first ${PAIRS} pairs of QA-Feedback (6 per question); per 1,000 pairs:\n`);
  console.log("| model | layout | calls | input tokens | output tokens | cached share | cost |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  try {
    for (const model of MODELS) {
      for (const way of ways) {
        const key = way.startsWith("default") ? "default" : way;
        const tokens = await run(server, pairs, model, key, dir);
        const share = tokens.inputTokens === 0 ? 0 : tokens.cachedInputTokens / tokens.inputTokens;
        console.log(
          `| ${model} | ${way} | ${count(tokens.calls * scale)} | ${count(tokens.inputTokens * scale)} | ` +
            `${count(tokens.outputTokens * scale)} | ${(share * 100).toFixed(0)}% | $${(tokens.costUsd * scale).toFixed(2)} |`,
        );
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nprices as of ${DEFAULT_PRICES.asOf} (packages/llm/src/prices.ts)`);
}

await main();
