import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "./testing/collect.js";
import { createAtomicWriter, readPairs, writeFileAtomic, writeJsonl } from "./index.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "profilekit-data-atomic-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let count = 0;
async function freshDir(): Promise<string> {
  const dir = join(root, String(count++));
  await mkdir(dir);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}

describe("writeFileAtomic", () => {
  it("writes a new file and replaces an old one, leaving nothing else", async () => {
    const dir = await freshDir();
    const path = join(dir, "out.json");
    await writeFileAtomic(path, "first");
    await writeFileAtomic(path, new TextEncoder().encode("second"));
    expect(await readFile(path, "utf8")).toBe("second");
    expect(await readdir(dir)).toEqual(["out.json"]);
  });

  it("writes chunks from an iterable", async () => {
    const dir = await freshDir();
    await writeFileAtomic(join(dir, "out.txt"), ["a", "b", new TextEncoder().encode("c")]);
    expect(await readFile(join(dir, "out.txt"), "utf8")).toBe("abc");
  });

  it("leaves the old file and no temporary file when the data fails halfway", async () => {
    const dir = await freshDir();
    const path = join(dir, "out.txt");
    await writeFile(path, "old");
    async function* failing() {
      yield "x".repeat(3 << 20);
      throw new Error("source broke");
    }
    expect((await failure(writeFileAtomic(path, failing()))).message).toBe("source broke");
    expect(await readFile(path, "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["out.txt"]);
  });

  it("keeps the permissions of the file it replaces", async () => {
    const dir = await freshDir();
    const path = join(dir, "script.sh");
    await writeFile(path, "old");
    await chmod(path, 0o750);
    await writeFileAtomic(path, "new");
    expect((await stat(path)).mode & 0o777).toBe(0o750);
  });

  it("fails on a missing directory without creating anything", async () => {
    const dir = await freshDir();
    expect(await failure(writeFileAtomic(join(dir, "missing", "out.txt"), "x"))).toMatchObject({
      code: "ENOENT",
    });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("createAtomicWriter", () => {
  it("leaves an existing file untouched until commit, then replaces it whole", async () => {
    const dir = await freshDir();
    const path = join(dir, "manifestations.jsonl");
    await writeFile(path, "old\n");
    const writer = createAtomicWriter(path);
    for (let i = 0; i < 1000; i++) await writer.write(`${"y".repeat(4000)}${i}\n`);
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect((await readdir(dir)).sort()).toEqual(
      [writer.tempPath.slice(dir.length + 1), "manifestations.jsonl"].sort(),
    );
    expect(writer.tempPath).toMatch(/\/\.manifestations\.jsonl\.\d+\.[0-9a-f]{12}\.tmp$/);
    await writer.commit();
    const text = await readFile(path, "utf8");
    expect(text.split("\n")).toHaveLength(1001);
    expect(text.endsWith("999\n")).toBe(true);
    expect(await readdir(dir)).toEqual(["manifestations.jsonl"]);
  });

  it("removes the temporary file on abort and refuses to write afterwards", async () => {
    const dir = await freshDir();
    const path = join(dir, "out.txt");
    await writeFile(path, "old");
    const writer = createAtomicWriter(path);
    await writer.write("partial");
    await writer.abort();
    await writer.abort();
    expect(await readdir(dir)).toEqual(["out.txt"]);
    expect(await readFile(path, "utf8")).toBe("old");
    await expect(writer.write("more")).rejects.toThrow(/already aborted/);
    await expect(writer.commit()).rejects.toThrow(/already aborted/);
  });

  it("cleans up when the rename fails, and abort after that is harmless", async () => {
    const dir = await freshDir();
    const path = join(dir, "taken");
    await mkdir(join(path, "inside"), { recursive: true });
    const writer = createAtomicWriter(path);
    await writer.write("data");
    await expect(writer.commit()).rejects.toThrow();
    await writer.abort();
    expect(await readdir(dir)).toEqual(["taken"]);
    expect(await readdir(path)).toEqual(["inside"]);
  });

  it("gives two writers of one path different temporary files; the last commit wins", async () => {
    const dir = await freshDir();
    const path = join(dir, "out.txt");
    const first = createAtomicWriter(path);
    const second = createAtomicWriter(path);
    expect(first.tempPath).not.toBe(second.tempPath);
    await first.write("one");
    await second.write("two");
    await first.commit();
    await second.commit();
    expect(await readFile(path, "utf8")).toBe("two");
    expect(await readdir(dir)).toEqual(["out.txt"]);
  });

  it("commits an empty file when nothing was written", async () => {
    const dir = await freshDir();
    const writer = createAtomicWriter(join(dir, "empty.jsonl"));
    await writer.commit();
    expect(await readFile(join(dir, "empty.jsonl"), "utf8")).toBe("");
  });
});

describe("writeJsonl", () => {
  it("writes records as JSON Lines that read back as the same pairs", async () => {
    const dir = await freshDir();
    const pairs = Array.from({ length: 3000 }, (_, i) => ({
      id: `p${i}`,
      task: "summarization",
      a: `ä ${"a".repeat(i % 50)}`,
      b: "b\nwith a newline",
      label: (["a", "b", "tie"] as const)[i % 3],
    }));
    const path = join(dir, "pairs.jsonl");
    expect(await writeJsonl(path, pairs)).toBe(3000);
    expect(await collect(readPairs(path))).toEqual(pairs);
    expect(await readdir(dir)).toEqual(["pairs.jsonl"]);
  });

  it("converts a dataset read through a preset and leaves nothing when reading fails", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "bad.jsonl"), '{"id":"1","task":"t","a":"x","b":"y","label":"a"}\n{broken\n');
    const error = await failure(writeJsonl(join(dir, "out.jsonl"), readPairs(join(dir, "bad.jsonl"))));
    expect(error).toMatchObject({ code: "malformed_json" });
    expect(await readdir(dir)).toEqual(["bad.jsonl"]);
  });
});
