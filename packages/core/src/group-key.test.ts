import { describe, expect, it } from "vitest";
import { clusterKeyOf, groupKeyOf } from "./group-key.js";

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

describe("clusterKeyOf", () => {
  const pair = {
    id: "p1",
    group: "article-7",
    source: "The article.",
    prompt: "Summarise.",
    meta: { scenario: "code", round: 2, hard: true, nested: { x: 1 } },
  };

  it("auto is groupKeyOf; source+prompt is groupKeyOf without the group", () => {
    expect(clusterKeyOf(pair, "auto")).toBe("article-7");
    const { group: _group, ...ungrouped } = pair;
    expect(clusterKeyOf(pair, "source+prompt")).toBe(groupKeyOf(ungrouped));
    expect(clusterKeyOf({ id: "q" }, "source+prompt")).toBe("pair:q");
  });

  it("keys by one field at a time, so pairs that share it share a cluster", () => {
    const other = { id: "p2", source: "The article.", prompt: "Another question." };
    expect(clusterKeyOf(other, "source")).toBe(clusterKeyOf(pair, "source"));
    expect(clusterKeyOf(other, "prompt")).not.toBe(clusterKeyOf(pair, "prompt"));
    expect(clusterKeyOf(other, "source+prompt")).not.toBe(clusterKeyOf(pair, "source+prompt"));
    expect(clusterKeyOf(pair, "source")).toMatch(/^source:[0-9a-f]{14}$/);
    expect(clusterKeyOf({ id: "x", prompt: "The article." }, "prompt")).toMatch(/^prompt:/);
    // The same text as source and as prompt is a different cluster at each level.
    expect(clusterKeyOf({ id: "x", source: "t" }, "source").slice(7)).not.toBe(
      clusterKeyOf({ id: "x", prompt: "t" }, "prompt").slice(7),
    );
  });

  it("reads group, the pair itself and meta values", () => {
    expect(clusterKeyOf(pair, "group")).toBe("article-7");
    expect(clusterKeyOf(pair, "pair")).toBe("pair:p1");
    expect(clusterKeyOf(pair, "meta.scenario")).toBe("meta.scenario:code");
    expect(clusterKeyOf(pair, "meta.round")).toBe("meta.round:2");
    expect(clusterKeyOf(pair, "meta.hard")).toBe("meta.hard:true");
  });

  it("fails with missing_cluster_field when the pair lacks what its level needs", () => {
    const bare = { id: "b1", source: "s" };
    for (const level of ["prompt", "group", "meta.scenario"] as const) {
      expect(() => clusterKeyOf(bare, level)).toThrow(
        expect.objectContaining({
          code: "missing_cluster_field",
          location: expect.objectContaining({ pairId: "b1" }),
        }),
      );
    }
    expect(() => clusterKeyOf(pair, "meta.nested")).toThrow(/meta.nested \(a non-empty string/);
    expect(() => clusterKeyOf(bare, "meta" as never)).toThrow(
      expect.objectContaining({ code: "invalid_cluster_level" }),
    );
  });
});
