import {
  FactorMetadataSchema,
  type FactorPlugin,
  ProfilekitError,
  specificationVersion,
  type TaskAdapter,
  TaskAdapterSchema,
  type TaskAdapterInput,
} from "@profilekit/spec";
import { z } from "zod";
import { closestId } from "./closest-id.js";

/**
 * The factor plugins and task adapters a runner hosts, by id. Registration validates each
 * against the spec; a lookup of an unknown id fails with the registered ids and, when one is
 * a likely typo, the closest.
 */
export class PluginRegistry {
  readonly #factors = new Map<string, FactorPlugin>();
  readonly #tasks = new Map<string, TaskAdapter>();

  /** Adds a factor plugin; fails on another specification version, invalid metadata or a taken id. */
  registerFactor(plugin: FactorPlugin): this {
    const id = describeId(plugin);
    checkVersion("factor", id, plugin);
    const parsed = FactorMetadataSchema.safeParse(plugin);
    if (!parsed.success || typeof plugin.extract !== "function") {
      const problem = parsed.success ? "extract is not a function" : z.prettifyError(parsed.error);
      throw new ProfilekitError("invalid_factor", `Factor plugin ${id} is invalid: ${problem}`, {
        hint: "Build factor plugins with defineResponseFactor or definePairFactor from @profilekit/spec.",
        location: { factor: plugin.id },
      });
    }
    if (this.#factors.has(plugin.id)) {
      throw new ProfilekitError("duplicate_factor", `A factor "${plugin.id}" is already registered.`, {
        hint: "Give the new factor another id, or register only one of the two.",
        location: { factor: plugin.id },
      });
    }
    this.#factors.set(plugin.id, plugin);
    return this;
  }

  /** Adds a task adapter (defaults applied); fails on another specification version, invalid fields or a taken id. */
  registerTask(adapter: TaskAdapterInput): this {
    const id = describeId(adapter);
    checkVersion("task", id, adapter);
    const parsed = TaskAdapterSchema.safeParse(adapter);
    if (!parsed.success) {
      throw new ProfilekitError(
        "invalid_task",
        `Task adapter ${id} is invalid: ${z.prettifyError(parsed.error)}`,
        { hint: "Check the adapter against TaskAdapterSchema from @profilekit/spec." },
      );
    }
    if (this.#tasks.has(parsed.data.id)) {
      throw new ProfilekitError("duplicate_task", `A task "${parsed.data.id}" is already registered.`, {
        hint: "Give the new task another id, or register only one of the two.",
      });
    }
    this.#tasks.set(parsed.data.id, parsed.data);
    return this;
  }

  /** The factor registered as `id`; fails with code `unknown_factor`. */
  factor(id: string): FactorPlugin {
    const plugin = this.#factors.get(id);
    if (plugin === undefined) throw unknown("factor", [id], [...this.#factors.keys()]);
    return plugin;
  }

  /** The task registered as `id`; fails with code `unknown_task`. */
  task(id: string): TaskAdapter {
    const adapter = this.#tasks.get(id);
    if (adapter === undefined) throw unknown("task", [id], [...this.#tasks.keys()]);
    return adapter;
  }

  /** Every factor, in registration order. */
  factors(): FactorPlugin[] {
    return [...this.#factors.values()];
  }

  /** Every task, in registration order. */
  tasks(): TaskAdapter[] {
    return [...this.#tasks.values()];
  }

  /**
   * The factors named by `ids`, in that order. Fails with `unknown_factor` naming every
   * unknown id at once, or with `duplicate_factor` when an id is listed twice.
   */
  resolveFactors(ids: readonly string[]): FactorPlugin[] {
    const missing = ids.filter((id) => !this.#factors.has(id));
    if (missing.length > 0) throw unknown("factor", missing, [...this.#factors.keys()]);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) {
      throw new ProfilekitError("duplicate_factor", `Factor "${twice}" is listed twice.`, {
        hint: "List each factor once.",
        location: { factor: twice },
      });
    }
    return ids.map((id) => this.#factors.get(id)!);
  }
}

function describeId(plugin: { id?: unknown }): string {
  return typeof plugin.id === "string" ? `"${plugin.id}"` : "(without an id)";
}

function checkVersion(kind: "factor" | "task", id: string, plugin: { specificationVersion?: unknown }): void {
  if (plugin.specificationVersion === specificationVersion) return;
  throw new ProfilekitError(
    "unsupported_specification_version",
    `The ${kind} ${id} was written for specification version ${JSON.stringify(plugin.specificationVersion)}; this runner hosts version ${specificationVersion}.`,
    {
      hint: `Use a release of the ${kind} built against @profilekit/spec with specificationVersion ${specificationVersion}.`,
    },
  );
}

function unknown(
  kind: "factor" | "task",
  ids: readonly string[],
  registered: readonly string[],
): ProfilekitError {
  const plural = kind === "factor" ? "factors" : "tasks";
  const names = ids.map((id) => `"${id}"`).join(", ");
  const known =
    registered.length === 0
      ? `No ${plural} are registered.`
      : `Registered ${plural}: ${[...registered].sort().join(", ")}.`;
  const suggestions = ids.flatMap((id) => {
    const near = closestId(id, registered);
    if (near === undefined) return [];
    return ids.length === 1 ? [`"${near}"`] : [`"${near}" for "${id}"`];
  });
  const suggestion = suggestions.length > 0 ? ` Did you mean ${suggestions.join(", ")}?` : "";
  return new ProfilekitError(
    kind === "factor" ? ("unknown_factor" as const) : ("unknown_task" as const),
    `Unknown ${ids.length > 1 ? plural : kind} ${names}. ${known}${suggestion}`,
    {
      hint: `Use one of the registered ${plural}, or register a plugin that provides it.`,
      location: kind === "factor" && ids.length === 1 ? { factor: ids[0]! } : undefined,
    },
  );
}
