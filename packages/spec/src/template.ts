import { ProfilekitError } from "./errors.js";
import type { PromptTemplate } from "./task.js";

/** A placeholder is `{{name}}`, spaces inside the braces allowed; anything else is literal text. */
const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Values for a template's placeholders. A key whose value is `undefined` counts as not given. */
export type TemplateVariables = Readonly<Record<string, string | number | undefined>>;

/** The names of the placeholders in a template, each once, in order of first appearance. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(placeholderPattern), (match) => match[1] as string))];
}

function checkVariables(label: string, placeholders: readonly string[], vars: TemplateVariables): void {
  const given = Object.keys(vars).filter((name) => vars[name] !== undefined);
  const missing = placeholders.find((name) => vars[name] === undefined);
  if (missing !== undefined) {
    throw new ProfilekitError(
      "template_missing_variable",
      `${label} has the placeholder {{${missing}}}, and no value was given for it (given: ${given.join(", ") || "none"})`,
      { hint: `pass a value for every placeholder: ${placeholders.join(", ")}` },
    );
  }
  const unknown = given.find((name) => !placeholders.includes(name));
  if (unknown !== undefined) {
    throw new ProfilekitError(
      "template_unknown_variable",
      `${label} has no placeholder {{${unknown}}} (its placeholders: ${placeholders.join(", ") || "none"})`,
      { hint: "check the variable's name, or use a template that has this placeholder" },
    );
  }
}

function substitute(template: string, vars: TemplateVariables): string {
  // One pass: text inserted for a placeholder is never read as a placeholder itself.
  return template.replace(placeholderPattern, (_match, name: string) => String(vars[name]));
}

/**
 * Fills every `{{name}}` of `template` from `vars`. Throws `template_missing_variable`
 * when a placeholder has no value, and `template_unknown_variable` when a value
 * has no placeholder, so a misspelt name never passes silently.
 */
export function renderTemplate(template: string, vars: TemplateVariables): string {
  checkVariables("the template", templatePlaceholders(template), vars);
  return substitute(template, vars);
}

/**
 * Renders a prompt template's `system` and `user` texts with the same values:
 * each value must fill a placeholder in one of them, and every placeholder
 * of either needs a value.
 */
export function renderPromptTemplate(
  prompt: PromptTemplate,
  vars: TemplateVariables,
): { system: string | undefined; user: string } {
  const placeholders = [
    ...new Set([...templatePlaceholders(prompt.system ?? ""), ...templatePlaceholders(prompt.user)]),
  ];
  checkVariables(`prompt "${prompt.version}"`, placeholders, vars);
  return {
    system: prompt.system === undefined ? undefined : substitute(prompt.system, vars),
    user: substitute(prompt.user, vars),
  };
}
