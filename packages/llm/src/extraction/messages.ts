import type { ChatMessage, FactorPlugin } from "@profilekit/spec";
import { type AnswerLayout, layoutFields } from "./answer-layout.js";
import { answerOrder, checklistItemKey, factKey, LEDGER_FIELD, labelOf, shapeOf } from "./answer-schemas.js";
import { type CallInputs, inputsOf } from "./inputs.js";
import {
  ANSWER_TEXT,
  CHECKLIST_REMINDER,
  CHECKLIST_SYSTEM_TEXT,
  CHECKLIST_TEMPLATE_VERSION,
  checklistReadsText,
  FACT_LEDGER_TEXT,
  FACT_LEDGER_VERSION,
  JOINT_TEMPLATE_VERSION,
  RELABEL_TEXT,
  readsText,
  reminderText,
  SINGLE_TEMPLATE_VERSION,
  SYSTEM_TEXT,
  TAGS_TEXT,
} from "./templates.js";

/** The shape of a reading call: one response, a pair's comparisons, or a whole pair (pair-joint). */
export type CallShape = "response" | "pair" | "pair-joint";

/** Which way a pair's responses are shown: as given (a as response A), or swapped (b as response A). */
export type Order = "given" | "swapped";

/**
 * The promptVersion of a call: the template's version (with the fact ledger's when the call
 * lists facts), then the versions of the factors it defines, in id order. Part of the cache key.
 */
export function callPromptVersion(factors: readonly FactorPlugin[], single: boolean): string {
  const template = single ? SINGLE_TEMPLATE_VERSION : JOINT_TEMPLATE_VERSION;
  const ledger = factors.some((factor) => shapeOf(factor) === "ledger") ? `+${FACT_LEDGER_VERSION}` : "";
  const versions = [...factors]
    .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
    .map((factor) => factor.prompt!.version);
  return `${template}${ledger}:${versions.join(",")}`;
}

export function checklistPromptVersion(factor: FactorPlugin): string {
  return `${CHECKLIST_TEMPLATE_VERSION}:${factor.prompt!.version}`;
}

function section(tag: string, text: string, attributes = ""): string {
  return `<${tag}${attributes}>\n${text}\n</${tag}>`;
}

/** A factor's definition as every call that measures it shows it, whatever the mode. */
function factorBlock(factor: FactorPlugin): string {
  const prompt = factor.prompt!;
  const label = labelOf(factor);
  const answer = {
    ledger: () => (label ? ANSWER_TEXT.ledgerLabel(factor.id, label.verdicts) : ANSWER_TEXT.ledgerCount()),
    checklist: () => ANSWER_TEXT.checklist(factor.id),
    count: () => ANSWER_TEXT.count(factor.id),
    rating: () => ANSWER_TEXT.rating(factor.id),
    comparison: () => ANSWER_TEXT.comparison(factor.id),
  }[shapeOf(factor)]();
  return [
    `## ${factor.id}: ${factor.title}`,
    readsText(inputsOf(factor), factor.level),
    prompt.instructions,
    answer,
  ].join("\n");
}

/**
 * The system message: the fixed instructions and the definitions of every factor the call's
 * group measures, in the order of the answer (the fact ledger first). It is the same for every
 * response, pair and re-ask of a group, so it opens a prefix that providers can cache.
 */
function definitions(factors: readonly FactorPlugin[], shape: CallShape): string {
  const ordered = answerOrder(factors);
  const parts = [SYSTEM_TEXT, TAGS_TEXT[shape], "# Definitions"];
  if (ordered.some((factor) => shapeOf(factor) === "ledger")) {
    parts.push(`## ${LEDGER_FIELD}: the fact ledger\n${FACT_LEDGER_TEXT}`);
  }
  parts.push(...ordered.map(factorBlock));
  return parts.join("\n\n");
}

/** The inputs shown, and the checklists the layout marks against. */
function inputSections(inputs: CallInputs, layout: AnswerLayout | undefined): string[] {
  return [
    ...(inputs.source === undefined ? [] : [section("source", inputs.source)]),
    ...(inputs.prompt === undefined ? [] : [section("prompt", inputs.prompt)]),
    ...(layout?.checklists ?? []).map(({ factor, items }) =>
      section(
        "checklist",
        items.map((item, i) => `${checklistItemKey(i)}: ${item}`).join("\n"),
        ` factor="${factor.id}"`,
      ),
    ),
  ];
}

/**
 * Messages in a chosen order: system and definitions; then the inputs (source, prompt,
 * checklists), which end the prefix shared by every call of the group on the same input
 * (`cacheBoundary`); then the responses and a short reminder of the task and the answer's fields.
 */
function arrange(system: string, inputs: string[], closing: string): ChatMessage[] {
  if (inputs.length === 0) {
    return [
      { role: "system", content: system, cacheBoundary: true },
      { role: "user", content: closing },
    ];
  }
  return [
    { role: "system", content: system },
    { role: "user", content: inputs.join("\n\n"), cacheBoundary: true },
    { role: "user", content: closing },
  ];
}

/** The responses a call shows: one, or response A and B in the order asked. */
export type Shown = { readonly response: string } | { readonly a: string; readonly b: string };

/**
 * A reading call: `group` is every factor the call's group measures (defined in the system
 * message), `layout` what this call asks for (all of them, or the parts a re-ask asks again).
 */
export function readingMessages(
  shape: CallShape,
  group: readonly FactorPlugin[],
  layout: AnswerLayout,
  inputs: CallInputs,
  shown: Shown,
  reask: boolean,
): ChatMessage[] {
  const responses =
    "response" in shown
      ? [section("response", shown.response)]
      : [section("response_a", shown.a), section("response_b", shown.b)];
  const relabel: string[] = [];
  if (layout.relabel.length > 0) {
    layout.sides.forEach((side, index) => {
      const facts = layout.givenFacts[index] ?? [];
      relabel.push(
        section(
          side ? `atomic_facts_${side}` : "atomic_facts",
          facts.length === 0 ? "(none)" : facts.map((fact, i) => `${factKey(i)}: ${fact}`).join("\n"),
        ),
      );
    });
    relabel.push(RELABEL_TEXT(layout.relabel.map((factor) => factor.id)));
  }
  const closing = [...responses, ...relabel, reminderText(shape, layoutFields(layout), reask)].join("\n\n");
  return arrange(definitions(group, shape), inputSections(inputs, layout), closing);
}

/** The call that draws up a percentage factor's checklist from the inputs alone. */
export function checklistMessages(factor: FactorPlugin, inputs: CallInputs): ChatMessage[] {
  const system = [
    CHECKLIST_SYSTEM_TEXT,
    `## ${factor.id}: ${factor.title}\n${checklistReadsText(inputsOf(factor))}\n${factor.prompt!.checklist}`,
  ].join("\n\n");
  return arrange(system, inputSections(inputs, undefined), CHECKLIST_REMINDER);
}
