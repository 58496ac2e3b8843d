import { createProviderRegistry, type ProviderRegistry } from "@profilekit/llm";
import { createBuiltinRegistry } from "./builtins.js";
import { loadConfig } from "./config-file.js";
import { loadPlugins } from "./plugin-loading.js";
import type { StudyStage } from "./study-stage.js";

/**
 * The model providers of a config: the built-in ones and those its plugins export, where
 * `profilekit batch --config` resolves the model ids of the batches a study submitted (a
 * `<prefix>:<model>` of a plugin's provider is unknown to the built-in registry). `stages`: the
 * registered stages whose settings the config may hold, as for loadConfig.
 */
export async function configProviders(
  file: string,
  options: { readonly stages?: readonly StudyStage[] } = {},
): Promise<ProviderRegistry> {
  const study = await loadConfig(file, options);
  const providers = createProviderRegistry();
  await loadPlugins(study.config.plugins, study, createBuiltinRegistry(), providers);
  return providers;
}
