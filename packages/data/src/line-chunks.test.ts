import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { fileLineChunks } from "./file-line-chunks.js";
import { jsonlRecords, recordsOfChunk } from "./jsonl-records.js";
import { ChunkBufferPool, fileStart, lineChunks, slicesOf } from "./line-chunks.js";
import type { RecordItem } from "./record-item.js";

async function* stream(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

/** JSON Lines text with multi-byte characters, blank and whitespace-only lines, CRLF ends, a malformed line now and then. */
const jsonLinesText = fc
  .array(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .record({ n: fc.integer(), s: fc.string({ unit: "binary", maxLength: 12 }) })
          .map((v) => JSON.stringify(v)),
      },
      { weight: 1, arbitrary: fc.constantFrom("", "   ", "\t", "\u00a0", "{broken") },
    ),
    { maxLength: 40 },
  )
  .chain((lines) =>
    fc
      .array(fc.constantFrom("\n", "\r\n"), { minLength: lines.length, maxLength: lines.length })
      .chain((ends) =>
        fc
          .boolean()
          .map((lastEnds) =>
            lines.map((line, i) => line + (i < lines.length - 1 || lastEnds ? ends[i] : "")).join(""),
          ),
      ),
  );

/** The bytes of a text cut at random points (inside multi-byte characters too). */
const cutText = jsonLinesText.chain((text) => {
  const bytes = Buffer.from(text);
  return fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, bytes.length - 1) }), { maxLength: 8 })
    .map((cuts) => {
      const points = [0, ...cuts.filter((cut) => cut < bytes.length).sort((a, b) => a - b), bytes.length];
      return { bytes, parts: points.slice(1).map((end, i) => bytes.subarray(points[i], end)) };
    });
});

describe("lineChunks", () => {
  it("cuts only after newlines, into chunks of at least minBytes, losing and adding nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        cutText,
        fc.integer({ min: 0, max: 64 }),
        fc.boolean(),
        async ({ bytes, parts }, minBytes, pooled) => {
          const pool = pooled ? new ChunkBufferPool(minBytes, 4) : undefined;
          const chunks = await collect(lineChunks(stream(parts), minBytes, pool));
          expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
          for (const [i, chunk] of chunks.entries()) {
            expect(chunk.length).toBeGreaterThan(0);
            if (i === chunks.length - 1) continue;
            expect(chunk.at(-1)).toBe(10);
            expect(chunk.length).toBeGreaterThanOrEqual(minBytes);
          }
          if (pool) {
            // Each pooled chunk starts its own buffer, so it can be transferred to another thread.
            for (const chunk of chunks) expect(chunk.byteOffset).toBe(0);
            expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(chunks.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("numbers records as one pass over the whole text does, when each chunk is parsed from the last one's end", async () => {
    await fc.assert(
      fc.asyncProperty(cutText, fc.integer({ min: 0, max: 64 }), async ({ bytes, parts }, minBytes) => {
        const whole = (await collect(jsonlRecords("f.jsonl", stream([bytes])))).flat();
        const byChunk: RecordItem[] = [];
        let position = fileStart;
        for await (const chunk of lineChunks(stream(parts), minBytes)) {
          for (const slice of slicesOf(chunk, 8)) {
            const { records, next } = recordsOfChunk("f.jsonl", slice, position);
            byChunk.push(...records);
            position = next;
          }
        }
        expect(byChunk).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});

describe("slicesOf", () => {
  it("cuts a chunk into whole lines of at least the given size, as views", () => {
    const chunk = Buffer.from("a\nbb\n\nccc\ndddd\ne");
    const slices = [...slicesOf(chunk, 3)];
    expect(slices.map((slice) => Buffer.from(slice).toString())).toEqual([
      "a\nbb\n",
      "\nccc\n",
      "dddd\n",
      "e",
    ]);
    expect(slices.every((slice) => slice.buffer === chunk.buffer)).toBe(true);
    expect([...slicesOf(chunk, 100)].map((slice) => slice.length)).toEqual([chunk.length]);
  });
});

describe("ChunkBufferPool", () => {
  it("reuses a released buffer that is large enough, and allocates for a larger chunk", () => {
    const pool = new ChunkBufferPool(16, 2);
    const first = pool.copyOf([Buffer.from("abc\n"), Buffer.from("de\n")]);
    expect(Buffer.from(first).toString()).toBe("abc\nde\n");
    expect(first.buffer.byteLength).toBe(20); // room for the usual overshoot: 16 * 1.25
    pool.release(first);
    const second = pool.copyOf([Buffer.from("x\n")]);
    expect(second.buffer).toBe(first.buffer);
    const large = pool.copyOf([Buffer.alloc(100, 65)]);
    expect(large.length).toBe(100);
    expect(large.buffer).not.toBe(first.buffer);
  });
});

describe("fileLineChunks", () => {
  it("reads a file into pooled chunks of whole lines, byte order mark dropped, however long its lines", async () => {
    const dir = await mkdtemp(join(tmpdir(), "profilekit-file-chunks-"));
    try {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          jsonLinesText,
          fc.boolean(),
          fc.integer({ min: 1, max: 48 }),
          async (text, bom, minBytes) => {
            const file = join(dir, `${n++}.jsonl`);
            await writeFile(file, bom ? `\ufeff${text}` : text);
            const pool = new ChunkBufferPool(minBytes, 2);
            const chunks: Buffer[] = [];
            for await (const chunk of fileLineChunks(file, minBytes, pool)) {
              expect(chunk.byteOffset).toBe(0);
              chunks.push(Buffer.from(chunk));
              pool.release(chunk); // reused at once: a later chunk must not see this one's bytes
            }
            expect(Buffer.concat(chunks).toString()).toBe(text);
            for (const [i, chunk] of chunks.entries()) {
              if (i === chunks.length - 1) continue;
              expect(chunk.at(-1)).toBe(10);
              expect(chunk.length).toBeGreaterThanOrEqual(minBytes);
            }
          },
        ),
        { numRuns: 200 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
