import type { PluginRegistry } from "@profilekit/core";
import { type Pair, ProfilekitError, type PromptTemplate, type TaskAdapter } from "@profilekit/spec";
import { parseFactorList, type SelectedFactor, selectFactors } from "./factor-selection.js";

/**
 * The task whose prompts a model setting uses: `--task` when given (the
 * reader has then set it on every pair), else the one task every pair names.
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

/** The task's prompt for a setting; a task without one cannot run that setting. */
export function taskPrompt(task: TaskAdapter, setting: "judge" | "generation"): PromptTemplate {
  const prompt = task.prompts[setting];
  if (!prompt) {
    throw new ProfilekitError("missing_task_prompt", `task "${task.id}" has no ${setting} prompt`, {
      hint: `give the task adapter a prompts.${setting} template, or choose another --task`,
    });
  }
  return prompt;
}

/**
 * The factors of a model setting's profile. `--factors` when given. Otherwise
 * the task's factors that need no model (PROFILE's `length`, and the task's
 * classical measures), plus the task's model-extracted factors when an
 * extractor model was chosen with `--extractor`. The judged or generating
 * model is never used as the extractor unasked: extraction costs calls of its
 * own, and profiles are comparable only when one extractor measures them all.
 */
export function selectRunFactors(
  registry: PluginRegistry,
  task: TaskAdapter,
  request: {
    readonly factors: string | undefined;
    readonly options: readonly string[];
    readonly extractor: string | undefined;
  },
): SelectedFactor[] {
  const ids = request.factors
    ? parseFactorList(request.factors)
    : [
        ...task.factors.filter(
          (id) => request.extractor !== undefined || registry.factor(id).method !== "llm",
        ),
        ...task.classicalFactors,
      ];
  const selected = selectFactors(registry, ids, request.options);
  const needModel = selected.filter(({ plugin }) => plugin.method === "llm").map(({ plugin }) => plugin.id);
  if (needModel.length > 0 && request.extractor === undefined) {
    throw new ProfilekitError(
      "model_required",
      `--factors names factors measured by a language model (${needModel.join(", ")}), and no extractor was chosen`,
      { hint: "add --extractor <model> (e.g. --extractor openai:gpt-4o-mini), or leave these factors out" },
    );
  }
  return selected;
}
