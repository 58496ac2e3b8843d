import { FactorMetadataSchema, type Pair } from "@profilekit/spec";
import fc from "fast-check";
import { createBuiltinRegistry } from "@profilekit/runner";
import { describe, expect, it } from "vitest";
import politenessFactor, { PolitenessOptionsSchema } from "./index.js";
import { countMarkers, words } from "./markers.js";

const pair = (id: string, a: string, b: string): Pair => ({
  id,
  task: "instruction-following",
  a,
  b,
  label: "a",
});
const context = (options: unknown = {}) => ({ options: PolitenessOptionsSchema.parse(options), seed: 0 });

describe("politeness factor", () => {
  it("is a valid rule/response plugin that the runner's registry accepts beside the built-ins", () => {
    expect(FactorMetadataSchema.parse(politenessFactor)).toMatchObject({
      id: "politeness",
      method: "rule",
      level: "response",
    });
    expect(createBuiltinRegistry().registerFactor(politenessFactor).factor("politeness")).toBe(
      politenessFactor,
    );
  });

  it("counts markers per 100 words and gives sign(a - b)", async () => {
    const [polite, swapped, tie] = await politenessFactor.extract(
      [
        // a: "Could you please send it? Thank you!" = could you please send it thank you: 7 words;
        //    markers at "could you", "please", "thank": 3 -> 300/7 = 42.857143.
        // b: "Send it now." = 3 words, no marker -> 0.
        pair("polite", "Could you please send it? Thank you!", "Send it now."),
        pair("swapped", "Send it now.", "Could you please send it? Thank you!"),
        // a: "Sorry, I can't." 3 words, 1 marker -> 33.33; b: "Thanks, no way" 3 words, 1 -> 33.33.
        pair("tie", "Sorry, I can't.", "Thanks, no way"),
      ],
      context(),
    );
    expect(polite!.valueA).toBeCloseTo(300 / 7, 10);
    expect(polite!.valueB).toBe(0);
    expect(polite!.sign).toBe(1);
    expect(swapped!.sign).toBe(-1);
    expect(tie).toMatchObject({ sign: 0 });
    expect(tie!.valueA).toBeCloseTo(100 / 3, 10);
  });

  it("counts one marker per position, and a phrase only as a whole", () => {
    // "would you mind" starts with "would you" once; "you would" is not "would you".
    expect(countMarkers(words("Would you mind? You would."), [["would", "you"], ["would"]])).toBe(2);
    expect(countMarkers(words("you would"), [["would", "you"]])).toBe(0);
    expect(countMarkers(words("excuse me, excuse"), [["excuse", "me"]])).toBe(1);
  });

  it("is null when a response has no words", async () => {
    const [m] = await politenessFactor.extract([pair("empty", "Please.", " ... ")], context());
    expect(m).toMatchObject({ sign: null, valueA: 100 });
    expect(m!.error).toContain("response b");
  });

  it("takes its own markers, and refuses an empty one", async () => {
    const [m] = await politenessFactor.extract(
      [pair("own", "Cheers mate", "Thanks mate")],
      context({ markers: ["cheers"] }),
    );
    expect([m!.valueA, m!.valueB, m!.sign]).toEqual([50, 0, 1]);
    expect(PolitenessOptionsSchema.safeParse({ markers: ["  "] }).error?.issues[0]?.message).toBe(
      "a marker needs at least one word",
    );
    expect(PolitenessOptionsSchema.safeParse({ marker: ["x"] }).success).toBe(false);
  });

  it("never exceeds 100 per 100 words, and adding a marker word never lowers the count", () => {
    const word = fc.constantFrom("please", "thank", "you", "would", "sorry", "the", "send", "excuse", "me");
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), (tokens) => {
        const markers = PolitenessOptionsSchema.parse({}).markers.map(words);
        const count = countMarkers(tokens, markers);
        expect(count).toBeLessThanOrEqual(tokens.length);
        expect(countMarkers([...tokens, "please"], markers)).toBe(count + 1);
      }),
    );
  });
});
