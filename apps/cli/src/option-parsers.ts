import { InvalidArgumentError } from "commander";

/** A commander parser for a whole number within [min, max], with a message that says what was wrong. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new InvalidArgumentError(`expected a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}, got ${value}`);
    }
    return value;
  };
}

/** Collects a repeatable option into an array. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
