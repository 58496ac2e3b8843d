import type { PromptTemplate } from "@profilekit/spec";

// The prompts of the instruction-following task, as data. Any change to a text needs a new version.

/**
 * Evaluation setting: which of two responses is better. It names no factor, so
 * the judge's own priorities show in its profile. Fill {{choices}} with
 * `judgeChoices(allowTies)` from @profilekit/spec.
 */
export const judge = {
  id: "instruction-following-judge",
  version: "instruction-following-judge@1",
  system:
    "You are a careful evaluator of AI assistants. You compare two replies to the same user input and decide which is better.",
  user: `Here is a user's input to an AI assistant (a request, or a conversation that ends with the user's turn) and two replies to it.

<prompt>
{{prompt}}
</prompt>

<response_a>
{{a}}
</response_a>

<response_b>
{{b}}
</response_b>

Which is the better reply to this input, as careful human readers would judge it? Answer {{choices}}: "a" means response A is better, "b" means response B is better.`,
} satisfies PromptTemplate;

/** Generation setting: one response aimed at quality {{level}} on a 1 to {{levels}} scale. */
export const generation = {
  id: "instruction-following-generation",
  version: "instruction-following-generation@1",
  system: "You are an AI assistant replying to users.",
  user: `Write the assistant's reply to the user's input below (a request, or a conversation that ends with the user's turn). Write the reply that would score {{level}} on a quality scale from 1 (worst) to {{levels}} (best), as careful human readers would rate replies to this input: aim for exactly that level of quality, no better and no worse.

<prompt>
{{prompt}}
</prompt>

Reply with the assistant's reply only: no score, and no comment on these instructions.`,
} satisfies PromptTemplate;

/** Refinement: revise {{response}} following {{guidance}}, written from the factor-level profile gaps. */
export const guidance = {
  id: "instruction-following-guidance",
  version: "instruction-following-guidance@1",
  system: "You revise AI assistants' replies to users.",
  user: `Here is a user's input to an AI assistant and the assistant's reply.

<prompt>
{{prompt}}
</prompt>

<response>
{{response}}
</response>

Revise the reply following this guidance, which says where it falls short of what readers prefer:

<guidance>
{{guidance}}
</guidance>

Keep what the guidance does not ask you to change. Reply with the revised reply only.`,
} satisfies PromptTemplate;
