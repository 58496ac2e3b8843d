import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCount, formatWithInterval, formatPercent, formatScore, formatUsd } from "./number-format.js";

describe("number formats", () => {
  it("groups thousands as en-US does, without depending on the locale", () => {
    const reference = new Intl.NumberFormat("en-US", { useGrouping: true, maximumFractionDigits: 20 });
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(formatCount(n)).toBe(reference.format(n).replace("−", "-"));
      }),
    );
  });

  it("never prints a negative zero, and marks a missing value", () => {
    expect(formatScore(-0.0001)).toBe("0.000");
    expect(formatScore(-0)).toBe("0.000");
    expect(formatScore(-0.0006)).toBe("-0.001");
    expect(formatScore(null)).toBe("—");
    expect(formatScore(Number.NaN)).toBe("—");
  });

  it("writes an estimate with its interval, and shares and dollars", () => {
    expect(formatWithInterval(0.13176, [0.0163, 0.2453])).toBe("0.132 [0.016, 0.245]");
    expect(formatWithInterval(0.5, null)).toBe("0.500");
    expect(formatPercent(0.42105)).toBe("42.1%");
    expect(formatUsd(0.0042276)).toBe("$0.0042");
    expect(formatUsd(12.345)).toBe("$12.35");
  });
});
