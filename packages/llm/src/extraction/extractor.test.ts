import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineModelFactor, defineResponseFactor, type Manifestation, type Pair } from "@profilekit/spec";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ALL,
  coverage,
  examples,
  fluency,
  hallucination,
  helpfulness,
  numberOfFacts,
  offFocus,
  pair,
  scripted,
} from "../__fixtures__/model-factors.js";
import { createModelClient, type ModelClientOptions } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { createFakeModel } from "../testing/fake-model.js";
import {
  type MockHandler,
  type MockRequest,
  type MockServer,
  startMockServer,
} from "../testing/mock-server.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";
import type { ExtractionRecord } from "./records.js";

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

const user = (request: MockRequest) =>
  request.messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join("\n\n");
const isResponseReading = (request: MockRequest) => user(request).includes("<response>\n");
const isChecklist = (request: MockRequest) => request.responseSchema?.name === "checklist";
const isPairCall = (request: MockRequest) => user(request).includes("<response_a>\n");
const properties = (request: MockRequest) =>
  Object.keys((request.responseSchema!.jsonSchema as { properties: Record<string, unknown> }).properties);

describe("joint mode", () => {
  it("reads each distinct response once for every response-level factor, and asks comparisons per pair", async () => {
    const mock = await serve();
    const joint = extractor(mock, { cacheFile: false });
    const results = await joint.extract(ALL, PAIRS);
    // One checklist for the shared source and prompt, six distinct responses, three pairs in two orders.
    expect(mock.log.filter(isChecklist)).toHaveLength(1);
    expect(mock.log.filter(isResponseReading)).toHaveLength(6);
    expect(mock.log.filter(isPairCall)).toHaveLength(6);
    expect(mock.stats.requests).toBe(13);
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
    for (const [factor, values] of Object.entries(EXPECTED_VALUES)) {
      expect(results.get(factor)!.map((m) => [m.valueA, m.valueB])).toEqual(values);
    }
    const meta = results.get("fluency")![0]!.meta as {
      readFrom: string;
      responses: { a: string; b: string };
    };
    expect(meta.readFrom).toBe("responses");
    expect(meta.responses.a).toMatch(/^[0-9a-f]{32}$/);
    expect(meta.responses.a).not.toBe(meta.responses.b);
    expect(results.get("helpfulness")![0]!.meta).toEqual({ answers: ["b", "b"] });
    const stats = joint.stats();
    expect(stats).toMatchObject({
      mode: "joint",
      calls: 13,
      responseReadings: 6,
      checklists: 1,
      failures: 0,
    });
    expect(stats.factors.fluency).toEqual({ pairs: 3, missing: 0, positionConsistency: null });
    expect(stats.factors.helpfulness!.positionConsistency).toEqual({ pairs: 3, consistent: 3, rate: 1 });
  });

  it("gives a response that appears in several pairs one reading and the same values in each", async () => {
    const mock = await serve();
    const shared = "fluency=4 hallucination=2 source-coverage=50";
    const pairs = [
      pair("s1", shared, "fluency=1 hallucination=0"),
      pair("s2", "fluency=5 hallucination=3", shared),
      pair("s3", shared, "fluency=2 hallucination=1"),
    ];
    const results = await extractor(mock, { cacheFile: false }).extract(
      [fluency, hallucination, coverage],
      pairs,
    );
    const readings = mock.log.filter(isResponseReading);
    expect(readings.filter((request) => user(request).includes(`<response>\n${shared}\n`))).toHaveLength(1);
    expect(readings).toHaveLength(4);
    const valueOfShared = (factor: string) =>
      results.get(factor)!.map((m, i) => (pairs[i]!.a === shared ? m.valueA : m.valueB));
    expect(valueOfShared("fluency")).toEqual([4, 4, 4]);
    expect(valueOfShared("hallucination")).toEqual([2, 2, 2]);
    expect(valueOfShared("source-coverage")).toEqual([50, 50, 50]);
  });

  it("orders the answer evidence first, then values, with comparisons in a call of their own", async () => {
    const mock = await serve();
    await extractor(mock, { cacheFile: false, bothOrders: false }).extract(
      [helpfulness, fluency, examples, coverage, numberOfFacts, hallucination],
      PAIRS.slice(0, 1),
    );
    const reading = mock.log.find(isResponseReading)!;
    expect(properties(reading)).toEqual(["atomic_facts", "source-coverage", "examples", "fluency"]);
    const fact = (reading.responseSchema!.jsonSchema as any).properties.atomic_facts.items;
    expect(Object.keys(fact.properties)).toEqual(["atomic_fact", "hallucination"]);
    expect(Object.keys(fact.properties.hallucination.properties)).toEqual(["reason", "verdict"]);
    expect(properties(mock.log.find(isPairCall)!)).toEqual(["helpfulness"]);
    // System and definitions; then source, prompt and checklist, ending the shared prefix; then the response.
    const [system, inputs, closing] = reading.messages;
    expect(system!.role).toBe("system");
    for (const factor of [fluency, examples, coverage, numberOfFacts, hallucination]) {
      expect(system!.content).toContain(factor.prompt!.instructions);
    }
    expect(system!.content).not.toContain(helpfulness.prompt!.instructions);
    expect(system!.content.indexOf("## atomic_facts")).toBeLessThan(
      system!.content.indexOf("## hallucination"),
    );
    expect(inputs!.content).toMatch(
      /^<source>\nThe source document\.\n<\/source>\n\n<prompt>\nWhat does it say\?\n<\/prompt>\n\n<checklist factor="source-coverage">\nitem_1: /,
    );
    expect(closing!.content).toMatch(/^<response>\n[\s\S]*\n<\/response>\n\nMeasure the response above/);
    expect(closing!.content).toContain('"atomic_facts", "source-coverage", "examples" and "fluency"');
  });

  it("averages several readings of a response, each sampled apart", async () => {
    let call = 0;
    const fake = createFakeModel({ measure: scripted });
    const mock = await serve((request) => {
      const reply = fake(request) as { json: Record<string, any> };
      // Each reading of the a response rates one higher than the last.
      if (isResponseReading(request) && user(request).includes("FIRST"))
        reply.json.fluency.rating = 2 + call++;
      return reply;
    });
    const three = extractor(mock, { cacheFile: false, readings: 3 });
    const [only] = (await three.extract([fluency], [pair("r", "FIRST fluency=1", "fluency=3")])).get(
      "fluency",
    )!;
    expect(mock.log.filter(isResponseReading).map((request) => request.body.temperature)).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    expect(only).toMatchObject({ valueA: 3, valueB: 3, sign: 0 });
    expect((only!.meta as { readings: unknown }).readings).toEqual({ a: [2, 3, 4], b: [3, 3, 3] });
    expect(three.stats()).toMatchObject({ readings: 3, responseReadings: 6 });
  });

  it("issues all calls of a batch at once (the client's scheduler bounds them)", async () => {
    const mock = await serve(createFakeModel({ measure: scripted }), 50);
    const pairs = Array.from({ length: 15 }, (_, i) => pair(`c${i}`, `#${i} fluency=${i % 5}`, `#${i} b`));
    await extractor(mock, { cacheFile: false }).extract([fluency, helpfulness], pairs);
    // 30 response readings and 30 pair calls, all in flight together.
    expect(mock.stats.requests).toBe(60);
    expect(mock.stats.maxInFlight).toBe(60);
  });
});

