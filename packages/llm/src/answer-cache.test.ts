import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AnswerCheck, AnswerCache } from "./answer-cache.js";
import { ResponseCache } from "./cache.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pk-answers-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const response = (text: string) => ({
  text,
  usage: { inputTokens: 1, outputTokens: 1 },
  finishReason: "stop",
});
/** Good when the text is a number above 2. */
const check: AnswerCheck<number> = (answer) =>
  Number(answer.text) > 2 ? { ok: true, value: Number(answer.text) } : { ok: false };
const labels = { model: "m", promptVersion: "p", checked: "structured" as const };

describe("AnswerCache (the cache layer)", () => {
  it("gives a stored answer back only when it passes the reader's check", () => {
    const answers = new AnswerCache(new ResponseCache(join(dir, "c.db")));
    answers.write("bad", response("1"), labels);
    answers.write("good", response("5"), labels);
    expect(answers.read("bad", check, "structured")).toBeUndefined();
    expect(answers.read("good", check, "structured")).toEqual({ response: response("5"), value: 5 });
    // A reader with a stricter check does not use it, and does not drop it (it was good for its call).
    const stricter: AnswerCheck<number> = (answer) =>
      Number(answer.text) > 9 ? { ok: true, value: 0 } : { ok: false };
    expect(answers.read("good", stricter, "structured")).toBeUndefined();
    expect(answers.read("good", check, "structured")).toBeDefined();
    answers.close();
  });

  it("marks an old unchecked entry that passes and drops one that fails; a dry run changes nothing", () => {
    const path = join(dir, "c.db");
    const cache = new ResponseCache(path);
    cache.put("old-good", response("7"), labels);
    cache.put("old-bad", response("0"), labels);
    cache.close();
    const raw = new DatabaseSync(path);
    raw.exec("UPDATE responses SET checked = NULL");
    raw.close();
    const answers = new AnswerCache(new ResponseCache(path));
    expect(answers.read("old-bad", check, "structured", false)).toBeUndefined();
    expect(answers.read("old-good", check, "structured", false)).toBeDefined();
    const untouched = new ResponseCache(path);
    expect(untouched.stats()).toMatchObject({ entries: 2, unchecked: 2 });
    expect(answers.read("old-bad", check, "structured")).toBeUndefined();
    expect(answers.read("old-good", check, "structured")?.value).toBe(7);
    expect(untouched.stats()).toMatchObject({ entries: 1, unchecked: 0 });
    expect(untouched.get("old-good")?.checked).toBe("structured");
    untouched.close();
    answers.close();
  });

  it("without a cache, reads miss and writes store nothing", () => {
    const answers = new AnswerCache(undefined);
    answers.verify();
    answers.write("k", response("5"), labels);
    expect(answers.read("k", check, "structured")).toBeUndefined();
  });
});
