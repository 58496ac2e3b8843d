import { PluginRegistry } from "@profilekit/core";
import { type FactorPlugin, ProfilekitError, type TaskAdapter } from "@profilekit/spec";
import { formatFieldPath } from "./field-path.js";
import type { FactorRef } from "./stage-request.js";

/** A factor chosen for a run, with its options already validated. */
export interface SelectedFactor {
  readonly plugin: FactorPlugin;
  readonly options: Record<string, unknown>;
}

/** Whether a factor is measured by a model through the run's extractor: its own declaration says so. */
export function needsModel(plugin: FactorPlugin): boolean {
  return plugin.method === "llm";
}

/** The registered factors that need no model, in registration order: what runs when no factor is named. */
export function modelFreeFactorIds(registry: PluginRegistry): string[] {
  return registry
    .factors()
    .filter((plugin) => !needsModel(plugin))
    .map((plugin) => plugin.id);
}

/**
 * The factors of a model setting when none are named: the task's factors that need no model (all
 * of them with an extractor) and the task's classical measures. The judged or generating model is
 * never the extractor unasked: extraction costs calls of its own, and profiles are comparable only
 * when one extractor measures them all.
 */
export function taskFactorIds(registry: PluginRegistry, task: TaskAdapter, withExtractor: boolean): string[] {
  for (const id of task.classicalFactors) {
    if (needsModel(registry.factor(id))) {
      throw new ProfilekitError(
        "invalid_task",
        `task "${task.id}" lists "${id}" among its classical factors, and "${id}" is measured by a language model`,
        {
          hint: "a task's classical factors are the measures that need no model; list model factors in its factors",
        },
      );
    }
  }
  return [
    ...task.factors.filter((id) => withExtractor || !needsModel(registry.factor(id))),
    ...task.classicalFactors,
  ];
}

/**
 * Resolves factor refs (registered ids, or plugin objects, validated as a registry validates them)
 * and checks each factor's options with its own schema. `where` prefixes every message (a config
 * file and field, or nothing for a library call).
 */
export function selectFactors(
  registry: PluginRegistry,
  refs: readonly FactorRef[],
  factorOptions: Readonly<Record<string, Record<string, unknown>>>,
  where: { readonly prefix?: string; readonly file?: string } = {},
): SelectedFactor[] {
  const prefix = where.prefix ?? "";
  const at = (field: string) => (where.file ? { location: { file: where.file, field } } : {});
  const plugins = refs.map((ref) => {
    if (typeof ref === "string") return registry.factor(ref);
    // A plugin object is checked as registering it would check it.
    new PluginRegistry().registerFactor(ref);
    return ref;
  });
  const ids = plugins.map((plugin) => plugin.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) {
    throw new ProfilekitError("duplicate_factor", `${prefix}factor "${twice}" is listed twice`, {
      ...at("factors"),
      hint: "list each factor once",
    });
  }
  for (const id of Object.keys(factorOptions)) {
    if (!ids.includes(id)) {
      throw new ProfilekitError(
        "invalid_factor_option",
        `${prefix}options are set for "${id}", which is not among the factors (${ids.join(", ")})`,
        { ...at(`factorOptions.${id}`), hint: "add it to the factors, or drop its options" },
      );
    }
  }
  return plugins.map((plugin) => {
    const raw = factorOptions[plugin.id] ?? {};
    if (!plugin.options) {
      if (Object.keys(raw).length > 0) {
        throw new ProfilekitError(
          "invalid_factor_option",
          `${prefix}factor "${plugin.id}" takes no options`,
          {
            ...at(`factorOptions.${plugin.id}`),
            hint: "`profilekit factors` lists each factor's options",
          },
        );
      }
      return { plugin, options: {} };
    }
    const parsed = plugin.options.safeParse(raw);
    if (!parsed.success) {
      if (where.file) {
        const issue = parsed.error.issues[0]!;
        const field = formatFieldPath(["factorOptions", plugin.id, ...issue.path]);
        throw new ProfilekitError("invalid_factor_option", `${prefix}${field}: ${issue.message}`, {
          ...at(field),
          hint: "`profilekit factors` lists each factor's options",
        });
      }
      const issues = parsed.error.issues
        .map((issue) => `${[plugin.id, ...issue.path].join(".")}: ${issue.message}`)
        .join("; ");
      throw new ProfilekitError(
        "invalid_factor_option",
        `invalid options for factor "${plugin.id}": ${issues}`,
        {
          location: { factor: plugin.id },
          hint: "`profilekit factors` lists each factor's options",
        },
      );
    }
    return { plugin, options: parsed.data as Record<string, unknown> };
  });
}

/** Refuses model-extracted factors when no extractor will measure them. */
export function requireExtractorFor(
  factors: readonly SelectedFactor[],
  extractor: unknown,
  hint = "set an extractor model (e.g. openai:gpt-4o-mini), or leave these factors out",
): void {
  const needed = factors.filter(({ plugin }) => needsModel(plugin)).map(({ plugin }) => plugin.id);
  if (needed.length > 0 && extractor === undefined) {
    throw new ProfilekitError(
      "model_required",
      `factors measured by a language model (${needed.join(", ")}) need an extractor model`,
      { hint },
    );
  }
}
