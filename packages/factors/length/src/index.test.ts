import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FactorMetadataSchema, type Pair, labelToPreference } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import lengthFactor, { type LengthOptions, LengthOptionsSchema } from "./index.js";

const pair = (id: string, a: string, b: string): Pair => ({ id, task: "t", a, b, label: "a" });
const context = (unit?: LengthOptions["unit"]) => ({
  options: LengthOptionsSchema.parse(unit ? { unit } : {}),
  seed: 0,
});

describe("length factor", () => {
  it("is a valid rule/response plugin", () => {
    expect(FactorMetadataSchema.parse(lengthFactor)).toMatchObject({
      id: "length",
      method: "rule",
      level: "response",
    });
  });

  it("counts words by default and gives sign(a - b)", async () => {
    const out = await lengthFactor.extract(
      [
        // 4 words vs 2 words
        pair("longer", "One two  three\nfour", "one two"),
        // 1 vs 3 ("a", "b", "c" separated by U+3000 and U+00A0)
        pair("shorter", "word", "a\u3000b\u00a0c"),
        // 2 vs 2, despite different characters
        pair("same", "a b", "longer words"),
        // empty response: 0 words, still measured
        pair("empty", "", "x"),
      ],
      context(),
    );
    expect(out.map((m) => [m.valueA, m.valueB, m.sign])).toEqual([
      [4, 2, 1],
      [1, 3, -1],
      [2, 2, 0],
      [0, 1, -1],
    ]);
  });

  it("counts code points with unit chars", async () => {
    // "héllo 👋" = 7 code points (8 UTF-16 units); "abcdefg" = 7: a tie.
    const [m] = await lengthFactor.extract([pair("1", "héllo 👋", "abcdefg")], context("chars"));
    expect(m).toMatchObject({ valueA: 7, valueB: 7, sign: 0 });
  });

  it("counts o200k_base tokens with unit tokens", async () => {
    // tiktoken: get_encoding("o200k_base").encode("Hello, world!") == [13225, 11, 2375, 0]
    const [m] = await lengthFactor.extract(
      [pair("1", "Hello, world!", "Hello <|endoftext|>")],
      context("tokens"),
    );
    expect(m?.valueA).toBe(4);
    // special-token text is counted as plain text, never refused
    expect(m?.sign).not.toBeNull();
  });

  it("defaults to words and rejects an unknown unit with a clear message", () => {
    expect(LengthOptionsSchema.parse({})).toEqual({ unit: "words" });
    const result = LengthOptionsSchema.safeParse({ unit: "lines" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('unit must be "words", "chars" or "tokens", not "lines"');
    expect(result.error?.issues[0]?.path).toEqual(["unit"]);
    expect(LengthOptionsSchema.safeParse({ units: "chars" }).success).toBe(false);
  });
});

// Reference counts from shared/reference/length_profiles.json (computed independently of this
// code) for the Auto-J pairwise test set, mapped as its SOURCE.md says. shared/ sits beside the repo.
const AUTOJ = fileURLToPath(
  new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
);

describe.skipIf(!existsSync(AUTOJ))("length on Auto-J (real data)", () => {
  const labels = ["a", "b", "tie"] as const;
  const pairs: Pair[] = readFileSync(AUTOJ, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      const row = JSON.parse(line);
      return {
        id: String(index),
        task: "instruction-following",
        prompt: row.prompt,
        a: row["response 1"],
        b: row["response 2"],
        label: labels[row.label as 0 | 1 | 2],
      };
    });

  async function counts(unit: LengthOptions["unit"]) {
    const out = await lengthFactor.extract(pairs, context(unit));
    const tally = { concordant: 0, discordant: 0, factorTies: 0, preferenceTies: 0 };
    out.forEach((m, i) => {
      const p = labelToPreference(pairs[i]!.label);
      if (p === 0) tally.preferenceTies++;
      else if (m.sign === 0) tally.factorTies++;
      else if (p * m.sign! === 1) tally.concordant++;
      else tally.discordant++;
    });
    return tally;
  }

  it("reproduces the reference counts in words", async () => {
    expect(pairs).toHaveLength(1392);
    expect(await counts("words")).toEqual({
      concordant: 718,
      discordant: 287,
      factorTies: 14,
      preferenceTies: 373,
    });
  });

  it("reproduces the reference counts in code points", async () => {
    expect(await counts("chars")).toEqual({
      concordant: 727,
      discordant: 286,
      factorTies: 6,
      preferenceTies: 373,
    });
  });
});
