import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineModelFactor, defineResponseFactor, type Manifestation, type Pair } from "@profilekit/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALL,
  coverage,
  fluency,
  hallucination,
  helpfulness,
  pair,
  scripted,
} from "../__fixtures__/model-factors.js";
import { createModelClient, type ModelClientOptions } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import { type MockHandler, type MockServer, startMockServer } from "../testing/mock-server.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";

let dir: string;
let server: MockServer | undefined;
const clients: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-extract-"));
});
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: MockHandler = createFakeModel({ measure: scripted }), latencyMs = 0) {
  server = await startMockServer({ handler, latencyMs });
  return server;
}

function extractor(
  mock: MockServer,
  options: Omit<Partial<ModelFactorExtractorOptions>, "client"> & {
    clientOptions?: Partial<ModelClientOptions>;
    provider?: "openai" | "anthropic";
    cacheFile?: string | false;
  } = {},
) {
  const { clientOptions, provider = "openai", cacheFile = "cache.db", ...rest } = options;
  const model =
    provider === "openai"
      ? createLanguageModel("openai:gpt-test", { baseURL: mock.openaiBaseURL, apiKey: "test" })
      : createLanguageModel("anthropic:claude-test", { baseURL: mock.anthropicBaseURL, apiKey: "test" });
  const client = createModelClient({
    model,
    cache: cacheFile === false ? false : { path: join(dir, cacheFile) },
    concurrency: 64,
    backoff: { baseMs: 1, maxMs: 5 },
    ...clientOptions,
  });
  clients.push(client);
  return createModelFactorExtractor({ client, ...rest });
}

// Each response states its values; the expected signs below are worked out by hand from them.
const PAIRS: Pair[] = [
  pair(
    "p1",
    "fluency=4 hallucination=2 source-coverage=75 helpfulness=1",
    "fluency=5 hallucination=0 source-coverage=25 helpfulness=2",
  ),
  pair(
    "p2",
    "fluency=3 hallucination=1 source-coverage=50 helpfulness=4",
    "fluency=3 hallucination=3 source-coverage=50 helpfulness=4",
  ),
  pair(
    "p3",
    "fluency=2 hallucination=0 source-coverage=100 helpfulness=5",
    "fluency=1 hallucination=1 source-coverage=0 helpfulness=0",
  ),
];
const EXPECTED_SIGNS: Record<string, (1 | 0 | -1)[]> = {
  fluency: [-1, 0, 1],
  hallucination: [1, -1, -1],
  "source-coverage": [1, 0, 1],
  helpfulness: [-1, 0, 1],
};
const EXPECTED_VALUES: Record<string, [number, number][]> = {
  fluency: [
    [4, 5],
    [3, 3],
    [2, 1],
  ],
  hallucination: [
    [2, 0],
    [1, 3],
    [0, 1],
  ],
  "source-coverage": [
    [75, 25],
    [50, 50],
    [100, 0],
  ],
};

function signs(results: ReadonlyMap<string, readonly Manifestation[]>): Record<string, (number | null)[]> {
  return Object.fromEntries([...results].map(([factor, list]) => [factor, list.map((m) => m.sign)]));
}

