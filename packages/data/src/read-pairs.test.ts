import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Pair } from "@profilekit/spec";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import {
  fileStart,
  type InputError,
  parseColumnMapping,
  parseLabelMapping,
  type ReadPairsOptions,
  readPairs,
} from "./index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "profilekit-data-read-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let files = 0;
async function file(name: string, content: string | Buffer): Promise<string> {
  const sub = join(dir, String(files++));
  await mkdir(sub);
  const path = join(sub, name);
  await writeFile(path, content);
  return path;
}

const jsonl = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join("\n");
const pair = (id: string, label = "a"): Pair =>
  ({ id, task: "summarization", a: `A ${id}`, b: `B ${id}`, label }) as Pair;
const read = (path: string, options?: ReadPairsOptions) => collect(readPairs(path, options));

async function failure(promise: Promise<unknown>): Promise<InputError> {
  try {
    await promise;
  } catch (error) {
    return error as InputError;
  }
  throw new Error("expected a failure");
}

describe("formats", () => {
  const pairs = [
    pair("p1"),
    { ...pair("p2", "tie"), prompt: "Q", source: "S", group: "g", meta: { k: [1] } },
  ];

  it("reads canonical JSONL, keeping every field and dropping unknown ones", async () => {
    const path = await file("pairs.jsonl", `${jsonl(...pairs.map((p) => ({ ...p, extra: 1 })))}\n`);
    const reader = readPairs(path);
    expect(await collect(reader)).toEqual(pairs);
    expect(reader.read).toBe(2);
    expect(reader.skipped).toEqual({ count: 0, byReason: {}, examples: [] });
  });

  it("reads a JSON array, gzip by content, and a .json file that holds JSON Lines", async () => {
    expect(await read(await file("pairs.json", JSON.stringify(pairs, null, 2)))).toEqual(pairs);
    expect(await read(await file("pairs.jsonl.gz", gzipSync(jsonl(...pairs))))).toEqual(pairs);
    expect(await read(await file("pairs.json.gz", gzipSync(JSON.stringify(pairs))))).toEqual(pairs);
    // gzip is recognised by its magic bytes, not by the name
    expect(await read(await file("pairs.jsonl", gzipSync(jsonl(...pairs))))).toEqual(pairs);
    expect(await read(await file("export.json", jsonl(...pairs)))).toEqual(pairs);
  });

  it("reads with a byte order mark and CRLF line ends", async () => {
    expect(
      await read(await file("bom.jsonl", `\uFEFF${jsonl(...pairs).replaceAll("\n", "\r\n")}\r\n`)),
    ).toEqual(pairs);
  });

  it("takes the format from --format when the name says nothing, and fails without it", async () => {
    const path = await file("pairs.txt", jsonl(...pairs));
    expect(await read(path, { format: "jsonl" })).toEqual(pairs);
    expect(await failure(read(path))).toMatchObject({
      code: "invalid_option",
      hint: expect.stringContaining("--format"),
    });
  });

  it("reads CSV with a column mapping and a label mapping, quoted commas and newlines included", async () => {
    const csv = [
      "instruction,response1,response2,winner,topic",
      'Say hi,"Hi, there","Hello\nworld",1,x',
      "Count,1 2 3,,0,y",
      "Pick,left,right,draw,z",
    ].join("\r\n");
    const path = await file("judged.csv", csv);
    const pairs = await read(path, {
      mapping: parseColumnMapping("prompt=instruction,a=response1,b=response2,label=winner,group=topic"),
      labels: parseLabelMapping("a=1,b=2,tie=0|draw"),
      task: "instruction-following",
    });
    expect(pairs).toEqual([
      {
        id: "judged.csv:2",
        task: "instruction-following",
        prompt: "Say hi",
        a: "Hi, there",
        b: "Hello\nworld",
        label: "a",
        group: "x",
      },
      {
        id: "judged.csv:3",
        task: "instruction-following",
        prompt: "Count",
        a: "1 2 3",
        b: "",
        label: "tie",
        group: "y",
      },
      {
        id: "judged.csv:4",
        task: "instruction-following",
        prompt: "Pick",
        a: "left",
        b: "right",
        label: "tie",
        group: "z",
      },
    ]);
  });

  it("reads TSV, gzip-compressed, with canonical column names", async () => {
    const tsv = "id\ttask\ta\tb\tlabel\nr1\tsummarization\tshort\ta longer one\tb\n";
    expect(await read(await file("pairs.tsv.gz", gzipSync(tsv)))).toEqual([
      { id: "r1", task: "summarization", a: "short", b: "a longer one", label: "b" },
    ]);
  });

  it("follows dotted paths into nested JSON, and prefers a key that contains the dot", async () => {
    const path = await file(
      "nested.jsonl",
      jsonl({ q: { text: "Q" }, responses: ["one", "two"], "judge.verdict": "B", judge: { verdict: "A" } }),
    );
    const pairs = await read(path, {
      mapping: parseColumnMapping("prompt=q.text,a=responses.0,b=responses.1,label=judge.verdict"),
      task: "t",
    });
    expect(pairs).toEqual([{ id: "nested.jsonl:1", task: "t", prompt: "Q", a: "one", b: "two", label: "b" }]);
  });
});

