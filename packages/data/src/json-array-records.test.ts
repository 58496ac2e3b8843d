import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { jsonArrayRecords } from "./json-array-records.js";
import type { RecordItem } from "./record-item.js";

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function records(...parts: string[]): Promise<RecordItem[]> {
  return (await collect(jsonArrayRecords("f.json", chunks(...parts)))).flat();
}

async function failure(promise: Promise<unknown>): Promise<Error & { code: string; location?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string };
  }
  throw new Error("expected a failure");
}

describe("jsonArrayRecords", () => {
  it("gives each element with the line it starts on", async () => {
    const text = '[\n  {"a": "x, ] }"},\n  {"b": [1, {"c": "\\"]"}]}\n  ,\n  3\n]\n';
    const items = await records(text);
    expect(items.map((item) => [item.at.line, item.at.index, item.value])).toEqual([
      [2, 0, { a: "x, ] }" }],
      [3, 1, { b: [1, { c: '"]' }] }],
      [5, 2, 3],
    ]);
  });

  it("finds elements whatever the chunking (property)", async () => {
    const element = fc.dictionary(
      fc.string(),
      fc.oneof(fc.string(), fc.integer(), fc.array(fc.string(), { maxLength: 3 })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(element, { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (elements, pretty, cuts) => {
          const text = JSON.stringify(elements, null, pretty ? 2 : undefined);
          const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((x, y) => x - y);
          const parts = [0, ...points, text.length]
            .slice(1)
            .map((end, i, ends) => text.slice(i === 0 ? 0 : ends[i - 1], end));
          const items = await records(...parts);
          expect(items.map((item) => item.value)).toEqual(elements);
          if (pretty) {
            // JSON.stringify with indentation puts each element's "{" on its own line: 2, then after the previous element.
            const lines = text.split("\n");
            for (const item of items) expect(lines[item.at.line - 1]!.trimStart().startsWith("{")).toBe(true);
          }
        },
      ),
    );
  });

  it("reports a malformed element as a record-level error and reads the next one", async () => {
    const items = await records('[\n{"a": 1},\n{"a": tru},\n{"a": 3}\n]');
    expect(items[1]!.error).toMatchObject({ code: "malformed_json", location: { file: "f.json", line: 3 } });
    expect(items[1]!.error!.message).toMatch(/^f\.json:3: malformed JSON in array element 1 \(/);
    expect(items[2]).toMatchObject({ at: { line: 4, index: 2 }, value: { a: 3 } });
  });

  it("fails on a truncated array, a trailing comma, text after the array and an empty array", async () => {
    expect(await failure(records('[\n{"a": 1},\n{"a": '))).toMatchObject({
      code: "malformed_json",
      message: expect.stringMatching(/ends inside the array \(in the element that starts on line 3\)/),
    });
    expect(await failure(records('[{"a": 1},]'))).toMatchObject({
      code: "malformed_json",
      message: 'f.json:1: expected an array element, found "]"',
    });
    expect(await failure(records('[{"a": 1}]\n[{"a": 2}]'))).toMatchObject({
      code: "malformed_json",
      location: { line: 2 },
    });
    expect(await failure(records('[{"a": 1}}]'))).toMatchObject({ code: "malformed_json" });
    expect(await failure(records(" [ \n ] "))).toMatchObject({ code: "empty_input" });
  });
});
