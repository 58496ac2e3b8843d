import { describe, expect, it } from "vitest";
import { labelKey } from "./coerce.js";
import { valueAt } from "./column-mapping.js";
import { parseColumnMapping, parseLabelMapping } from "./index.js";
import { labelResolver } from "./label-mapping.js";
import { checkedPair } from "./presets/dataset-records.js";

describe("parseColumnMapping", () => {
  it("maps pair fields to columns, keeping spaces and dots inside column names", () => {
    expect(parseColumnMapping("prompt=instruction, a=response 1 ,b=responses.1,label=winner")).toEqual({
      prompt: "instruction",
      a: "response 1",
      b: "responses.1",
      label: "winner",
    });
    expect(parseColumnMapping("id=uid,task=kind,source=doc,group=topic")).toEqual({
      id: "uid",
      task: "kind",
      source: "doc",
      group: "topic",
    });
  });

  it("rejects unknown fields, missing columns and a field mapped twice", () => {
    expect(() => parseColumnMapping("answer=x")).toThrow(
      /"answer" is not a pair field; expected one of id, task/,
    );
    expect(() => parseColumnMapping("a=")).toThrow(/"a" needs a column/);
    expect(() => parseColumnMapping("a")).toThrow(/"a" needs a column/);
    expect(() => parseColumnMapping("a=x,a=y")).toThrow(expect.objectContaining({ code: "invalid_mapping" }));
  });
});

describe("parseLabelMapping", () => {
  it("takes several raw values per label", () => {
    expect(parseLabelMapping("a=1,b=2,tie=0|draw")).toEqual({ a: ["1"], b: ["2"], tie: ["0", "draw"] });
    expect(parseLabelMapping("a = A wins | A,b=B wins")).toEqual({ a: ["A wins", "A"], b: ["B wins"] });
  });

  it("rejects other labels, empty values, repeats and a raw value that means two labels", () => {
    expect(() => parseLabelMapping("first=1")).toThrow(/"first" is not a label; expected a, b or tie/);
    expect(() => parseLabelMapping("a=1|")).toThrow(/needs raw values/);
    expect(() => parseLabelMapping("a=1,a=2")).toThrow(/given twice/);
    expect(() => parseLabelMapping("a=1,b=1.0")).toThrow(/"1.0" stands for both a and b/);
    expect(() => parseLabelMapping("a=True,b=true")).toThrow(
      expect.objectContaining({ code: "invalid_mapping" }),
    );
  });
});

describe("labelKey", () => {
  it("makes booleans and their spellings, and numbers and their spellings, equal", () => {
    expect(labelKey(true)).toBe(labelKey(" TRUE "));
    expect(labelKey(false)).toBe(labelKey("False"));
    expect(labelKey(1)).toBe(labelKey("1.0"));
    expect(labelKey(0)).toBe(labelKey("-0"));
    expect(labelKey(2)).not.toBe(labelKey("two"));
    expect(labelKey("Equally Good")).toBe(labelKey("equally good"));
    expect([labelKey(null), labelKey([1]), labelKey({}), labelKey(Number.NaN)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("resolves through a mapping and describes what it accepts", () => {
    const labels = labelResolver({ a: ["True"], b: ["False"], tie: ["Equally Good"] });
    expect([true, "true", false, "EQUALLY GOOD", "maybe", 1].map(labels.resolve)).toEqual([
      "a",
      "a",
      "b",
      "tie",
      undefined,
      undefined,
    ]);
    expect(labels.expected).toBe('"True" (a), "False" (b), "Equally Good" (tie)');
  });
});

describe("valueAt", () => {
  it("walks objects and arrays and never reads inherited properties", () => {
    const record = { a: { b: [{ c: 1 }] }, "x.y": 2 };
    expect(valueAt(record, "a.b.0.c")).toBe(1);
    expect(valueAt(record, "x.y")).toBe(2);
    expect(valueAt(record, "a.b.1.c")).toBeUndefined();
    expect(valueAt(record, "a.toString")).toBeUndefined();
    expect(valueAt(record, "constructor")).toBeUndefined();
  });
});

describe("checkedPair", () => {
  it("lets a valid pair through and turns a schema violation into an invalid_field error", () => {
    const at = { file: "f.jsonl", line: 3, index: 2 };
    const pair = { id: "p", task: "t", a: "x", b: "y", label: "a" } as const;
    expect(checkedPair(pair, at)).toEqual(pair);
    expect(() => checkedPair({ ...pair, label: "first" as "a" }, at)).toThrow(
      expect.objectContaining({
        code: "invalid_field",
        location: { file: "f.jsonl", line: 3, field: "label" },
        message: expect.stringMatching(/^f\.jsonl:3, field "label": .+, found "first"$/),
      }),
    );
  });
});