describe("joint mode", () => {
  it("makes one call per pair for all factors, two with both orders, and reads every factor", async () => {
    const mock = await serve();
    const single = extractor(mock, { bothOrders: false, cacheFile: false });
    const once = await single.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(PAIRS.length);
    expect(signs(once)).toEqual(EXPECTED_SIGNS);
    for (const [factor, values] of Object.entries(EXPECTED_VALUES)) {
      expect(once.get(factor)!.map((m) => [m.valueA, m.valueB])).toEqual(values);
    }
    expect(once.get("helpfulness")!.map((m) => m.pairId)).toEqual(["p1", "p2", "p3"]);

    mock.reset();
    const both = extractor(mock, { cacheFile: false });
    const twice = await both.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(2 * PAIRS.length);
    expect(signs(twice)).toEqual(EXPECTED_SIGNS);
    expect(twice.get("hallucination")![0]!.meta).toEqual({ readings: { a: [2, 2], b: [0, 0] } });
    expect(twice.get("helpfulness")![0]!.meta).toEqual({ answers: ["b", "b"] });
    const stats = both.stats();
    expect(stats).toMatchObject({ mode: "joint", bothOrders: true, calls: 6, cacheHits: 0, failures: 0 });
    for (const factor of ["fluency", "hallucination", "source-coverage", "helpfulness"]) {
      expect(stats.factors[factor]).toEqual({
        pairs: 3,
        missing: 0,
        positionConsistency: { pairs: 3, consistent: 3, rate: 1 },
      });
    }
  });

  it("sends one schema with a field per factor and each factor's instructions", async () => {
    const mock = await serve();
    await extractor(mock, { bothOrders: false, cacheFile: false }).extract(ALL, PAIRS.slice(0, 1));
    const [request] = mock.log;
    const schema = request!.responseSchema!.jsonSchema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(
      ["fluency", "hallucination", "helpfulness", "source-coverage"].sort(),
    );
    const user = request!.messages.find((message) => message.role === "user")!.content;
    for (const factor of ALL) expect(user).toContain(factor.prompt!.instructions);
    expect(user).toContain("<source>\nThe source document.\n</source>");
    expect(user).toContain("<prompt>\nWhat does it say?\n</prompt>");
  });

  it("issues all calls of a batch at once (the client's scheduler bounds them)", async () => {
    const mock = await serve(createFakeModel({ measure: scripted }), 50);
    // Distinct texts: identical calls would be merged by the client.
    const pairs = Array.from({ length: 20 }, (_, i) => pair(`c${i}`, `#${i} fluency=${i % 5}`, "fluency=2"));
    await extractor(mock, { cacheFile: false }).extract(ALL, pairs);
    expect(mock.stats.requests).toBe(40);
    expect(mock.stats.maxInFlight).toBe(40);
  });
});

describe("per-factor mode", () => {
  it("makes factors x 2 calls per pair and agrees with joint mode", async () => {
    const mock = await serve();
    const perFactor = extractor(mock, { mode: "per-factor", cacheFile: false });
    const results = await perFactor.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(ALL.length * 2 * PAIRS.length);
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
    for (const [factor, values] of Object.entries(EXPECTED_VALUES)) {
      expect(results.get(factor)!.map((m) => [m.valueA, m.valueB])).toEqual(values);
    }
    // Only the comparison is asked in two orders; the responses of the others are asked separately.
    const stats = perFactor.stats();
    expect(stats.factors.helpfulness!.positionConsistency).toEqual({ pairs: 3, consistent: 3, rate: 1 });
    expect(stats.factors.fluency!.positionConsistency).toBeNull();

    mock.reset();
    await extractor(mock, { mode: "per-factor", bothOrders: false, cacheFile: false }).extract(ALL, PAIRS);
    // Three response-level factors x 2 responses + one comparison in one order.
    expect(mock.stats.requests).toBe((3 * 2 + 1) * PAIRS.length);
  });

  it("shows each factor only the inputs it reads, and each response on its own", async () => {
    const mock = await serve();
    await extractor(mock, { mode: "per-factor", bothOrders: false, cacheFile: false }).extract(
      [fluency, hallucination],
      PAIRS.slice(0, 1),
    );
    const users = mock.log.map((request) => request.messages.find((m) => m.role === "user")!.content);
    const fluencyCalls = users.filter((text) => text.includes("Rate the fluency"));
    expect(fluencyCalls).toHaveLength(2);
    for (const text of fluencyCalls) {
      expect(text).not.toContain("<source>");
      expect(text).not.toContain("<prompt>");
      expect(text).toContain("<response>\n");
      expect(text).not.toContain("<response_a>");
    }
    for (const text of users.filter((t) => t.includes("does not support"))) {
      expect(text).toContain("<source>\nThe source document.\n</source>");
      expect(text).not.toContain("<prompt>");
    }
  });

  it("uses the listed items when a stated count disagrees, and counts the disagreement", async () => {
    const mock = await serve((request) => {
      const user = request.messages.find((m) => m.role === "user")!.content;
      return user.includes("<response>\nA\n")
        ? { json: { items: ["x", "y"], count: 5 } }
        : { json: { items: [], count: 0 } };
    });
    const single = extractor(mock, { mode: "per-factor", cacheFile: false });
    const results = await single.extract([hallucination], [pair("q", "A", "B")]);
    expect(results.get("hallucination")).toEqual([
      { pairId: "q", factor: "hallucination", valueA: 2, valueB: 0, sign: 1 },
    ]);
    expect(single.stats().inconsistentAnswers).toBe(1);
  });
});