describe("quirks of real data", () => {
  const base = { id: "x", task: "t", a: "A", b: "B", label: "a" };

  it("matches labels across JSON types, case and numeric spelling", async () => {
    const path = await file(
      "labels.jsonl",
      jsonl(
        { ...base, id: "1", label: true },
        { ...base, id: "2", label: "True" },
        { ...base, id: "3", label: " false " },
        { ...base, id: "4", label: 1 },
        { ...base, id: "5", label: "1.0" },
        { ...base, id: "6", label: "0" },
        { ...base, id: "7", label: "Equally good" },
      ),
    );
    const pairs = await read(path, {
      labels: { a: ["true", "1"], b: ["FALSE"], tie: ["0", "Equally Good"] },
    });
    expect(pairs.map((p) => p.label)).toEqual(["a", "a", "b", "a", "a", "tie", "tie"]);
    const canonical = await read(
      await file("canonical.jsonl", jsonl({ ...base, label: " Tie" }, { ...base, id: "y", label: "B" })),
    );
    expect(canonical.map((p) => p.label)).toEqual(["tie", "b"]);
  });

  it("turns a number response into its string and reads null prompt and source as absent", async () => {
    const path = await file("numbers.jsonl", jsonl({ ...base, a: 42, b: 3.5, prompt: null, source: null }));
    expect(await read(path)).toEqual([{ ...base, a: "42", b: "3.5" }]);
  });

  it("rejects a null, missing, array or boolean response, naming the field", async () => {
    for (const [a, code] of [
      [null, "missing_field"],
      [undefined, "missing_field"],
      [["A"], "invalid_field"],
      [false, "invalid_field"],
    ] as const) {
      const error = await failure(read(await file("bad.jsonl", jsonl({ ...base, a }))));
      expect(error).toMatchObject({ code, location: { line: 1, field: "a" } });
    }
  });

  it("gives a record without id the id <file name>:<line> and uses --task when the record has none", async () => {
    const path = await file("no-ids.jsonl", `\n${jsonl({ a: "A", b: "B", label: "a" })}`);
    expect(await read(path, { task: "summarization" })).toEqual([
      { id: "no-ids.jsonl:2", task: "summarization", a: "A", b: "B", label: "a" },
    ]);
    expect(await failure(read(path))).toMatchObject({
      code: "missing_field",
      location: { field: "task", line: 2 },
      hint: expect.stringContaining("--task"),
    });
  });
});

