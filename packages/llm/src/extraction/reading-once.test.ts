import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import type { FactorPlugin, Manifestation, Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { factorsById, TASK_MODEL_FACTORS } from "../__fixtures__/real-factors.js";
import { createModelClient, type ModelClient } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import {
  type MockHandler,
  type MockRequest,
  type MockServer,
  startMockServer,
} from "../testing/mock-server.js";
import { createSchemaRandomModel } from "../testing/schema-random-model.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";
import type { ExtractionRecord, ReadingRecord } from "./records.js";

// QA-Feedback's bundled subset: four answers per question, each in three pairs.
const QA: Pair[] = gunzipSync(
  readFileSync(new URL("../../../../data/qa-feedback-dev-subset.jsonl.gz", import.meta.url)),
)
  .toString("utf8")
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line) as Pair);

const distinct = (pairs: readonly Pair[], of: (pair: Pair) => string[]) => new Set(pairs.flatMap(of)).size;
const responsesOf = (pairs: readonly Pair[]) =>
  distinct(pairs, (pair) => [pair.a, pair.b].map((text) => JSON.stringify([pair.source, pair.prompt, text])));
const inputsOf = (pairs: readonly Pair[]) =>
  distinct(pairs, (pair) => [JSON.stringify([pair.source, pair.prompt])]);

let server: MockServer;
let handler: MockHandler = createSchemaRandomModel();
const clients: ModelClient[] = [];
beforeAll(async () => {
  server = await startMockServer({ handler: (request) => handler(request) });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await server.close();
});

async function run(
  factors: readonly FactorPlugin[],
  pairs: readonly Pair[],
  options: Omit<ModelFactorExtractorOptions, "client"> = {},
) {
  server.reset();
  const client = createModelClient({
    model: createLanguageModel("openai:gpt-qa", { baseURL: server.openaiBaseURL, apiKey: "k" }),
    cache: false,
    concurrency: 64,
  });
  clients.push(client);
  const records: ExtractionRecord[] = [];
  const extractor = createModelFactorExtractor({
    client,
    ...options,
    onRecord: (record) => records.push(record),
  });
  const results = await extractor.extract(factors, pairs);
  const usage = client.usage().total;
  return { results, records, stats: extractor.stats(), usage, log: [...server.log] };
}

const missing = (results: ReadonlyMap<string, readonly Manifestation[]>) =>
  [...results.values()].flat().filter((manifestation) => manifestation.sign === null).length;

describe("with a server that answers any instance of the schema sent, on 120 document-QA pairs", () => {
  const pairs = QA.slice(0, 120);
  const factors = TASK_MODEL_FACTORS["document-qa"]!;
  let outcome: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    handler = createSchemaRandomModel({ seed: 11 });
    outcome = await run(factors, pairs);
  });

  it("measures every factor of every pair", () => {
    expect(missing(outcome.results)).toBe(0);
    expect(outcome.stats).toMatchObject({ failures: 0, reasks: 0 });
  });

  it("keeps hallucination and off-focus at most the number of facts, for every response", () => {
    const facts = outcome.results.get("number-of-facts")!;
    for (const id of ["hallucination", "off-focus"]) {
      outcome.results.get(id)!.forEach((manifestation, index) => {
        expect(manifestation.valueA!).toBeLessThanOrEqual(facts[index]!.valueA!);
        expect(manifestation.valueB!).toBeLessThanOrEqual(facts[index]!.valueB!);
      });
    }
  });

  it("gives a response that appears in several pairs the same values in each", () => {
    const seen = new Map<string, number>();
    let repeated = 0;
    for (const [id, list] of outcome.results) {
      if (factors.find((factor) => factor.id === id)!.level !== "response") continue;
      for (const manifestation of list) {
        const keys = (manifestation.meta as { responses: { a: string; b: string } }).responses;
        for (const [side, key] of [
          ["a", keys.a],
          ["b", keys.b],
        ] as const) {
          const value = side === "a" ? manifestation.valueA! : manifestation.valueB!;
          const known = seen.get(`${id}\u0000${key}`);
          if (known !== undefined) {
            repeated += 1;
            expect(value).toBe(known);
          }
          seen.set(`${id}\u0000${key}`, value);
        }
      }
    }
    expect(repeated).toBeGreaterThan(pairs.length); // answers recur: each sits in three pairs
  });

  it("scores all responses of one source against the same key-point list", () => {
    const checklists = outcome.records.filter((record) => record.kind === "checklist");
    expect(checklists).toHaveLength(inputsOf(pairs));
    const byInput = new Map(checklists.map((record) => [record.input, record.items]));
    const readings = outcome.records.filter((record): record is ReadingRecord => record.kind === "reading");
    expect(readings).toHaveLength(responsesOf(pairs));
    for (const reading of readings) {
      const coverage = reading.checklists["source-coverage"]!;
      expect(coverage.marks.map((mark) => mark.item)).toEqual(byInput.get(coverage.input));
    }
    // Each source's responses all name one checklist.
    const inputBySource = new Map<string, Set<string>>();
    for (const pair of pairs) inputBySource.set(pair.source!, new Set());
    const sourceOf = new Map(pairs.flatMap((pair) => [pair.a, pair.b].map((text) => [text, pair.source!])));
    for (const reading of readings) {
      inputBySource
        .get(sourceOf.get(reading.response.text)!)!
        .add(reading.checklists["source-coverage"]!.input);
    }
    for (const inputs of inputBySource.values()) expect(inputs.size).toBe(1);
  });
});

