import { describe, expect, it } from "vitest";
import { groupKeyOf } from "./group-key.js";

describe("groupKeyOf", () => {
  it("uses the pair's group when set", () => {
    expect(groupKeyOf({ id: "1", group: "article-7", source: "s", prompt: "p" })).toBe("article-7");
  });

  it("derives one key per (source, prompt)", () => {
    const key = groupKeyOf({ id: "1", source: "The article.", prompt: "Summarise." });
    expect(key).toMatch(/^input:[0-9a-f]{14}$/);
    expect(groupKeyOf({ id: "2", source: "The article.", prompt: "Summarise." })).toBe(key);
    expect(groupKeyOf({ id: "3", source: "The article!", prompt: "Summarise." })).not.toBe(key);
  });

  it("keeps the boundary between source and prompt", () => {
    expect(groupKeyOf({ id: "1", source: "ab", prompt: "c" })).not.toBe(
      groupKeyOf({ id: "1", source: "a", prompt: "bc" }),
    );
    expect(groupKeyOf({ id: "1", source: "x" })).not.toBe(groupKeyOf({ id: "1", prompt: "x" }));
    expect(groupKeyOf({ id: "1", source: "x" })).not.toBe(groupKeyOf({ id: "1", source: "x", prompt: "" }));
  });

  it("keeps the keys of earlier versions, so old run folders resample the same groups", () => {
    // Computed by the previous implementation (a hashing object), before the key was rewritten for speed.
    expect(groupKeyOf({ id: "1", source: "The article.", prompt: "Summarise." })).toBe(
      "input:03547267f921b3",
    );
    expect(groupKeyOf({ id: "1", prompt: "naïve 😀" })).toBe("input:0c9fe3ae0bf588");
    expect(groupKeyOf({ id: "1", source: "" })).toBe("input:132039724b57a3");
  });

  it("makes a pair with neither source nor prompt its own group", () => {
    expect(groupKeyOf({ id: "p-17" })).toBe("pair:p-17");
  });
});