describe("broken input", () => {
  it("names the file and line of a malformed line", async () => {
    const path = await file("bad.jsonl", `${jsonl(pair("p1"))}\n{"id": "p2", "a": \n`);
    const error = await failure(read(path));
    expect(error).toMatchObject({
      name: "InputError",
      code: "malformed_json",
      exitCode: 2,
      location: { file: path, line: 2 },
    });
    expect(error.message).toContain(`${path}:2: malformed JSON`);
    expect(error.hint).toContain("--on-invalid skip");
  });

  it("says which field is missing, what the record has, and how to map it", async () => {
    const path = await file(
      "other.jsonl",
      jsonl({ id: "p", task: "t", first: "A", second: "B", label: "a" }),
    );
    const error = await failure(read(path));
    expect(error).toMatchObject({ code: "missing_field", location: { file: path, line: 1, field: "a" } });
    expect(error.message).toBe(
      `${path}:1, field "a": expected a string, found nothing (the field is missing)`,
    );
    expect(error.hint).toContain('"first", "second"');
    expect(error.hint).toContain("--map");
  });

  it("suggests the preset when a record looks like a known dataset", async () => {
    const path = await file(
      "autoj-like.jsonl",
      jsonl({ scenario: "s", label: 0, prompt: "p", "response 1": "x", "response 2": "y" }),
    );
    expect(await failure(read(path, { task: "t" }))).toMatchObject({
      code: "missing_field",
      hint: "this record looks like the autoj dataset: use --preset autoj",
    });
  });

  it("says what labels were expected for an unknown label, with the value found", async () => {
    const path = await file("maybe.jsonl", jsonl(pair("p1"), { ...pair("p2"), label: "maybe" }));
    const error = await failure(read(path));
    expect(error).toMatchObject({ code: "unknown_label", location: { line: 2, field: "label" } });
    expect(error.message).toBe(
      `${path}:2, field "label": expected a label among "a" (a), "b" (b), "tie" (tie), found "maybe"`,
    );
    expect(error.hint).toContain("--labels");
  });

  it("truncates a long value in the message", async () => {
    const path = await file("long.jsonl", jsonl({ ...pair("p"), label: "z".repeat(1000) }));
    const error = await failure(read(path));
    expect(error.message.length).toBeLessThan(250);
    expect(error.message).toContain("zzz…");
  });

  it("fails on an empty file, a blank file, an empty array and a CSV without rows", async () => {
    for (const [name, content] of [
      ["empty.jsonl", ""],
      ["blank.jsonl", "\n  \n\r\n"],
      ["empty.json", "[]"],
      ["empty.csv", ""],
      ["header.csv", "id,task,a,b,label\n"],
      ["empty.jsonl.gz", gzipSync("")],
    ] as const) {
      const error = await failure(read(await file(name, content)));
      expect(error, name).toMatchObject({ code: "empty_input", exitCode: 2 });
    }
  });

  it("refuses binary garbage, UTF-16 and corrupt gzip before parsing", async () => {
    const garbage = randomBytes(4096);
    garbage[10] = 0;
    expect(await failure(read(await file("garbage.jsonl", garbage)))).toMatchObject({
      code: "unreadable_input",
      message: expect.stringContaining("binary data"),
    });
    const latin1 = Buffer.from('{"a": "caf\xe9"}\n', "latin1");
    expect(await failure(read(await file("latin1.jsonl", latin1)))).toMatchObject({
      code: "unreadable_input",
      message: expect.stringContaining("not valid UTF-8"),
    });
    const utf16 = Buffer.from(`\uFEFF${jsonl(pair("p"))}`, "utf16le");
    expect(await failure(read(await file("utf16.jsonl", utf16)))).toMatchObject({
      code: "unreadable_input",
      hint: expect.stringContaining("UTF-8"),
    });
    const corrupt = gzipSync(jsonl(pair("p1"), pair("p2")));
    corrupt.fill(7, 12, 30);
    expect(await failure(read(await file("corrupt.jsonl.gz", corrupt)))).toMatchObject({
      code: "unreadable_input",
    });
  });

  it("fails on a missing file and on a directory", async () => {
    expect(await failure(read(join(dir, "nope.jsonl")))).toMatchObject({
      code: "file_not_found",
      location: { file: join(dir, "nope.jsonl") },
    });
    expect(await failure(read(dir))).toMatchObject({
      code: "unreadable_input",
      hint: expect.stringContaining("--preset"),
    });
  });

  it("fails on a CSV row with the wrong number of columns, an open quote and a repeated column", async () => {
    const path = await file("ragged.csv", "id,task,a,b,label\nr1,t,x,y,a\nr2,t,x,y,a,extra\n");
    expect(await failure(read(path))).toMatchObject({ code: "malformed_csv", location: { line: 3 } });
    const reader = readPairs(path, { onInvalid: "skip" });
    expect((await collect(reader)).map((p) => p.id)).toEqual(["r1"]);
    const open = await file("open.csv", 'id,task,a,b,label\nr1,t,"x,y,a\n');
    expect(await failure(read(open, { onInvalid: "skip" }))).toMatchObject({
      code: "malformed_csv",
      message: expect.stringContaining("missing closing"),
    });
    const twice = await file("twice.csv", "id,a,a,b,label\nr1,x,x,y,a\n");
    expect(await failure(read(twice))).toMatchObject({
      code: "malformed_csv",
      location: { line: 1, field: "a" },
    });
  });

  it("explains a pretty-printed object, which is neither an array nor JSON Lines", async () => {
    const path = await file("one.json", JSON.stringify(pair("p"), null, 2));
    expect(await failure(read(path))).toMatchObject({
      code: "malformed_json",
      location: { line: 1 },
      hint: expect.stringContaining("one record per line"),
    });
  });

  it("rejects a record that is not an object", async () => {
    expect(await failure(read(await file("array.jsonl", '["a", "b"]')))).toMatchObject({
      code: "invalid_record",
    });
  });
});

