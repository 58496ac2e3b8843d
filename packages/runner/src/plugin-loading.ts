import type { PluginRegistry } from "@profilekit/core";
import type { ProviderRegistry } from "@profilekit/llm";
import {
  type FactorPlugin,
  isProviderPlugin,
  ProfilekitError,
  type ProviderPlugin,
  type TaskAdapterInput,
} from "@profilekit/spec";
import { importModule } from "./module-import.js";
import { resolveModule } from "./module-resolution.js";

/** What one entry of `plugins` added to the registry. */
export interface LoadedPlugin {
  /** As written in the config. */
  readonly spec: string;
  /** The module file it resolved to. */
  readonly module: string;
  readonly factors: readonly string[];
  readonly tasks: readonly string[];
  /** Model providers it added, by prefix (`myprovider` of `myprovider:model`). */
  readonly providers: readonly string[];
}

type Plugin =
  | { kind: "factor"; value: FactorPlugin }
  | { kind: "task"; value: TaskAdapterInput }
  | { kind: "provider"; value: ProviderPlugin };

function classify(value: unknown): Plugin | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.extract === "function") return { kind: "factor", value: value as FactorPlugin };
  if (isProviderPlugin(value)) return { kind: "provider", value: value as ProviderPlugin };
  if (Array.isArray(record.factors) && typeof record.prompts === "object") {
    return { kind: "task", value: value as TaskAdapterInput };
  }
  return undefined;
}

/** A module's plugins: its default export, or else its `plugins` export; one plugin or an array. */
function pluginsOf(
  module: Record<string, unknown>,
  spec: string,
  field: string,
  configFile: string,
): Plugin[] {
  const exported = module.default ?? module.plugins;
  const where = { location: { file: configFile, field } };
  if (exported === undefined) {
    throw new ProfilekitError(
      "invalid_plugin",
      `plugin "${spec}" has neither a default export nor a \`plugins\` export`,
      {
        ...where,
        hint: "export default a factor plugin (defineResponseFactor from @profilekit/spec), a task adapter, or an array of them",
      },
    );
  }
  const values = Array.isArray(exported) ? exported : [exported];
  return values.map((value, i) => {
    const plugin = classify(value);
    if (plugin === undefined) {
      throw new ProfilekitError(
        "invalid_plugin",
        `plugin "${spec}" exports ${Array.isArray(exported) ? `at [${i}] ` : ""}something that is neither a factor plugin (no extract function), a task adapter (no factors and prompts) nor a model provider (no languageModel function)`,
        {
          ...where,
          hint: "build factors with defineResponseFactor or definePairFactor from @profilekit/spec",
        },
      );
    }
    return plugin;
  });
}

/**
 * Loads every module of a config's `plugins` (resolved from the config file's folder) and
 * registers what each exports: factor plugins and task adapters in `registry`, model providers in
 * `providers` when given (a config's models may then be `<prefix>:<model>`). A plugin whose id is taken, or
 * that a registry refuses, fails naming the entry of `plugins`.
 */
export async function loadPlugins(
  specs: readonly string[],
  config: { file: string; dir: string },
  registry: PluginRegistry,
  providers?: ProviderRegistry,
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const [i, spec] of specs.entries()) {
    const field = `plugins[${i}]`;
    let module: Record<string, unknown>;
    let file: string;
    try {
      file = await resolveModule(spec, config.dir);
      module = await importModule(file);
    } catch (error) {
      throw pluginError(error, spec, field, config.file);
    }
    const factors: string[] = [];
    const tasks: string[] = [];
    const providerIds: string[] = [];
    for (const plugin of pluginsOf(module, spec, field, config.file)) {
      try {
        if (plugin.kind === "factor") {
          registry.registerFactor(plugin.value);
          factors.push(plugin.value.id);
        } else if (plugin.kind === "provider") {
          if (providers === undefined) {
            throw new ProfilekitError(
              "invalid_plugin",
              `model provider "${plugin.value.id}" has no registry to join here`,
              {
                hint: "model providers are loaded by `profilekit run` (a study), which resolves the config's models through them",
              },
            );
          }
          providers.register(plugin.value);
          providerIds.push(plugin.value.id);
        } else {
          registry.registerTask(plugin.value);
          tasks.push(plugin.value.id);
        }
      } catch (error) {
        throw pluginError(error, spec, field, config.file);
      }
    }
    loaded.push({ spec, module: file, factors, tasks, providers: providerIds });
  }
  return loaded;
}

function pluginError(error: unknown, spec: string, field: string, configFile: string): ProfilekitError {
  if (error instanceof ProfilekitError) {
    return new ProfilekitError(error.code, `plugin "${spec}": ${error.message}`, {
      location: { ...error.location, file: configFile, field },
      ...(error.hint ? { hint: error.hint } : {}),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ProfilekitError("plugin_load_failed", `cannot load plugin "${spec}": ${message}`, {
    location: { file: configFile, field },
    hint: "the module threw while it was imported; fix it, or remove it from plugins",
    cause: error,
  });
}
