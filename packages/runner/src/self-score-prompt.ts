import type { PromptTemplate } from "@profilekit/spec";

/**
 * The self-check of `generate --self-check`: the generating model scores a
 * response it wrote on the same 1..{{levels}} scale it wrote for. {{input}}
 * holds the input's source and prompt sections, as the input has them. A
 * change to the text needs a new version (it is part of the cache key).
 */
export const selfScorePrompt = {
  id: "self-score",
  version: "self-score@1",
  system: "You are a careful evaluator. You rate the quality of a response to an input.",
  user: `Here is an input and a response written for it.

{{input}}

<response>
{{response}}
</response>

Rate the quality of the response on a scale from 1 (worst) to {{levels}} (best), as careful human readers would rate responses to this input. Answer with the score, a whole number from 1 to {{levels}}.`,
} satisfies PromptTemplate;

/** The {{input}} block: the source and the prompt, each in its tag, as the input has them. */
export function inputBlock(input: { source?: string | undefined; prompt?: string | undefined }): string {
  return [
    ...(input.source === undefined ? [] : [`<source>\n${input.source}\n</source>`]),
    ...(input.prompt === undefined ? [] : [`<prompt>\n${input.prompt}\n</prompt>`]),
  ].join("\n\n");
}