describe("pair-joint mode", () => {
  it("asks every factor in one call per pair and order, both responses in context", async () => {
    const mock = await serve();
    const pairJoint = extractor(mock, { mode: "pair-joint", cacheFile: false });
    const results = await pairJoint.extract(ALL, PAIRS);
    expect(mock.log.filter(isChecklist)).toHaveLength(1);
    expect(mock.log.filter(isPairCall)).toHaveLength(6);
    expect(mock.stats.requests).toBe(7);
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
    const call = mock.log.find(isPairCall)!;
    expect(properties(call)).toEqual(["atomic_facts", "source-coverage", "fluency", "helpfulness"]);
    expect(results.get("hallucination")![0]!.meta).toEqual({ readings: { a: [2, 2], b: [0, 0] } });
    expect(pairJoint.stats().factors.fluency!.positionConsistency).toEqual({
      pairs: 3,
      consistent: 3,
      rate: 1,
    });
    expect(() => extractor(mock, { mode: "pair-joint", readings: 2 })).toThrow(
      /readings must be 1 in pair-joint/,
    );
  });
});

describe("per-factor mode", () => {
  it("reads each factor on its own, per distinct response or per pair and order, and agrees with joint mode", async () => {
    const mock = await serve();
    const perFactor = extractor(mock, { mode: "per-factor", cacheFile: false });
    const results = await perFactor.extract(ALL, PAIRS);
    // Three response-level factors x six responses, one checklist, one comparison x 3 pairs x 2 orders.
    expect(mock.stats.requests).toBe(3 * 6 + 1 + 6);
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
    for (const [factor, values] of Object.entries(EXPECTED_VALUES)) {
      expect(results.get(factor)!.map((m) => [m.valueA, m.valueB])).toEqual(values);
    }
    for (const request of mock.log.filter(isResponseReading)) expect(properties(request)).toHaveLength(1);
  });
});

