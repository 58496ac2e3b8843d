import { describe, expect, it } from "vitest";
import { markdownTable, plainTable } from "./tables.js";

const sp = (n: number) => " ".repeat(n);

describe("plainTable", () => {
  it("pads each column to its widest cell, two spaces apart: the first left, the others right", () => {
    const lines = plainTable({
      head: ["factor", "tau"],
      rows: [
        ["length", "0.5000"],
        ["novelty", "-0.1250"],
      ],
    });
    // Widths: 7 ("novelty") and 7 ("-0.1250").
    expect(lines).toEqual([
      `factor${sp(1 + 2 + 4)}tau`,
      `length${sp(1 + 2 + 1)}0.5000`,
      `novelty${sp(2)}-0.1250`,
    ]);
  });

  it("trims trailing spaces, and takes the alignment of each column when given", () => {
    expect(
      plainTable({
        head: ["factor", ""],
        rows: [
          ["a", "*"],
          ["bb", ""],
        ],
      }),
    ).toEqual(["factor", `a${sp(5 + 2)}*`, "bb"]);
    expect(plainTable({ head: ["n", "name"], rows: [["10", "x"]], right: [true, false] })).toEqual([
      ` n${sp(2)}name`,
      `10${sp(2)}x`,
    ]);
  });
});

describe("markdownTable", () => {
  it("writes the header, the alignment rule (---: for a number column) and one line per row", () => {
    expect(
      markdownTable({
        head: ["source", "factor", "C"],
        rows: [["human", "length", "4"]],
        right: [false, false, true],
      }),
    ).toBe("| source | factor | C |\n| --- | --- | ---: |\n| human | length | 4 |");
    expect(markdownTable({ head: ["factor", "human"], rows: [] })).toBe("| factor | human |\n| --- | ---: |");
  });
});
