import { createHash } from "node:crypto";
import type { FactorPlugin, Pair } from "@profilekit/spec";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arbitraryOf } from "../__fixtures__/json-schema-arbitrary.js";
import { MODEL_FACTORS, TASK_MODEL_FACTORS } from "../__fixtures__/real-factors.js";
import { createModelClient } from "../client.js";
import { createLanguageModel } from "../providers/registry.js";
import { strictSchema } from "../providers/strict-schema.js";
import { jsonSchemaOf } from "../structured-output.js";
import { type MockRequest, type MockServer, startMockServer } from "../testing/mock-server.js";
import { type AnswerLayout, layoutFor, layoutSchema, readLayout } from "./answer-layout.js";
import { ChecklistAnswerSchema, labelOf, shapeOf } from "./answer-schemas.js";
import { createModelFactorExtractor, type ModelFactorExtractorOptions } from "./extractor.js";

// The schema sent is the whole contract: any instance of the JSON schema a provider receives
// (OpenAI's strict form, Anthropic's tool schema) must be read in full, for every factor on its
// own and for every task's set together, in every call shape.

const ajv = new Ajv2020({ strict: false, allErrors: false });
const valid = (schema: object, value: unknown) => ajv.validate(schema, value);

const groups: [string, readonly FactorPlugin[]][] = [
  ...Object.entries(TASK_MODEL_FACTORS).map(
    ([task, factors]) => [`the ${task} set`, factors] as [string, readonly FactorPlugin[]],
  ),
  ...MODEL_FACTORS.map((factor) => [factor.id, [factor]] as [string, readonly FactorPlugin[]]),
];

/** Every layout a group is asked in: a response reading, a pair call, a pair-joint call, a relabel re-ask. */
function layoutsOf(factors: readonly FactorPlugin[], checklistItems: number): [string, AnswerLayout][] {
  const responseLevel = factors.filter((factor) => factor.level === "response");
  const pairLevel = factors.filter((factor) => factor.level === "pair");
  const checklists = new Map(
    factors
      .filter((factor) => shapeOf(factor) === "checklist")
      .map((factor) => [factor.id, Array.from({ length: checklistItems }, (_, i) => `point ${i}`)]),
  );
  const layouts: [string, AnswerLayout][] = [];
  if (responseLevel.length > 0) {
    const reading = layoutFor(responseLevel, [undefined], checklists);
    layouts.push(["response reading", reading]);
    const labelling = reading.ledger.filter((factor) => labelOf(factor));
    if (labelling.length > 0) {
      layouts.push([
        "relabel",
        { ...reading, ledger: [], relabel: labelling, givenFacts: [["f1", "f2", "f3"]] },
      ]);
    }
  }
  if (pairLevel.length > 0) layouts.push(["pair call", layoutFor(pairLevel, [], new Map())]);
  layouts.push(["pair-joint call", layoutFor(factors, ["a", "b"], checklists)]);
  return layouts;
}

describe("any instance of the JSON schema sent is read, with zero errors", () => {
  for (const [name, factors] of groups) {
    it(`${name}: every call shape, as OpenAI (strict) and Anthropic receive it`, () => {
      for (const items of [1, 7, 20]) {
        for (const [shape, layout] of layoutsOf(factors, items)) {
          const full = jsonSchemaOf(layoutSchema(layout), shape);
          for (const sent of [strictSchema(full).schema, full]) {
            fc.assert(
              fc.property(arbitraryOf(sent), (answer) => {
                expect(valid(sent, answer)).toBe(true);
                const read = readLayout(layout, answer);
                for (const [id, entry] of read.reads) {
                  expect(entry.ok, `${name} ${shape} ${id}: ${entry.ok ? "" : entry.error}`).toBe(true);
                  if (entry.ok && "values" in entry)
                    for (const value of entry.values) expect(Number.isFinite(value)).toBe(true);
                }
                // Counts from one ledger: no labelled count exceeds the number of facts.
                read.evidence.forEach((side, index) => {
                  for (const [id, entry] of read.reads) {
                    if (
                      side.facts &&
                      entry.ok &&
                      "values" in entry &&
                      layout.ledger.some((f) => f.id === id)
                    ) {
                      expect(entry.values[index]!).toBeLessThanOrEqual(side.facts.length);
                    }
                  }
                });
              }),
              { numRuns: 60, seed: 20_261_203 },
            );
          }
        }
      }
    });
  }

  it("the checklist schema too", () => {
    const full = jsonSchemaOf(ChecklistAnswerSchema, "checklist");
    fc.assert(
      fc.property(arbitraryOf(strictSchema(full).schema), (answer) => {
        expect(ChecklistAnswerSchema.safeParse(answer).success).toBe(true);
      }),
      { numRuns: 200, seed: 1 },
    );
  });
});

describe("end to end, through the real SDKs, against a server that answers any instance of the schema it is sent", () => {
  let server: MockServer;
  const invalid: string[] = [];
  let seed = 0;
  beforeAll(async () => {
    server = await startMockServer({
      handler: (request: MockRequest) => {
        const schema = request.responseSchema!.jsonSchema as object;
        const digest = createHash("sha256")
          .update(`${seed}\u0000${JSON.stringify(request.messages)}`)
          .digest();
        const [json] = fc.sample(arbitraryOf(schema), { numRuns: 1, seed: digest.readInt32BE(0) });
        if (!valid(schema, json)) invalid.push(JSON.stringify(ajv.errors));
        return { json };
      },
    });
  });
  afterAll(() => server.close());

  const base = { source: "The bridge opened in 1932 after six years of work.", prompt: "When did it open?" };
  const pairs = (task: string): Pair[] =>
    [
      ["In 1932.", "It opened in 1931."],
      ["In 1932.", "After six years of work, in 1932."],
      ["Nobody knows.", "In 1932."],
    ].map(([a, b], i) => ({ id: `${task}-${i}`, task, ...base, a: a!, b: b!, label: "a" }));

  for (const [task, factors] of Object.entries(TASK_MODEL_FACTORS)) {
    for (const mode of ["joint", "pair-joint", "per-factor"] as const) {
      for (const provider of ["openai", "anthropic"] as const) {
        it(`${task}, ${mode} mode, ${provider}: no error, no re-ask, every factor measured`, async () => {
          for (seed = 0; seed < 4; seed += 1) {
            const client = createModelClient({
              model:
                provider === "openai"
                  ? createLanguageModel("openai:gpt-fuzz", { baseURL: server.openaiBaseURL, apiKey: "k" })
                  : createLanguageModel("anthropic:claude-fuzz", {
                      baseURL: server.anthropicBaseURL,
                      apiKey: "k",
                    }),
              cache: false,
              concurrency: 32,
            });
            const options: ModelFactorExtractorOptions = { client, mode };
            const extractor = createModelFactorExtractor(options);
            const results = await extractor.extract(factors, pairs(task));
            await client.close();
            const stats = extractor.stats();
            expect(stats).toMatchObject({ failures: 0, invalidOutputs: 0, reasks: 0 });
            for (const [id, list] of results) {
              for (const manifestation of list)
                expect(manifestation.error, `${id}: ${manifestation.error}`).toBeUndefined();
            }
          }
          expect(invalid).toEqual([]);
        });
      }
    }
  }
});
