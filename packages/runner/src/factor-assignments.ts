import { ProfilekitError } from "@profilekit/spec";

/**
 * Splits a comma-separated factor list (`"length, novelty"`, as a command line or an environment
 * variable gives it) into ids; a list naming no factor is refused. Repeats are refused later, by
 * the factor selection, with the other checks of the factors.
 */
export function parseFactorIds(text: string): string[] {
  const ids = text
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) {
    throw new ProfilekitError("no_factors", `the factor list "${text}" names no factor`, {
      hint: "give a comma-separated list, e.g. length,novelty; `profilekit factors` lists them",
    });
  }
  return ids;
}

/** A value of `factor.key=value`: JSON numbers, booleans and null; anything else is a string. */
function assignedValue(raw: string): unknown {
  const isJsonScalar =
    raw === "true" || raw === "false" || raw === "null" || /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw);
  return isJsonScalar ? JSON.parse(raw) : raw;
}

/**
 * Factor options from `factor.key=value` assignments (`length.unit=chars`, `novelty.n=3`), as the
 * `factorOptions` of a request: options per factor id, later assignments of a key winning.
 */
export function parseFactorOptionAssignments(
  assignments: readonly string[],
): Record<string, Record<string, unknown>> {
  const byFactor: Record<string, Record<string, unknown>> = {};
  for (const assignment of assignments) {
    const match = /^([a-z][a-z0-9-]*)\.([A-Za-z]\w*)=(.*)$/s.exec(assignment);
    if (!match) {
      throw new ProfilekitError(
        "invalid_factor_option",
        `the factor option "${assignment}" is not of the form factor.key=value`,
        { hint: "for example length.unit=chars" },
      );
    }
    const [, factor, key, value] = match as unknown as [string, string, string, string];
    byFactor[factor] = { ...byFactor[factor], [key]: assignedValue(value) };
  }
  return byFactor;
}
