import type { PromptTemplate } from "@profilekit/spec";

// The prompts of the document-qa task, as data. Any change to a text needs a new version.

/**
 * Evaluation setting: which of two responses is better. It names no factor, so
 * the judge's own priorities show in its profile. Fill {{choices}} with
 * `judgeChoices(allowTies)` from @profilekit/spec.
 */
export const judge = {
  id: "document-qa-judge",
  version: "document-qa-judge@1",
  system:
    "You are a careful evaluator of answers to questions about documents. You compare two answers to the same question and decide which is better.",
  user: `Here is a document, a question about it, and two answers to the question.

<source>
{{source}}
</source>

<question>
{{prompt}}
</question>

<answer_a>
{{a}}
</answer_a>

<answer_b>
{{b}}
</answer_b>

Which is the better answer to this question, given the document, as careful human readers would judge it? Answer {{choices}}: "a" means answer A is better, "b" means answer B is better.`,
} satisfies PromptTemplate;

/** Generation setting: one response aimed at quality {{level}} on a 1 to {{levels}} scale. */
export const generation = {
  id: "document-qa-generation",
  version: "document-qa-generation@1",
  system: "You answer questions using documents.",
  user: `Answer the question below using the document. Write the answer that would score {{level}} on a quality scale from 1 (worst) to {{levels}} (best), as careful human readers would rate answers to this question: aim for exactly that level of quality, no better and no worse.

<source>
{{source}}
</source>

<question>
{{prompt}}
</question>

Reply with the answer only: no score, and no comment on these instructions.`,
} satisfies PromptTemplate;

/** Refinement: revise {{response}} following {{guidance}}, written from the factor-level profile gaps. */
export const guidance = {
  id: "document-qa-guidance",
  version: "document-qa-guidance@1",
  system: "You revise answers to questions about documents.",
  user: `Here is a document, a question about it, and an answer to the question.

<source>
{{source}}
</source>

<question>
{{prompt}}
</question>

<answer>
{{response}}
</answer>

Revise the answer following this guidance, which says where it falls short of what readers prefer:

<guidance>
{{guidance}}
</guidance>

Keep what the guidance does not ask you to change. Reply with the revised answer only.`,
} satisfies PromptTemplate;