describe("reading each response once (240 document-QA pairs, 160 distinct responses)", () => {
  const pairs = QA.slice(0, 240);
  const responses = responsesOf(pairs);
  const sources = inputsOf(pairs);
  const responseLevel = factorsById("fluency", "coherence", "number-of-facts", "off-focus", "hallucination");

  it("has 160 distinct responses and 40 sources", () => {
    expect([responses, sources]).toEqual([160, 40]);
  });

  it("makes at most 1.1 calls per distinct response, with under half the per-pair mode's tokens, no factor missing", async () => {
    handler = createSchemaRandomModel({ seed: 14 });
    const joint = await run(responseLevel, pairs);
    const perPair = await run(responseLevel, pairs, { mode: "pair-joint" });
    expect(joint.stats.calls).toBeLessThanOrEqual(1.1 * responses);
    expect(missing(joint.results)).toBe(0);
    expect(joint.usage.inputTokens).toBeLessThan(perPair.usage.inputTokens / 2);
    expect(joint.usage.outputTokens).toBeLessThan(perPair.usage.outputTokens / 2);
    // Coverage adds one checklist per source.
    const withCoverage = await run([...responseLevel, ...factorsById("source-coverage")], pairs);
    expect(withCoverage.stats.calls).toBeLessThanOrEqual(1.1 * responses + sources);
    expect(missing(withCoverage.results)).toBe(0);
  });

  it("with a pair-level factor, asks pair calls that carry only pair-level factors: at most 2 per pair + 1 per response", async () => {
    handler = createSchemaRandomModel({ seed: 15 });
    const outcome = await run([...responseLevel, ...factorsById("helpfulness")], pairs);
    expect(outcome.stats.calls).toBeLessThanOrEqual(2 * pairs.length + responses);
    expect(missing(outcome.results)).toBe(0);
    const pairCalls = outcome.log.filter(
      (request: MockRequest) => request.responseSchema!.name === "pair_reading",
    );
    expect(pairCalls).toHaveLength(2 * pairs.length);
    for (const request of pairCalls) {
      expect(Object.keys((request.responseSchema!.jsonSchema as { properties: object }).properties)).toEqual([
        "helpfulness",
      ]);
    }
  });
});

describe("the generation setting", () => {
  it("reads 5 generated levels of an input at most 5 times, however many pairs they form", async () => {
    handler = createFakeModel();
    const inputs = QA.filter((_, i) => i % 6 === 0).slice(0, 8);
    const pairs: Pair[] = inputs.flatMap((input, n) => {
      const levels = Array.from({ length: 5 }, (_, level) => `Level ${level + 1} answer to question ${n}.`);
      return levels.flatMap((a, i) =>
        levels.slice(i + 1).map((b, j) => ({
          id: `g${n}-${i}-${i + j + 1}`,
          task: "document-qa",
          source: input.source,
          prompt: input.prompt,
          a,
          b,
          label: "b" as const,
        })),
      );
    });
    expect(pairs).toHaveLength(8 * 10);
    const outcome = await run(factorsById("fluency", "hallucination", "number-of-facts"), pairs);
    const readings = outcome.log.filter((request) => request.responseSchema!.name === "response_reading");
    expect(readings).toHaveLength(8 * 5);
    expect(missing(outcome.results)).toBe(0);
  });
});