describe("inputs", () => {
  it("shows each factor exactly the inputs it declares, with the same definition, in every mode", async () => {
    const mock = await serve();
    const factors = [fluency, hallucination, coverage, helpfulness, numberOfFacts, offFocus];
    await extractor(mock, { mode: "per-factor", cacheFile: false }).extract(factors, PAIRS.slice(0, 1));
    const perFactor = [...mock.log];
    mock.reset();
    await extractor(mock, { cacheFile: false }).extract(factors, PAIRS.slice(0, 1));
    const joint = [...mock.log];
    const shown = (request: MockRequest) => ({
      source: user(request).includes("<source>\nThe source document.\n</source>"),
      prompt: user(request).includes("<prompt>\nWhat does it say?\n</prompt>"),
    });
    for (const factor of factors) {
      const declared = factor.prompt!.inputs ?? [];
      const measures = (request: MockRequest) =>
        !isChecklist(request) && request.messages[0]!.content.includes(factor.prompt!.instructions);
      const own = perFactor.filter(measures);
      expect(own.length, factor.id).toBeGreaterThan(0);
      for (const request of own) {
        expect(shown(request), factor.id).toEqual({
          source: declared.includes("source"),
          prompt: declared.includes("prompt"),
        });
      }
      // In joint mode its calls show at least what it reads, and its definition, the same text, says which.
      const block = (request: MockRequest) =>
        request.messages[0]!.content.slice(request.messages[0]!.content.indexOf(`## ${factor.id}:`))
          .split("\n## ")[0]!
          .trim();
      for (const request of joint.filter(measures)) {
        const seen = shown(request);
        for (const input of declared) expect(seen[input], `${factor.id} ${input}`).toBe(true);
        expect(block(request)).toBe(block(own[0]!));
      }
    }
  });
});

