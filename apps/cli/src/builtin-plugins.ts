import { PluginRegistry } from "@profilekit/core";
import formality from "@profilekit/factor-formality";
import length from "@profilekit/factor-length";
import novelty from "@profilekit/factor-novelty";
import readability from "@profilekit/factor-readability";
import sourceOverlap from "@profilekit/factor-source-overlap";

/** The factors that need no model: the default of `analyze` when --factors is not given. */
export const deterministicFactorIds = ["length", "novelty", "source-overlap", "readability", "formality"];

/** A registry holding every built-in factor and task; a config may register more. */
export function createBuiltinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of [length, novelty, sourceOverlap, readability, formality]) {
    registry.registerFactor(plugin);
  }
  return registry;
}
