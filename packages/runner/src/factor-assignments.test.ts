import { ProfilekitError } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { parseFactorIds, parseFactorOptionAssignments } from "./factor-assignments.js";

describe("parseFactorIds", () => {
  it("splits, trims and drops empty entries", () => {
    expect(parseFactorIds(" length, novelty,,fluency ")).toEqual(["length", "novelty", "fluency"]);
  });

  it("refuses a list that names no factor", () => {
    expect(() => parseFactorIds(" , ")).toThrow(expect.objectContaining({ code: "no_factors" }));
  });
});

describe("parseFactorOptionAssignments", () => {
  it("reads JSON scalars as values and anything else as a string", () => {
    expect(
      parseFactorOptionAssignments([
        "length.unit=chars",
        "novelty.n=3",
        "novelty.weight=-1.5e2",
        "fluency.strict=true",
        "fluency.cap=null",
        "length.label=a=b",
        "length.code=007x",
      ]),
    ).toEqual({
      length: { unit: "chars", label: "a=b", code: "007x" },
      novelty: { n: 3, weight: -150 },
      fluency: { strict: true, cap: null },
    });
  });

  it("lets a later assignment of a key win", () => {
    expect(parseFactorOptionAssignments(["length.unit=chars", "length.unit=words"])).toEqual({
      length: { unit: "words" },
    });
  });

  it.each(["length", "length.unit", "Length.unit=chars", ".unit=chars", "length.=chars"])(
    "refuses %j with a stable code",
    (assignment) => {
      let thrown: unknown;
      try {
        parseFactorOptionAssignments([assignment]);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ProfilekitError);
      expect((thrown as ProfilekitError).code).toBe("invalid_factor_option");
      expect((thrown as ProfilekitError).message).toContain(assignment);
    },
  );
});
