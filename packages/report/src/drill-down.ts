import type { FactorExample } from "./example-pairs.js";
import { type Html, html } from "./html.js";
import { formatWithInterval, formatScore } from "./number-format.js";
import type { ReportModel, SourceExamples } from "./report-model.js";
import type { PairText } from "./input/pair-texts.js";

/** Texts longer than this are folded behind a preview. */
const foldAfter = 600;
const previewLength = 280;

/** A text from data, shown whole when short, else folded in a <details> with a preview. */
function foldedText(text: string, what: string): Html {
  if (text.length <= foldAfter) return html`<p class="text">${text}</p>`;
  return html`<details class="fold"><summary>${what}: ${text.slice(0, previewLength)}… (${text.length} characters; show all)</summary><p class="text">${text}</p></details>`;
}

/** A factor's value on one response, or its verdict on the pair. */
function valueText(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : formatScore(value, 4);
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

function verdictText(example: FactorExample): string {
  const { manifestation } = example;
  const side = manifestation.sign === 1 ? "a" : "b";
  const answers = manifestation.meta?.answers;
  const both = Array.isArray(answers) ? ` (answers in both orders: ${answers.map(String).join(", ")})` : "";
  return `verdict: ${side} shows more of ${manifestation.factor}${both}`;
}

function responseBlock(example: FactorExample, side: "a" | "b", text: string): Html {
  const value = side === "a" ? example.manifestation.valueA : example.manifestation.valueB;
  const shown = valueText(value);
  const preferred = example.label === side;
  return html`<div class="response${preferred ? " preferred" : ""}"><div class="response-head">response ${side}${preferred ? " (preferred)" : ""}${shown === "" ? "" : ` · ${example.manifestation.factor} = ${shown}`}</div>${foldedText(text, `response ${side}`)}</div>`;
}

function exampleBlock(example: FactorExample, text: PairText | undefined): Html {
  const perResponse =
    example.manifestation.valueA !== undefined || example.manifestation.valueB !== undefined;
  const head = html`<p class="example-head"><span class="kind ${example.kind}">${example.kind}</span>pair <code>${example.pairId}</code> · label: ${example.label} preferred${perResponse ? "" : ` · ${verdictText(example)}`}</p>`;
  if (text === undefined)
    return html`<div class="example">${head}<p>The texts of this pair are not available.</p></div>`;
  return html`<div class="example">${head}${
    text.prompt === undefined
      ? ""
      : html`<div><strong>prompt</strong>${foldedText(text.prompt, "prompt")}</div>`
  }${
    text.source === undefined
      ? ""
      : html`<details class="fold"><summary>source document (${text.source.length} characters)</summary><p class="text">${text.source}</p></details>`
  }<div class="responses">${responseBlock(example, "a", text.a)}${responseBlock(example, "b", text.b)}</div></div>`;
}

function sourceBlock(factor: string, entry: SourceExamples): Html {
  const { source, examples, texts } = entry;
  const score = source.profile.factors.find((f) => f.factor === factor);
  const heading = html`<h4>${source.label}${score === undefined ? "" : `: ${formatWithInterval(score.tau, score.ci95)}`}</h4>`;
  if (score === undefined) return html``;
  if (examples === undefined)
    return html`${heading}<p>No labels.jsonl and manifestations.jsonl in ${source.folder} to choose examples from.</p>`;
  const chosen = examples.get(factor);
  const all = chosen === undefined ? [] : [...chosen.concordant, ...chosen.discordant];
  if (all.length === 0)
    return html`${heading}<p>No pair with a decisive label and a non-zero sign for this factor.</p>`;
  const missing = all.some((e) => !texts.texts.has(e.pairId));
  const from =
    texts.from.length === 0
      ? ""
      : html`<p class="caption-line">Texts from ${texts.from.map((file, i) => html`${i === 0 ? "" : ", "}<code>${file}</code>`)}.</p>`;
  const unavailable =
    missing && texts.unavailable !== undefined
      ? html`<p class="caution">Some texts are not available: ${texts.unavailable}.</p>`
      : "";
  return html`${heading}${from}${unavailable}${all.map((e) => exampleBlock(e, texts.texts.get(e.pairId)))}`;
}

/** One <details> per factor with a few concordant and discordant pairs of every source. */
export function drillDowns(model: ReportModel): Html {
  return html`${model.factors.map((factor, index) => {
    const scores = model.sources
      .map((s) => {
        const f = s.profile.factors.find((x) => x.factor === factor);
        return f === undefined ? "" : `${s.label} ${formatScore(f.tau)}`;
      })
      .filter((t) => t !== "")
      .join(" · ");
    return html`<details class="factor" id="factor-${index + 1}-${slug(factor)}"><summary>${factor}<span class="caption-line"> — ${scores}</span></summary>${model.examples.map((entry) => sourceBlock(factor, entry))}</details>`;
  })}`;
}

/** An id-safe form of a name: lower-case letters, digits and dashes. */
function slug(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return base === "" ? "x" : base;
}
