/**
 * Markup built only through `html`: every interpolated value is escaped as text unless it is
 * already `Html` (markup this package made). Text from data (pair texts, prompts, file names,
 * model ids, factor ids) therefore cannot become markup by construction.
 */
export class Html {
  readonly #markup: string;
  constructor(markup: string) {
    this.#markup = markup;
  }
  toString(): string {
    return this.#markup;
  }
}

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text as HTML text or attribute content: & < > " ' become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char]!);
}

/** What `html` accepts in a hole: text, numbers, markup, or lists of them; null and false render nothing. */
export type HtmlValue = string | number | Html | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.toString();
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/** A template of markup whose holes are escaped (see `Html`). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let markup = strings[0]!;
  for (const [i, value] of values.entries()) markup += render(value) + strings[i + 1]!;
  return new Html(markup);
}

/** Markup produced by a trusted renderer (the chart SVG, serialised by the DOM, which escapes text). */
export function trustedMarkup(markup: string): Html {
  return new Html(markup);
}
