import { ProfilekitError } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { NULL_SIGN, ProfileAccumulator } from "./accumulator.js";

describe("ProfileAccumulator", () => {
  it("stores labels, group indices and signs, growing past its first capacity", () => {
    const accumulator = new ProfileAccumulator(["x", "y"]);
    const n = 5000;
    for (let i = 0; i < n; i++) {
      accumulator.add(i % 3 === 0 ? "a" : i % 3 === 1 ? "b" : "tie", `group-${i % 7}`, [
        i % 2 === 0 ? 1 : -1,
        i % 5 === 0 ? null : 0,
      ]);
    }
    expect(accumulator.size).toBe(n);
    expect(accumulator.groupCount).toBe(7);
    const preferences = accumulator.preferences();
    const groups = accumulator.groupIndices();
    const x = accumulator.signs(0);
    const y = accumulator.signs(1);
    expect(preferences.length).toBe(n);
    for (const i of [0, 1, 2, 1023, 1024, 4097, n - 1]) {
      expect(preferences[i]).toBe(i % 3 === 0 ? 1 : i % 3 === 1 ? -1 : 0);
      expect(groups[i]).toBe(i % 7); // indices in order of first appearance
      expect(x[i]).toBe(i % 2 === 0 ? 1 : -1);
      expect(y[i]).toBe(i % 5 === 0 ? NULL_SIGN : 0);
    }
  });

  it("refuses a bad label, a wrong number of signs, a bad sign and a repeated factor", () => {
    const accumulator = new ProfileAccumulator(["x"]);
    const code = (fn: () => void) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ProfilekitError);
        return (error as ProfilekitError).code;
      }
      return "no error";
    };
    expect(code(() => accumulator.add("A" as never, "g", [1]))).toBe("invalid_label");
    expect(code(() => accumulator.add("a", "g", [1, 0]))).toBe("invalid_signs");
    expect(code(() => accumulator.add("a", "g", [2 as never]))).toBe("invalid_sign");
    expect(code(() => accumulator.add("a", "g", [0.5 as never]))).toBe("invalid_sign");
    expect(code(() => new ProfileAccumulator(["x", "y", "x"]))).toBe("duplicate_factor");
    expect(accumulator.size).toBe(0);
  });
});