describe("salvage", () => {
  /** The fake model's answers, with `edit` applied to the first answer of each response reading. */
  function editing(edit: (json: Record<string, any>, request: MockRequest) => void) {
    const fake = createFakeModel({ measure: scripted });
    return (request: MockRequest) => {
      const reply = fake(request) as { json: Record<string, any> };
      if (isResponseReading(request) && !user(request).includes("earlier answer")) edit(reply.json, request);
      return reply;
    };
  }

  it("keeps the valid parts of an answer and re-asks only the invalid one, with a schema of just it", async () => {
    const mock = await serve(
      editing((json) => {
        json.fluency.rating = 9;
      }),
    );
    const salvaging = extractor(mock, { cacheFile: false, bothOrders: false });
    const results = await salvaging.extract([fluency, hallucination, coverage], PAIRS.slice(0, 1));
    const reasks = mock.log.filter((request) => user(request).includes("earlier answer"));
    expect(reasks).toHaveLength(2);
    for (const request of reasks) expect(properties(request)).toEqual(["fluency"]);
    expect(results.get("fluency")![0]).toMatchObject({ valueA: 4, valueB: 5, sign: -1 });
    expect(results.get("hallucination")![0]).toMatchObject({ valueA: 2, valueB: 0 });
    expect(salvaging.stats()).toMatchObject({ reasks: 2, recoveredParts: 2, failures: 0 });
  });

  it("has a ledger factor whose labels failed label the same facts again, so the counts share one list", async () => {
    const mock = await serve(
      editing((json) => {
        json.atomic_facts[0]["off-focus"].verdict = "elsewhere";
      }),
    );
    const results = await extractor(mock, { cacheFile: false, bothOrders: false }).extract(
      [numberOfFacts, hallucination, offFocus],
      [pair("l", "hallucination=2 off-focus=1 number-of-facts=5", "number-of-facts=1")],
    );
    const reask = mock.log.find(
      (request) => user(request).includes("earlier answer") && user(request).includes("number-of-facts=5"),
    )!;
    expect(properties(reask)).toEqual(["off-focus"]);
    expect(Object.keys((reask.responseSchema!.jsonSchema as any).properties["off-focus"].properties)).toEqual(
      ["fact_1", "fact_2", "fact_3", "fact_4", "fact_5"],
    );
    expect(user(reask)).toContain("<atomic_facts>\nfact_1: Fact 1 of the response.\n");
    expect(results.get("number-of-facts")![0]).toMatchObject({ valueA: 5, valueB: 1 });
    expect(results.get("hallucination")![0]).toMatchObject({ valueA: 2, valueB: 0 });
    expect(results.get("off-focus")![0]).toMatchObject({ valueA: 1, valueB: 0 });
  });

  it("asks the whole ledger again when its list of facts failed", async () => {
    const mock = await serve(
      editing((json) => {
        json.atomic_facts = "none";
      }),
    );
    const results = await extractor(mock, { cacheFile: false, bothOrders: false }).extract(
      [numberOfFacts, hallucination, fluency],
      [pair("w", "hallucination=1 number-of-facts=2 fluency=3", "number-of-facts=0 fluency=2")],
    );
    const reasks = mock.log.filter((request) => user(request).includes("earlier answer"));
    expect(reasks.map(properties)).toEqual([["atomic_facts"], ["atomic_facts"]]);
    expect(results.get("number-of-facts")![0]).toMatchObject({ valueA: 2, valueB: 0 });
    expect(results.get("fluency")![0]).toMatchObject({ valueA: 3, valueB: 2 });
  });

  it("leaves only the factor that still fails missing, with the error, and never guesses", async () => {
    const fake = createFakeModel({ measure: scripted });
    const mock = await serve((request) => {
      const reply = fake(request) as { json: Record<string, any> };
      if (isResponseReading(request) && user(request).includes("BROKEN")) {
        if (reply.json.fluency) reply.json.fluency.rating = 0;
      }
      return reply;
    });
    const results = await extractor(mock, { cacheFile: false, bothOrders: false }).extract(
      [fluency, hallucination],
      [pair("f", "BROKEN fluency=3 hallucination=1", "fluency=2")],
    );
    const [broken] = results.get("fluency")!;
    expect(broken!.sign).toBeNull();
    expect(broken!.valueA).toBeUndefined();
    expect(broken!.error).toMatch(
      /^response a: no valid answer for fluency: the re-ask of the failed parts [\s\S]*fluency\.rating/,
    );
    expect(results.get("hallucination")![0]).toMatchObject({ valueA: 1, valueB: 0, sign: 1 });
  });

  it("has the client re-ask an answer with nothing readable, then counts every factor of it missing", async () => {
    const fake = createFakeModel({ measure: scripted });
    const mock = await serve((request) =>
      isResponseReading(request) && user(request).includes("BROKEN") ? { json: { nope: 1 } } : fake(request),
    );
    const failing = extractor(mock, { cacheFile: false, bothOrders: false });
    const results = await failing.extract([fluency, hallucination], [pair("n", "BROKEN", "fluency=2")]);
    for (const factor of ["fluency", "hallucination"]) {
      expect(results.get(factor)![0]!.sign).toBeNull();
      expect(results.get(factor)![0]!.error).toMatch(/^response a: no valid answer for .*after one re-ask/);
    }
    expect(failing.stats()).toMatchObject({ failures: 1, invalidOutputs: 1 });
  });

  it("uses the listed items when a stated count disagrees, and counts the disagreement", async () => {
    const fake = createFakeModel();
    const mock = await serve((request) => {
      const reply = fake(request) as { json: Record<string, any> };
      if (user(request).includes("<response>\nA\n")) reply.json.examples = { items: ["x", "y"], count: 5 };
      return reply;
    });
    const counting = extractor(mock, { cacheFile: false });
    const results = await counting.extract([examples], [pair("q", "A", "B")]);
    expect(results.get("examples")![0]!.valueA).toBe(2);
    expect(counting.stats().consistency).toEqual({ countMismatches: 1, repeatedFacts: 0 });
  });
});

