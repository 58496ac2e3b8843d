import { taskPrompt } from "@profilekit/runner/stage-kit";
import { type PromptTemplate, renderTemplate, type TaskAdapter } from "@profilekit/spec";
import { guidedGenerationPrompt } from "./prompts.js";

/**
 * The task's generation prompt with guidance added after its own text (guided-generation@1): the
 * same placeholders ({{level}}, {{levels}}, {{source}} or {{prompt}}), so every call is the plain
 * one plus the guidance, with the same seed. Its version names both prompts.
 */
export function guidedTemplate(task: TaskAdapter, guidance: string): PromptTemplate {
  const plain = taskPrompt(task, "generation");
  return {
    id: `${plain.id}+${guidedGenerationPrompt.id}`,
    version: `${plain.version}+${guidedGenerationPrompt.version}`,
    ...(plain.system === undefined ? {} : { system: plain.system }),
    user: `${plain.user}\n\n${renderTemplate(guidedGenerationPrompt.user, { guidance })}`,
  };
}
