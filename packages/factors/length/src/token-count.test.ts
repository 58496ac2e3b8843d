import { registerHooks } from "node:module";
import type { Pair } from "@profilekit/spec";
import { afterAll, describe, expect, it } from "vitest";

// Record every module Node loads from here on. The package code is imported
// dynamically, after the hook, so a static import of gpt-tokenizer would show.
const loaded: string[] = [];
const hooks = registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
afterAll(() => hooks.deregister());
const tokenizerModules = () => loaded.filter((url) => url.includes("gpt-tokenizer"));

describe("countTokens", () => {
  it("is not loaded by the words and chars units", async () => {
    const { default: lengthFactor } = await import("./index.js");
    const pairs: Pair[] = [{ id: "1", task: "t", a: "one two", b: "three", label: "a" }];
    expect(await lengthFactor.extract(pairs, { options: { unit: "words" }, seed: 0 })).toHaveLength(1);
    expect(await lengthFactor.extract(pairs, { options: { unit: "chars" }, seed: 0 })).toHaveLength(1);
    expect(loaded.some((url) => url.includes("/zod/"))).toBe(true); // the hook does see the imports
    expect(tokenizerModules()).toEqual([]);
  });

  it("loads o200k_base on first use and counts its tokens", async () => {
    const { countTokens } = await import("./token-count.js");
    // tiktoken: get_encoding("o200k_base").encode("Hello, world!") == [13225, 11, 2375, 0]
    expect(countTokens("Hello, world!")).toBe(4);
    expect(countTokens("")).toBe(0);
    expect(tokenizerModules().some((url) => url.includes("o200k_base"))).toBe(true);
  });
});