describe("onInvalid: skip", () => {
  it("skips bad records, counts them by reason and keeps the first locations", async () => {
    const lines = [
      jsonl(pair("p1")),
      "{not json",
      jsonl({ ...pair("p3"), label: "maybe" }),
      jsonl({ ...pair("p4"), a: null }),
      jsonl(pair("p5")),
      "{also not json",
      "{still not json",
      "{and again",
    ];
    const path = await file("mixed.jsonl", lines.join("\n"));
    const reader = readPairs(path, { onInvalid: "skip" });
    expect((await collect(reader)).map((p) => p.id)).toEqual(["p1", "p5"]);
    expect(reader.read).toBe(2);
    expect(reader.skipped.count).toBe(6);
    expect(reader.skipped.byReason).toEqual({ malformed_json: 4, unknown_label: 1, missing_field: 1 });
    expect(
      reader.skipped.examples.filter((e) => e.code === "malformed_json").map((e) => e.location?.line),
    ).toEqual([2, 6, 7]);
  });

  it("still fails when no record is valid", async () => {
    const path = await file("all-bad.jsonl", "{x\n{y\n");
    const error = await failure(read(path, { onInvalid: "skip" }));
    expect(error).toMatchObject({ code: "no_valid_pairs", exitCode: 2 });
    expect(error.message).toContain("malformed_json 2");
  });

  it("does not skip fatal errors", async () => {
    expect(await failure(read(await file("e.jsonl", ""), { onInvalid: "skip" }))).toMatchObject({
      code: "empty_input",
    });
  });
});

describe("a reader", () => {
  it("reads again from the start when iterated again", async () => {
    const reader = readPairs(await file("twice.jsonl", jsonl(pair("p1"), pair("p2"))));
    expect(await collect(reader)).toHaveLength(2);
    expect(await collect(reader)).toHaveLength(2);
    expect(reader.read).toBe(2);
  });

  it("refuses bad options up front", () => {
    expect(() => readPairs("x.jsonl", { onInvalid: "ignore" as "skip" })).toThrow(
      expect.objectContaining({ code: "invalid_option" }),
    );
    expect(() => readPairs("x", { preset: "nope" })).toThrow(
      /unknown preset "nope"; the presets are canonical, summ-news/,
    );
    expect(() => readPairs("x", { preset: "autoj", mapping: { a: "x" } })).toThrow(
      expect.objectContaining({ code: "invalid_option", message: expect.stringContaining("--map") }),
    );
  });
});

