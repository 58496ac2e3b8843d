import { describe, expect, it } from "vitest";
import { coverage, fluency, hallucination, helpfulness } from "../__fixtures__/model-factors.js";
import {
  jointAnswerSchema,
  jointReading,
  ResponsePercentageAnswerSchema,
  responseValue,
  SharedPercentageAnswerSchema,
} from "./answer-schemas.js";

describe("responseValue", () => {
  it("takes a count from the listed items, and flags a stated count that differs", () => {
    expect(responseValue("count", { items: ["x", "y"], count: 3 })).toEqual({ value: 2, inconsistent: true });
    expect(responseValue("count", { items: [], count: 0 })).toEqual({ value: 0, inconsistent: false });
  });

  it("computes a percentage from the items; a stated one more than a point off is flagged", () => {
    const items = [
      { item: "x", counted: true },
      { item: "y", counted: false },
      { item: "z", counted: false },
    ];
    expect(responseValue("percentage", { items, percentage: 33 })).toEqual({
      value: 100 / 3,
      inconsistent: false,
    });
    expect(responseValue("percentage", { items, percentage: 50 }).inconsistent).toBe(true);
    expect(responseValue("rating", { reasons: "", rating: 4 })).toEqual({ value: 4, inconsistent: false });
  });
});

describe("joint answers", () => {
  it("has one field per factor, each in its factor's answer form", () => {
    const schema = jointAnswerSchema([coverage, fluency, hallucination, helpfulness]);
    const answer = {
      "source-coverage": {
        items: ["k1", "k2", "k3", "k4"],
        a: [true, true, true, false],
        b: [true, false, false, false],
      },
      fluency: { a: { reasons: "", rating: 5 }, b: { reasons: "", rating: 2 } },
      hallucination: { a: { items: [], count: 0 }, b: { items: ["x"], count: 2 } },
      helpfulness: { reasons: "", answer: "same" },
    };
    const parsed = schema.parse(answer);
    expect(jointReading(coverage, parsed["source-coverage"])).toEqual({
      kind: "values",
      a: 75,
      b: 25,
      inconsistent: 0,
    });
    expect(jointReading(fluency, parsed.fluency)).toEqual({ kind: "values", a: 5, b: 2, inconsistent: 0 });
    expect(jointReading(hallucination, parsed.hallucination)).toEqual({
      kind: "values",
      a: 0,
      b: 1,
      inconsistent: 1,
    });
    expect(jointReading(helpfulness, parsed.helpfulness)).toEqual({ kind: "comparison", answer: "same" });
    expect(schema.safeParse({ ...answer, helpfulness: undefined }).success).toBe(false);
  });

  it("requires one mark per shared item, and at least one item", () => {
    const result = SharedPercentageAnswerSchema.safeParse({
      items: ["k1", "k2"],
      a: [true],
      b: [true, false],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({
        path: ["a"],
        message: "a has 1 marks for 2 items: give exactly one per item",
      }),
    ]);
    expect(SharedPercentageAnswerSchema.safeParse({ items: [], a: [], b: [] }).success).toBe(false);
    expect(ResponsePercentageAnswerSchema.safeParse({ items: [], percentage: 0 }).success).toBe(false);
  });
});