describe("records", () => {
  it("hands over each checklist and reading once, with the facts and marks every value was counted from", async () => {
    const mock = await serve();
    const records: ExtractionRecord[] = [];
    const recording = extractor(mock, { cacheFile: false, onRecord: (record) => records.push(record) });
    await recording.extract([numberOfFacts, hallucination, coverage, helpfulness], PAIRS);
    await recording.extract([numberOfFacts, hallucination, coverage, helpfulness], PAIRS);
    const checklists = records.filter((record) => record.kind === "checklist");
    const readings = records.filter((record) => record.kind === "reading");
    expect(checklists).toHaveLength(1);
    expect(readings).toHaveLength(6);
    for (const reading of readings) {
      const counted = reading.facts!.filter((fact) => fact.labels.hallucination!.verdict === "unsupported");
      expect(reading.values.hallucination).toBe(counted.length);
      expect(reading.values["number-of-facts"]).toBe(reading.facts!.length);
      const marks = reading.checklists["source-coverage"]!;
      expect(marks.input).toBe(checklists[0]!.input);
      expect(marks.marks.map((mark) => mark.item)).toEqual(checklists[0]!.items);
      expect(reading.values["source-coverage"]).toBe(
        (100 * marks.marks.filter((mark) => mark.covered).length) / marks.marks.length,
      );
    }
  });
});

