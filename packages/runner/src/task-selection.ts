import type { PluginRegistry } from "@profilekit/core";
import { type Pair, ProfilekitError, type TaskAdapter } from "@profilekit/spec";

/**
 * The task whose prompts a model setting uses: the one task every pair names (a reader given a
 * task has set it on the pairs).
 */
export function resolveRunTask(
  registry: PluginRegistry,
  pairs: readonly Pair[],
  inputName: string,
): TaskAdapter {
  const tasks = [...new Set(pairs.map((pair) => pair.task))];
  if (tasks.length === 0) {
    throw new ProfilekitError("no_valid_pairs", `${inputName} holds no pair`, {
      location: { file: inputName },
      hint: "check the file and the --preset",
    });
  }
  if (tasks.length > 1) {
    throw new ProfilekitError(
      "mixed_tasks",
      `the pairs of ${inputName} belong to several tasks (${tasks.join(", ")})`,
      {
        location: { file: inputName },
        hint: "a model setting uses one task's prompts: split the file by task, or set one with --task",
      },
    );
  }
  return registry.task(tasks[0]!);
}
