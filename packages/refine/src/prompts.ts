import type { PromptTemplate } from "@profilekit/spec";

// refine's prompts, as data. Each is versioned: a change to its text needs a new version, and the
// version is part of every call's cache key (with the task prompt's it is combined with). The
// task adapters' own prompts (generation, judge, guidance) are used as they are.

/**
 * Guided generation: appended to the task's generation prompt, after its own text. {{guidance}}
 * holds the lines `factorGuidance` writes from the human profile and the plain generation profile.
 */
export const guidedGenerationPrompt = {
  id: "guided-generation",
  version: "guided-generation@1",
  user: `Careful human readers' preferences have been measured factor by factor. Let them decide what a better response is at every level:

<guidance>
{{guidance}}
</guidance>`,
} satisfies PromptTemplate;

/**
 * The feedback loop's critique: the evaluator checks one response against the level it was
 * written for, factor by factor ({{factors}}: one line per factor, its id and what more of it
 * means), and answers with a structured verdict (`critiqueSchema`). {{input}} holds the input's
 * source and prompt sections.
 */
export const critiquePrompt = {
  id: "critique",
  version: "critique@1",
  system:
    "You are a careful evaluator. You check whether a response meets the quality it was written for, factor by factor.",
  user: `Here is an input and a response written for it.

{{input}}

<response>
{{response}}
</response>

The response was written to be one that careful human readers would rate {{level}} on a quality scale from 1 (worst) to {{levels}} (best). Check it against that target, factor by factor. Each factor is given by its id and what more of it means:

{{factors}}

For every factor that must change for the response to meet its target as careful human readers would judge it, give one issue: the factor's id, the direction it must move ("more" or "less"), and the evidence in the response. Give no issue for a factor that is right. Set meetsTarget to true when the response already meets its target and needs no change.`,
} satisfies PromptTemplate;

/**
 * What the feedback loop's revision asks: it fills the {{guidance}} of the task's guidance
 * prompt. {{issues}} holds the critique's issues, one line each.
 */
export const revisionGuidancePrompt = {
  id: "revision-guidance",
  version: "revision-guidance@1",
  user: `Rewrite it as a response that careful human readers would rate {{level}} on a quality scale from 1 (worst) to {{levels}} (best). An evaluator checked it against that target and found:
{{issues}}`,
} satisfies PromptTemplate;
