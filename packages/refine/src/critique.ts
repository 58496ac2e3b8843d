import type { GenerateObjectOptions } from "@profilekit/llm";
import { type GenerationInput, inputBlock, renderForPair } from "@profilekit/runner/stage-kit";
import {
  type Critique,
  type FactorPlugin,
  ProfilekitError,
  renderTemplate,
  type TaskAdapter,
} from "@profilekit/spec";
import { z } from "zod";
import { critiquePrompt, revisionGuidancePrompt } from "./prompts.js";

/** The usage stages of the feedback loop. */
const CRITIQUE_STAGE = "critique";
export const REVISE_STAGE = "revise";

/** The critique's answer: whether the response meets its target, and what must change, factor by factor. */
export function critiqueSchema(factorIds: readonly string[]) {
  return z.object({
    meetsTarget: z.boolean().describe("true when the response already meets its target and needs no change"),
    issues: z
      .array(
        z.object({
          factor: z.enum(factorIds as [string, ...string[]]).describe("The factor's id."),
          direction: z.enum(["more", "less"]).describe("Which way the factor must move."),
          evidence: z.string().describe("Where the response shows it."),
        }),
      )
      .describe("One issue per factor that must change; none when the response meets its target."),
  });
}
export type CritiqueAnswerSchema = ReturnType<typeof critiqueSchema>;

/** The {{factors}} block: one line per factor, its id and what more of it means. */
function factorLines(factors: readonly FactorPlugin[]): string {
  return factors.map((f) => `- ${f.id} (${f.title}): ${f.definition}`).join("\n");
}

/** The critique call of one response written for `level` of `levels`. */
export function critiqueCall(
  input: GenerationInput,
  response: string,
  target: { readonly level: number; readonly levels: number },
  factors: readonly FactorPlugin[],
  schema: CritiqueAnswerSchema,
): GenerateObjectOptions<CritiqueAnswerSchema> {
  return {
    schema,
    schemaName: "critique",
    messages: renderForPair(critiquePrompt, input, {
      input: inputBlock(input),
      response,
      level: target.level,
      levels: target.levels,
      factors: factorLines(factors),
    }),
    promptVersion: critiquePrompt.version,
    stage: CRITIQUE_STAGE,
    temperature: 0,
  };
}

/** The {{guidance}} of the task's guidance prompt for a revision: the target, and the critique's issues. */
export function revisionGuidance(
  critique: Critique,
  target: { readonly level: number; readonly levels: number },
  factors: readonly FactorPlugin[],
): string {
  const titles = new Map(factors.map((f) => [f.id, f.title]));
  const issues =
    critique.issues.length === 0
      ? "- it does not meet its target (no factor named)"
      : critique.issues
          .map((issue) =>
            `- ${titles.get(issue.factor) ?? issue.factor} (${issue.factor}): ${issue.direction} of it. ${issue.evidence}`.trim(),
          )
          .join("\n");
  return renderTemplate(revisionGuidancePrompt.user, { level: target.level, levels: target.levels, issues });
}

/** The task's guidance prompt (revise {{response}} following {{guidance}}); a task without one cannot refine. */
export function guidancePrompt(task: TaskAdapter) {
  const prompt = task.prompts.guidance;
  if (!prompt) {
    throw new ProfilekitError("missing_task_prompt", `task "${task.id}" has no guidance prompt`, {
      hint: "give the task adapter a prompts.guidance template (revise {{response}} following {{guidance}}), or use method guided",
    });
  }
  return prompt;
}
