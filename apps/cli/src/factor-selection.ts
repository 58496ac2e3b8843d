import type { PluginRegistry } from "@profilekit/core";
import { type FactorPlugin, ProfilekitError } from "@profilekit/spec";

/** A factor chosen for a run, with its options already validated. */
export interface SelectedFactor {
  readonly plugin: FactorPlugin;
  readonly options: Record<string, unknown>;
}

/** Splits `--factors length,novelty` into ids, refusing empties and repeats. */
export function parseFactorList(text: string): string[] {
  const ids = text
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id.length > 0);
  if (ids.length === 0) {
    throw new ProfilekitError("no_factors", `--factors "${text}" names no factor`, {
      hint: "give a comma-separated list, e.g. --factors length,novelty; `profilekit factors` lists them",
    });
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new ProfilekitError("duplicate_factor", `--factors names "${id}" twice`);
    seen.add(id);
  }
  return ids;
}

/** Reads a value of `--option factor.key=value`: JSON numbers, booleans and null, otherwise a string. */
function parseOptionValue(raw: string): unknown {
  if (raw === "true" || raw === "false" || raw === "null" || /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) {
    return JSON.parse(raw);
  }
  return raw;
}

/** Parses repeated `--option factor.key=value` flags into options per factor id. */
export function parseFactorOptions(flags: readonly string[]): Map<string, Record<string, unknown>> {
  const byFactor = new Map<string, Record<string, unknown>>();
  for (const flag of flags) {
    const match = /^([a-z][a-z0-9-]*)\.([A-Za-z][\w]*)=(.*)$/s.exec(flag);
    if (!match) {
      throw new ProfilekitError(
        "invalid_factor_option",
        `--option "${flag}" is not of the form factor.key=value`,
        {
          hint: "for example --option length.unit=chars",
        },
      );
    }
    const [, factor, key, value] = match as unknown as [string, string, string, string];
    const options = byFactor.get(factor) ?? {};
    options[key] = parseOptionValue(value);
    byFactor.set(factor, options);
  }
  return byFactor;
}

/** Resolves ids against the registry and validates each factor's options with its own schema. */
export function selectFactors(
  registry: PluginRegistry,
  ids: readonly string[],
  optionFlags: readonly string[],
): SelectedFactor[] {
  const optionsByFactor = parseFactorOptions(optionFlags);
  for (const factor of optionsByFactor.keys()) {
    if (!ids.includes(factor)) {
      throw new ProfilekitError(
        "invalid_factor_option",
        `--option sets "${factor}", which is not among the selected factors (${ids.join(", ")})`,
        { hint: `add it to --factors, or drop the option` },
      );
    }
  }
  return registry.resolveFactors(ids).map((plugin) => {
    const raw = optionsByFactor.get(plugin.id) ?? {};
    if (!plugin.options) {
      if (Object.keys(raw).length > 0) {
        throw new ProfilekitError("invalid_factor_option", `factor "${plugin.id}" takes no options`);
      }
      return { plugin, options: {} };
    }
    const parsed = plugin.options.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .map((issue) => `${[plugin.id, ...issue.path].join(".")}: ${issue.message}`)
        .join("; ");
      throw new ProfilekitError(
        "invalid_factor_option",
        `invalid options for factor "${plugin.id}": ${issues}`,
        {
          location: { factor: plugin.id },
          hint: "see `profilekit factors` for each factor's options",
        },
      );
    }
    return { plugin, options: parsed.data as Record<string, unknown> };
  });
}