describe("both orders", () => {
  it("a position-biased model gives sign 0 and consistency 0 on comparisons; readings stand", async () => {
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
    expect(results.get("fluency")!.map((m) => m.sign)).toEqual(EXPECTED_SIGNS.fluency);
  });

  it("without both orders, each pair's one order comes from seed + pair id, not from call order", async () => {
    const mock = await serve();
    const pairs = Array.from({ length: 40 }, (_, i) =>
      pair(`s${i}`, `id s${i} a helpfulness=2`, `id s${i} b helpfulness=1`),
    );
    const shownOrders = () => {
      const orders = new Map<string, string>();
      for (const request of mock.log) {
        const shown = /<response_a>\nid (s\d+) (a|b)/.exec(user(request))!;
        orders.set(shown[1]!, shown[2] === "a" ? "given" : "swapped");
      }
      return orders;
    };
    const results = await extractor(mock, { bothOrders: false, cacheFile: false, seed: 7 }).extract(
      [helpfulness],
      pairs,
    );
    const orders = shownOrders();
    const swapped = [...orders.values()].filter((order) => order === "swapped").length;
    expect(swapped).toBeGreaterThan(10);
    expect(swapped).toBeLessThan(30);
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

  it("when one order of a comparison fails, the other is not used alone", async () => {
    const fake = createFakeModel({ measure: scripted });
    const mock = await serve((request) =>
      user(request).includes("<response_a>\nSECOND") ? { fault: "server-error" } : fake(request),
    );
    const both = extractor(mock, { cacheFile: false, clientOptions: { maxRetries: 0 } });
    const results = await both.extract(
      [helpfulness],
      [pair("half", "FIRST helpfulness=3", "SECOND helpfulness=1")],
    );
    const [only] = results.get("helpfulness")!;
    expect(only!.sign).toBeNull();
    expect(only!.error).toContain("the swapped order");
    expect(only!.error).toContain("the given order was answered, and is not used alone");
  });
});

describe("failures and options", () => {
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
    expect(mock.log.some(isChecklist)).toBe(false);
    expect(mock.log.every((request) => !user(request).includes("<source>"))).toBe(true);
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
    expect(() => extractor(mock, { mode: "both" as never })).toThrow(
      /mode must be "joint", "pair-joint", "per-factor"/,
    );
    expect(() => extractor(mock, { readings: 0 })).toThrow(/readings must be a positive integer/);
    expect(() => extractor(mock, { sourceBudget: { maxChars: 0 } })).toThrow(/maxChars must be/);
    const controller = new AbortController();
    const pending = ready.extract(ALL, PAIRS, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stopped by the user")), 20);
    await expect(pending).rejects.toThrow("stopped by the user");
  });

  it("cuts a long source to its head, marks the cut, and counts each call that shows it", async () => {
    const mock = await serve();
    const long = "0123456789".repeat(25);
    const budget = extractor(mock, { bothOrders: false, cacheFile: false, sourceBudget: { maxChars: 100 } });
    await budget.extract(
      [hallucination],
      [pair("long", "hallucination=1", "hallucination=2", { source: long }), pair("short", "x", "y")],
    );
    const shown = mock.log.map(user).find((text) => text.includes("0123456789"))!;
    expect(shown).toContain(
      `<source>\n${long.slice(0, 100)}\n[… the source document is cut here: its first 100 of 250 characters are shown, 150 are left out]\n</source>`,
    );
    expect(budget.stats().sourcesCut).toEqual({ maxChars: 100, count: 2, charsRemoved: 300 });
    mock.reset();
    const unread = extractor(mock, { bothOrders: false, cacheFile: false, sourceBudget: { maxChars: 100 } });
    await unread.extract([fluency], [pair("long", "a", "b", { source: long })]);
    expect(mock.log.every((request) => !user(request).includes("<source>"))).toBe(true);
    expect(unread.stats().sourcesCut.count).toBe(0);
  });
});

describe("cache", () => {
  it("a second run over the same pairs makes no request; a new prompt version does", async () => {
    const mock = await serve();
    const first = await extractor(mock).extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(13);
    mock.reset();
    const warm = extractor(mock);
    const second = await warm.extract(ALL, PAIRS);
    expect(mock.stats.requests).toBe(0);
    expect(second).toEqual(first);
    expect(warm.stats()).toMatchObject({ calls: 13, cacheHits: 13 });
    mock.reset();
    const revised = defineModelFactor({ ...fluency, prompt: { ...fluency.prompt!, version: "fluency@2" } });
    await extractor(mock).extract([revised, hallucination, coverage, helpfulness], PAIRS);
    // The response readings hold fluency; the checklist and the pair calls do not.
    expect(mock.stats.requests).toBe(6);
  });
});

describe("providers and plugins", () => {
  it("works through the Anthropic provider (forced tool) with the same results", async () => {
    const mock = await serve();
    const results = await extractor(mock, { provider: "anthropic", cacheFile: false }).extract(ALL, PAIRS);
    expect(mock.log.every((request) => request.api === "anthropic")).toBe(true);
    expect(mock.log.find(isResponseReading)!.responseSchema!.name).toBe("response_reading");
    expect(signs(results)).toEqual(EXPECTED_SIGNS);
  });

  it("serves a model factor's own extract through the context's modelExtractor", async () => {
    const mock = await serve();
    const modelExtractor = extractor(mock, { cacheFile: false });
    const manifestations = await helpfulness.extract(PAIRS, { options: {}, seed: 0, modelExtractor });
    expect(manifestations.map((m) => m.sign)).toEqual(EXPECTED_SIGNS.helpfulness);
  });
});
