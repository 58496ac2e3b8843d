import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { readValidationItems } from "./validation-items.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "profilekit-validation-items-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: "s1",
    task: "summarization",
    response: "A summary.",
    cluster: "doc1",
    labels: { fluency: 4.5 },
    ...fields,
  });

async function file(name: string, lines: string[], gzip = false): Promise<string> {
  const path = join(dir, name);
  const text = `${lines.join("\n")}\n`;
  await writeFile(path, gzip ? gzipSync(text) : text);
  return path;
}

describe("readValidationItems", () => {
  it("reads items of JSON Lines, gzip or not, keeping numbers, booleans and meta, dropping unknown fields", async () => {
    const lines = [
      line({ source: "The article.", meta: { model: "M8" }, extra: 1 }),
      line({ id: "s2", labels: { wrong: true, spans: 2 } }),
    ];
    for (const path of [await file("items.jsonl", lines), await file("items.jsonl.gz", lines, true)]) {
      const items = await collect(readValidationItems(path));
      expect(items).toEqual([
        {
          id: "s1",
          task: "summarization",
          source: "The article.",
          response: "A summary.",
          cluster: "doc1",
          labels: { fluency: 4.5 },
          meta: { model: "M8" },
        },
        {
          id: "s2",
          task: "summarization",
          response: "A summary.",
          cluster: "doc1",
          labels: { wrong: true, spans: 2 },
        },
      ]);
    }
  });

  it("names the file, line and field of the first bad item", async () => {
    const missing = await file("missing.jsonl", [
      line({}),
      "",
      JSON.stringify({ id: "s2", task: "t", response: "r", labels: {} }),
    ]);
    await expect(collect(readValidationItems(missing))).rejects.toMatchObject({
      code: "missing_field",
      message: expect.stringMatching(/missing\.jsonl:3, field "cluster"/),
    });
    const label = await file("label.jsonl", [line({ labels: { fluency: "high" } })]);
    await expect(collect(readValidationItems(label))).rejects.toMatchObject({
      code: "invalid_field",
      message: expect.stringMatching(/label\.jsonl:1, field "labels\.fluency".*found "high"/),
    });
    const twice = await file("twice.jsonl", [line({}), line({})]);
    await expect(collect(readValidationItems(twice))).rejects.toMatchObject({
      code: "duplicate_record",
      message: expect.stringMatching(/twice\.jsonl:2/),
    });
    const array = await file("items.csv", ["id,response"]);
    await expect(collect(readValidationItems(array))).rejects.toMatchObject({ code: "invalid_option" });
    const empty = await file("empty.json", ["[]"]);
    await expect(collect(readValidationItems(empty))).rejects.toMatchObject({ code: "empty_input" });
  });
});
