import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { jsonlRecords } from "./jsonl-records.js";
import type { RecordItem } from "./record-item.js";

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part);
}

async function records(parts: (string | Buffer)[]): Promise<RecordItem[]> {
  return (await collect(jsonlRecords("f.jsonl", chunks(...parts)))).flat();
}

describe("jsonlRecords", () => {
  it("numbers lines from 1, skips blank lines, accepts CRLF and a last line without newline", async () => {
    const items = await records(['{"n":1}\r\n\r\n', '   \n{"n":2}\n{"n"', ":3}"]);
    expect(items.map((item) => [item.at.line, item.at.index, item.error ? "error" : item.value])).toEqual([
      [1, 0, { n: 1 }],
      [4, 1, { n: 2 }],
      [5, 2, { n: 3 }],
    ]);
  });

  it("joins a line cut anywhere, including inside a multi-byte character", async () => {
    const line = Buffer.from('{"text":"naïve – 日本語 😀"}\n');
    for (let cut = 1; cut < line.length; cut++) {
      const items = await records([line.subarray(0, cut), line.subarray(cut)]);
      expect(items).toEqual([
        { at: { file: "f.jsonl", line: 1, index: 0 }, value: { text: "naïve – 日本語 😀" } },
      ]);
    }
  });

  it("reads a 5 MB line spread over many chunks", async () => {
    const text = "x".repeat(5 * 1024 * 1024);
    const line = Buffer.from(`{"a":"${text}"}\n{"a":"short"}\n`);
    const parts: Buffer[] = [];
    for (let at = 0; at < line.length; at += 1 << 20) parts.push(line.subarray(at, at + (1 << 20)));
    const items = await records(parts);
    expect(items).toHaveLength(2);
    expect((items[0]!.value as { a: string }).a).toBe(text);
    expect(items[1]).toMatchObject({ at: { line: 2 }, value: { a: "short" } });
  });

  it("turns a malformed line into a record-level error and goes on", async () => {
    const items = await records(['{"ok":1}\n{"broken":\n{"ok":2}\n']);
    expect(items[1]!.error).toMatchObject({ code: "malformed_json", location: { file: "f.jsonl", line: 2 } });
    expect(items[1]!.error!.message).toMatch(
      /^f\.jsonl:2: malformed JSON \(.+\); the line starts "\{\\"broken\\":"$/,
    );
    expect(items[2]).toMatchObject({ at: { line: 3, index: 2 }, value: { ok: 2 } });
  });

  it("gives every record and its line, however the bytes are chunked (property)", async () => {
    const line = fc.oneof(
      fc.constant(""),
      fc.constant("  \r"),
      fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (lines, cuts) => {
          const bytes = Buffer.from(lines.join("\n"));
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((x, y) => x - y);
          const parts = [0, ...points, bytes.length]
            .slice(1)
            .map((end, i, ends) => bytes.subarray(i === 0 ? 0 : ends[i - 1], end));
          const expected = lines.flatMap((text, i) =>
            text.trim() === "" ? [] : [{ line: i + 1, value: JSON.parse(text) as unknown }],
          );
          const items = await records(parts);
          expect(items.map((item) => ({ line: item.at.line, value: item.value }))).toEqual(expected);
        },
      ),
    );
  });
});