describe("both orders", () => {
  it("a position-biased model gives sign 0 and consistency 0 on comparisons", async () => {
    const mock = await serve(createFakeModel({ measure: scripted, positionBias: true }));
    const both = extractor(mock, { cacheFile: false });
    const results = await both.extract(ALL, PAIRS);
    expect(results.get("helpfulness")!.map((m) => m.sign)).toEqual([0, 0, 0]);
    expect(results.get("helpfulness")![0]!.meta).toEqual({ answers: ["a", "b"] });
    expect(both.stats().factors.helpfulness!.positionConsistency).toEqual({
      pairs: 3,
      consistent: 0,
      rate: 0,
    });
    // Ratings, counts and percentages follow the texts, so their signs stand.
    expect(results.get("fluency")!.map((m) => m.sign)).toEqual(EXPECTED_SIGNS.fluency);
  });

  it("averages the two readings of a response-level factor", async () => {
    // The model adds 1 to whatever stands in the first position.
    const fake = createFakeModel();
    const mock = await serve((request) => {
      const reply = fake(request) as { json: Record<string, any> };
      const user = request.messages.find((m) => m.role === "user")!.content;
      const shownA = /<response_a>\n(.*)\n/.exec(user)![1]!;
      const shownB = /<response_b>\n(.*)\n/.exec(user)![1]!;
      const rating = (text: string) => Number(/fluency=(\d)/.exec(text)![1]);
      reply.json.fluency.a.rating = rating(shownA) + 1;
      reply.json.fluency.b.rating = rating(shownB);
      return reply;
    });
    const both = extractor(mock, { cacheFile: false });
    const results = await both.extract([fluency], [pair("r", "fluency=3", "fluency=4")]);
    // Given order: a 4, b 4. Swapped: b (shown first) 5, a 3. Means: a 3.5, b 4.5.
    expect(results.get("fluency")).toEqual([
      {
        pairId: "r",
        factor: "fluency",
        valueA: 3.5,
        valueB: 4.5,
        sign: -1,
        meta: { readings: { a: [4, 3], b: [4, 5] } },
      },
    ]);
    // Given order: sign 0; swapped: sign -1; they disagree.
    expect(both.stats().factors.fluency!.positionConsistency).toEqual({ pairs: 1, consistent: 0, rate: 0 });
  });

  it("without both orders, each pair's one order comes from seed + pair id, not from call order", async () => {
    const mock = await serve();
    const pairs = Array.from({ length: 40 }, (_, i) =>
      pair(`s${i}`, `id s${i} a helpfulness=2`, `id s${i} b helpfulness=1`),
    );
    const shownOrders = () => {
      const orders = new Map<string, string>();
      for (const request of mock.log) {
        const shown = /<response_a>\nid (s\d+) (a|b)/.exec(request.messages.at(-1)!.content)!;
        orders.set(shown[1]!, shown[2] === "a" ? "given" : "swapped");
      }
      return orders;
    };
    const first = extractor(mock, { bothOrders: false, cacheFile: false, seed: 7 });
    const results = await first.extract([helpfulness], pairs);
    const orders = shownOrders();
    const swapped = [...orders.values()].filter((order) => order === "swapped").length;
    expect(swapped).toBeGreaterThan(10);
    expect(swapped).toBeLessThan(30);
    // Whatever the order shown, the sign is in the pair's orientation: a helps more.
    expect(results.get("helpfulness")!.every((m) => m.sign === 1)).toBe(true);
    expect(results.get("helpfulness")!.map((m) => (m.meta as { order: string }).order)).toEqual(
      pairs.map((p) => orders.get(p.id)),
    );

    mock.reset();
    await extractor(mock, { bothOrders: false, cacheFile: false, seed: 7 }).extract(
      [helpfulness],
      [...pairs].reverse(),
    );
    expect(shownOrders()).toEqual(orders);

    mock.reset();
    await extractor(mock, { bothOrders: false, cacheFile: false, seed: 8 }).extract([helpfulness], pairs);
    expect(shownOrders()).not.toEqual(orders);
  });
});

