import {
  type ChatMessage,
  isProfilekitError,
  type Pair,
  ProfilekitError,
  type PromptTemplate,
  renderPromptTemplate,
  templatePlaceholders,
  type TemplateVariables,
} from "@profilekit/spec";

/**
 * A task prompt's messages for one input. The pair's `source` and `prompt` are
 * offered as {{source}} and {{prompt}}; a template that does not show one of
 * them (a summarization prompt and a pair that also has a prompt) leaves it
 * out. Every other value must fill a placeholder, and a placeholder the pair
 * cannot fill (a summarization prompt and a pair without a source) is an
 * error naming the pair, raised before any call is made.
 */
export function renderForPair(
  template: PromptTemplate,
  input: Pick<Pair, "id" | "source" | "prompt">,
  values: TemplateVariables,
): ChatMessage[] {
  const shown = new Set([
    ...templatePlaceholders(template.system ?? ""),
    ...templatePlaceholders(template.user),
  ]);
  const vars: Record<string, string | number | undefined> = { ...values };
  for (const field of ["source", "prompt"] as const) {
    if (shown.has(field)) vars[field] = input[field];
  }
  let rendered: ReturnType<typeof renderPromptTemplate>;
  try {
    rendered = renderPromptTemplate(template, vars);
  } catch (error) {
    if (isProfilekitError(error) && error.code === "template_missing_variable") {
      throw new ProfilekitError(error.code, `${error.message}, for pair "${input.id}"`, {
        location: { pairId: input.id },
        hint: `the task's prompt "${template.version}" shows the pair's source and prompt; check that --task suits the data, or map the missing column with --map`,
      });
    }
    throw error;
  }
  return [
    ...(rendered.system === undefined ? [] : [{ role: "system" as const, content: rendered.system }]),
    { role: "user" as const, content: rendered.user },
  ];
}
