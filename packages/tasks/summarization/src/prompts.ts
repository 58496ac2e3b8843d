import type { PromptTemplate } from "@profilekit/spec";

// The prompts of the summarization task, as data. Any change to a text needs a new version.

/**
 * Evaluation setting: which of two responses is better. It names no factor, so
 * the judge's own priorities show in its profile. Fill {{choices}} with
 * `judgeChoices(allowTies)` from @profilekit/spec.
 */
export const judge = {
  id: "summarization-judge",
  version: "summarization-judge@1",
  system:
    "You are a careful evaluator of summaries. You compare two summaries of the same document and decide which is better.",
  user: `Here is a document and two summaries of it.

<source>
{{source}}
</source>

<summary_a>
{{a}}
</summary_a>

<summary_b>
{{b}}
</summary_b>

Which is the better summary of this document, as careful human readers would judge it? Answer {{choices}}: "a" means summary A is better, "b" means summary B is better.`,
} satisfies PromptTemplate;

/** Generation setting: one response aimed at quality {{level}} on a 1 to {{levels}} scale. */
export const generation = {
  id: "summarization-generation",
  version: "summarization-generation@1",
  system: "You write summaries of documents.",
  user: `Write a summary of the document below. Write the summary that would score {{level}} on a quality scale from 1 (worst) to {{levels}} (best), as careful human readers would rate summaries of this document: aim for exactly that level of quality, no better and no worse.

<source>
{{source}}
</source>

Reply with the summary only: no title, no score, and no comment on these instructions.`,
} satisfies PromptTemplate;

/** Refinement: revise {{response}} following {{guidance}}, written from the factor-level profile gaps. */
export const guidance = {
  id: "summarization-guidance",
  version: "summarization-guidance@1",
  system: "You revise summaries of documents.",
  user: `Here is a document and a summary of it.

<source>
{{source}}
</source>

<summary>
{{response}}
</summary>

Revise the summary following this guidance, which says where it falls short of what readers prefer:

<guidance>
{{guidance}}
</guidance>

Keep what the guidance does not ask you to change. Reply with the revised summary only.`,
} satisfies PromptTemplate;