describe("failures", () => {
  it("re-asks an invalid answer once, then counts the pair missing with the error, never a sign", async () => {
    const fake = createFakeModel({ measure: scripted });
    const mock = await serve((request) =>
      request.messages.some((m) => m.content.includes("BROKEN")) ? { json: { nope: 1 } } : fake(request),
    );
    const both = extractor(mock, { cacheFile: false });
    const pairs = [...PAIRS, pair("bad", "BROKEN fluency=5", "fluency=1")];
    const results = await both.extract(ALL, pairs);
    // 3 good pairs x 2 orders, and the bad pair's 2 orders each asked twice.
    expect(mock.stats.requests).toBe(6 + 4);
    for (const factor of ["fluency", "hallucination", "source-coverage", "helpfulness"]) {
      const bad = results.get(factor)![3]!;
      expect(bad.sign).toBeNull();
      expect(bad.valueA).toBeUndefined();
      expect(bad.error).toMatch(/gave no valid factors after one re-ask/);
      expect(
        results
          .get(factor)!
          .slice(0, 3)
          .map((m) => m.sign),
      ).toEqual(EXPECTED_SIGNS[factor]);
    }
    const stats = both.stats();
    expect(stats).toMatchObject({ calls: 8, failures: 2, invalidOutputs: 2 });
    expect(stats.factors.fluency).toEqual({
      pairs: 4,
      missing: 1,
      positionConsistency: { pairs: 3, consistent: 3, rate: 1 },
    });
  });

  it("when one order fails, the other is not used alone", async () => {
    const fake = createFakeModel({ measure: scripted });
    // Fails whenever the response marked SECOND is shown first, i.e. in the swapped order.
    const mock = await serve((request) =>
      request.messages.at(-1)!.content.includes("<response_a>\nSECOND")
        ? { fault: "server-error" }
        : fake(request),
    );
    const both = extractor(mock, { cacheFile: false, clientOptions: { maxRetries: 0 } });
    const results = await both.extract(
      [fluency, helpfulness],
      [pair("half", "FIRST fluency=5 helpfulness=3", "SECOND fluency=1 helpfulness=1")],
    );
    for (const factor of ["fluency", "helpfulness"]) {
      const [only] = results.get(factor)!;
      expect(only!.sign).toBeNull();
      expect(only!.error).toContain("the swapped order");
      expect(only!.error).toContain("the given order was answered, and is not used alone");
    }
    expect(both.stats()).toMatchObject({ calls: 2, failures: 1, invalidOutputs: 0 });
  });

  it("a pair without an input a factor requires gets null for that factor, and no call for it", async () => {
    const mock = await serve();
    const results = await extractor(mock, { bothOrders: false, cacheFile: false }).extract(ALL, [
      pair("nosource", "fluency=5 helpfulness=1", "fluency=2 helpfulness=3", { source: undefined }),
    ]);
    expect(results.get("hallucination")).toEqual([
      {
        pairId: "nosource",
        factor: "hallucination",
        sign: null,
        error: "the pair has no source, which hallucination requires",
      },
    ]);
    expect(results.get("source-coverage")![0]!.sign).toBeNull();
    expect(results.get("fluency")![0]!.sign).toBe(1);
    expect(results.get("helpfulness")![0]!.sign).toBe(-1);
    const schema = mock.log[0]!.responseSchema!.jsonSchema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual(["fluency", "helpfulness"]);
    expect(mock.log[0]!.messages.at(-1)!.content).not.toContain("<source>");
  });

  it("rejects factors it cannot measure, bad options, and an aborted signal", async () => {
    const mock = await serve(createFakeModel(), 200);
    const ready = extractor(mock, { cacheFile: false });
    const length = defineResponseFactor({
      id: "length",
      title: "Length",
      definition: "Longer.",
      measure: (text) => text.length,
    });
    await expect(ready.extract([length], PAIRS)).rejects.toMatchObject({ code: "invalid_factor" });
    await expect(ready.extract([fluency, fluency], PAIRS)).rejects.toMatchObject({
      code: "duplicate_factor",
    });
    expect(() => extractor(mock, { mode: "both" as never })).toThrow(/mode must be "joint" or "per-factor"/);
    expect(() => extractor(mock, { sourceBudget: { maxChars: 0 } })).toThrow(/maxChars must be/);
    const controller = new AbortController();
    const pending = ready.extract(ALL, PAIRS, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stopped by the user")), 20);
    await expect(pending).rejects.toThrow("stopped by the user");
  });
});

describe("source budget", () => {
  it("cuts a long source to its head, marks the cut, and counts it", async () => {
    const mock = await serve();
    const long = "0123456789".repeat(25);
    const budget = extractor(mock, { bothOrders: false, cacheFile: false, sourceBudget: { maxChars: 100 } });
    await budget.extract(
      [hallucination],
      [pair("long", "hallucination=1", "hallucination=2", { source: long }), pair("short", "x", "y")],
    );
    const shown = mock.log
      .map((request) => request.messages.at(-1)!.content)
      .find((text) => text.includes("0123456789"))!;
    expect(shown).toContain(
      `<source>\n${long.slice(0, 100)}\n[… the source document is cut here: its first 100 of 250 characters are shown, 150 are left out]\n</source>`,
    );
    expect(budget.stats().sourcesCut).toEqual({ maxChars: 100, count: 1, charsRemoved: 150 });

    // A factor that does not read the source neither sees it nor counts a cut.
    mock.reset();
    const unread = extractor(mock, { bothOrders: false, cacheFile: false, sourceBudget: { maxChars: 100 } });
    await unread.extract([fluency], [pair("long", "a", "b", { source: long })]);
    expect(mock.log[0]!.messages.at(-1)!.content).not.toContain("<source>");
    expect(unread.stats().sourcesCut.count).toBe(0);
  });
});

describe("cache", () => {
  it("a second run over the same pairs makes no request; a new prompt version does", async () => {
    const mock = await serve();
    const cold = extractor(mock);
    const first = await cold.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(6);

    mock.reset();
    const warm = extractor(mock);
    const second = await warm.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(0);
    expect(second).toEqual(first);
    expect(warm.stats()).toMatchObject({ calls: 6, cacheHits: 6 });

    mock.reset();
    const revised = defineModelFactor({ ...fluency, prompt: { ...fluency.prompt!, version: "fluency@2" } });
    await extractor(mock).extract([revised, hallucination, coverage, helpfulness], PAIRS);
    expect(mock.stats.requests).toBe(6);
  });
});

describe("providers and plugins", () => {
  it("works through the Anthropic provider (forced tool) with the same results", async () => {
    const mock = await serve();
    const results = await extractor(mock, { provider: "anthropic", cacheFile: false }).extract(ALL, PAIRS);
    expect(mock.log.every((request) => request.api === "anthropic")).toBe(true);
    expect(mock.log[0]!.responseSchema!.name).toBe("factors");
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
  });

  it("serves a model factor's own extract through the context's modelExtractor", async () => {
    const mock = await serve();
    const modelExtractor = extractor(mock, { cacheFile: false });
    const manifestations = await helpfulness.extract(PAIRS, { options: {}, seed: 0, modelExtractor });
    expect(manifestations.map((m) => m.sign)).toEqual(EXPECTED_SIGNS.helpfulness);
  });
});