describe("a chunked reading (for worker threads)", () => {
  /** Converts every chunk in turn, as a threaded run does, with a strict reader standing in for a worker. */
  async function convertInChunks(path: string, options: ReadPairsOptions = {}, bytesPerChunk = 64) {
    const reader = readPairs(path, options);
    const reading = await reader.chunked(bytesPerChunk);
    if (reading === undefined) throw new Error("not chunked");
    const strict = readPairs(path, { ...options, onInvalid: "fail" });
    const pairs: Pair[] = [];
    let position = fileStart;
    for await (const chunk of reading.chunks) {
      let converted: { pairs: Pair[]; next: typeof position };
      try {
        // Elsewhere, without knowing where the chunk lies: counted from the start.
        const elsewhere = strict.pairsOfChunk(chunk, fileStart);
        reading.countConverted(elsewhere.pairs.length);
        converted = {
          pairs: elsewhere.pairs,
          next: {
            line: position.line + elsewhere.next.line - 1,
            index: position.index + elsewhere.next.index,
          },
        };
      } catch {
        // An invalid record: converted here, at its position, under the reader's own policy.
        converted = reader.pairsOfChunk(chunk, position);
      }
      pairs.push(...converted.pairs);
      position = converted.next;
      reading.release(chunk);
    }
    reading.end();
    return { pairs, reader };
  }

  it("gives the pairs, skips and count that reading in one pass gives", async () => {
    const records = Array.from({ length: 40 }, (_, i) => pair(`p${i}`));
    const lines = records.map((record) => JSON.stringify(record));
    lines[7] = '{"id":"bad","task":"t","a":"x","b":"y","label":"maybe"}';
    lines[23] = "{truncated";
    const path = await file("chunked.jsonl", `${lines.join("\r\n")}\n\n`);
    const whole = readPairs(path, { onInvalid: "skip" });
    const expected = await collect(whole);
    const { pairs, reader } = await convertInChunks(path, { onInvalid: "skip" });
    expect(pairs).toEqual(expected);
    expect(reader.read).toBe(38);
    expect(reader.skipped).toEqual(whole.skipped);
    expect(reader.skipped.examples.map((example) => example.location?.line)).toEqual([8, 24]);
  });

  it("fails at the first invalid record under onInvalid fail, and when no record makes a pair", async () => {
    const path = await file("fails.jsonl", jsonl(pair("p1"), { ...pair("p2"), label: "maybe" }));
    await expect(convertInChunks(path, {}, 1)).rejects.toMatchObject({
      code: "unknown_label",
      location: { line: 2 },
    });
    const none = await file("none.jsonl", jsonl({ id: "x" }, { id: "y" }));
    await expect(convertInChunks(none, { onInvalid: "skip" })).rejects.toMatchObject({
      code: "no_valid_pairs",
    });
  });

  it("is only offered for canonical JSON Lines", async () => {
    const lines = jsonl(pair("p1"));
    expect(await readPairs(await file("a.jsonl.gz", gzipSync(lines))).chunked(64)).toBeDefined();
    expect(await readPairs(await file("a.json", lines)).chunked(64)).toBeDefined();
    expect(
      await readPairs(await file("b.json", `[${JSON.stringify(pair("p1"))}]`)).chunked(64),
    ).toBeUndefined();
    expect(
      await readPairs(await file("c.csv", "id,task,a,b,label\np1,t,x,y,a\n")).chunked(64),
    ).toBeUndefined();
    expect(await readPairs(await file("d.jsonl", lines), { preset: "hh-rlhf" }).chunked(64)).toBeUndefined();
    await expect(readPairs(await file("e.jsonl", "  \n")).chunked(64)).rejects.toMatchObject({
      code: "empty_input",
    });
  });
});
