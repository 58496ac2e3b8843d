import type { PluginRegistry } from "@profilekit/core";
import { type FactorPlugin, ProfilekitError, type TaskAdapter } from "@profilekit/spec";
import type { Config } from "./config-schema.js";
import { formatFieldPath } from "./field-path.js";
import type { SelectedFactor } from "./factor-selection.js";
import { selectRunFactors } from "./task-selection.js";

/**
 * The factors of a config, options validated by each factor's own schema. `factors` when
 * given; otherwise the same default as `judge` and `generate`: the task's factors that need
 * no model (all of them when models.extractor is set) and the task's classical measures.
 */
export function selectConfiguredFactors(
  registry: PluginRegistry,
  task: TaskAdapter,
  config: Config,
  configFile: string,
): SelectedFactor[] {
  const extractor = config.models.extractor?.id;
  const at = (field: string) => ({ location: { file: configFile, field } });
  let plugins: FactorPlugin[];
  try {
    plugins = config.factors
      ? registry.resolveFactors(config.factors)
      : selectRunFactors(registry, task, { factors: undefined, options: [], extractor }).map((f) => f.plugin);
  } catch (error) {
    if (!(error instanceof ProfilekitError)) throw error;
    throw new ProfilekitError(error.code, `${configFile}: factors: ${error.message}`, {
      ...at("factors"),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  const ids = plugins.map((plugin) => plugin.id);
  for (const id of Object.keys(config.factorOptions)) {
    if (!ids.includes(id)) {
      throw new ProfilekitError(
        "invalid_factor_option",
        `${configFile}: factorOptions sets "${id}", which is not among the factors (${ids.join(", ")})`,
        {
          ...at(`factorOptions.${id}`),
          hint: "add it to factors, or drop its options",
        },
      );
    }
  }
  const needModel = plugins.filter((plugin) => plugin.method === "llm").map((plugin) => plugin.id);
  if (needModel.length > 0 && extractor === undefined) {
    throw new ProfilekitError(
      "model_required",
      `${configFile}: factors measured by a language model (${needModel.join(", ")}) need models.extractor`,
      {
        ...at("models.extractor"),
        hint: 'set models.extractor, e.g. "openai:gpt-4o-mini", or leave these factors out',
      },
    );
  }
  return plugins.map((plugin) => {
    const raw = config.factorOptions[plugin.id] ?? {};
    if (!plugin.options) {
      if (Object.keys(raw).length > 0) {
        throw new ProfilekitError(
          "invalid_factor_option",
          `${configFile}: factor "${plugin.id}" takes no options`,
          at(`factorOptions.${plugin.id}`),
        );
      }
      return { plugin, options: {} };
    }
    const parsed = plugin.options.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = formatFieldPath(["factorOptions", plugin.id, ...issue.path]);
      throw new ProfilekitError("invalid_factor_option", `${configFile}: ${field}: ${issue.message}`, {
        ...at(field),
        hint: "`profilekit factors` lists each factor's options",
      });
    }
    return { plugin, options: parsed.data as Record<string, unknown> };
  });
}
