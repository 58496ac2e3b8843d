/**
 * Every text the extractor wraps around the factors' own prompts: the system
 * text, the fact ledger's splitting rules and examples, the checklist call, the
 * reminders, and the descriptions inside the answer schemas (they reach the
 * model too). Data: any change to a text below needs a new version, and the
 * versions are part of the promptVersion (so of the cache key) of every call
 * built with them. docs/factors.md quotes them word for word (a test holds it to that).
 */

/** Response readings, pair calls and pair-joint calls. */
export const JOINT_TEMPLATE_VERSION = "joint-extraction@2";
/** Per-factor calls: one factor at a time, with the same texts. */
export const SINGLE_TEMPLATE_VERSION = "factor-extraction@2";
/** The fact ledger's splitting rules and examples. */
export const FACT_LEDGER_VERSION = "fact-ledger@1";
/** The call that draws up a percentage factor's checklist, once per input. */
export const CHECKLIST_TEMPLATE_VERSION = "checklist@1";

/** The versions of the texts in this module, for a run's manifest. */
export const EXTRACTION_TEMPLATE_VERSIONS = {
  joint: JOINT_TEMPLATE_VERSION,
  single: SINGLE_TEMPLATE_VERSION,
  factLedger: FACT_LEDGER_VERSION,
  checklist: CHECKLIST_TEMPLATE_VERSION,
} as const;

export const SYSTEM_TEXT = `You are a careful annotator who measures quality factors of responses. Follow each factor's definition exactly and judge each factor on its own, independently of the others. Base every judgement on the texts given, not on their order, their length or on which response is called A or B. Answer with one JSON object that follows the given schema, filling its fields in the order given.`;

/** Where the texts are, by the shape of the call. */
export const TAGS_TEXT = {
  response:
    "The texts follow: the source document in <source> and the prompt in <prompt> (when a factor reads them), a checklist in <checklist> (for a factor marked against one), then the response in <response>.",
  pair: "The texts follow: the source document in <source> and the prompt in <prompt> (when a factor reads them), then response A in <response_a> and response B in <response_b>.",
  "pair-joint":
    "The texts follow: the source document in <source> and the prompt in <prompt> (when a factor reads them), a checklist in <checklist> (for a factor marked against one), then response A in <response_a> and response B in <response_b>.",
} as const;

export const FACT_LEDGER_TEXT = `List every atomic fact that the response states under "atomic_facts", once each, in the order the response states them. An atomic fact is a short statement that conveys exactly one piece of information: one property of, event involving, or relation between things, which cannot be split into smaller statements that are still true or false on their own. Write each fact as a standalone sentence that can be read without the response: name what a pronoun stands for. Opinions, greetings, questions and bare instructions with no claim ("give it a try") are not facts; advice that claims something ("stretching before running reduces injuries") is. A fact stated twice is listed once. List every fact, whether it is true or false and whether or not a source supports it. Then give each fact the labels the factors below ask for, each as a short reason followed by its verdict.
Examples of splitting (a sentence of a response, then its atomic facts):
- "Bloom, released in 2018, is Troye Sivan's second album." → "Bloom was released in 2018." | "Bloom is Troye Sivan's second album."
- "She was born in Lisbon and moved to Paris at 20 to study medicine." → "She was born in Lisbon." | "She moved to Paris." | "She moved to Paris at the age of 20." | "She moved to Paris to study medicine."
- "The bridge, which took six years to build, still carries most of the city's traffic." → "The bridge took six years to build." | "The bridge carries most of the city's traffic."
- "Honestly, I loved it. You should watch it too!" → no atomic facts (an opinion and a bare instruction).
- "Drinking water with meals does not dilute stomach acid enough to harm digestion." → "Drinking water with meals does not dilute stomach acid enough to harm digestion."`;

export const CHECKLIST_SYSTEM_TEXT = `You are a careful annotator who draws up, from the inputs alone, the checklist that responses to them will be measured against. Every response to these inputs is marked against the same list, so the list depends on the inputs only. Answer with one JSON object that follows the given schema: the items under "items", each a short standalone sentence.`;

/** Descriptions inside the answer schemas. */
export const SCHEMA_TEXT = {
  atomicFacts: "Every atomic fact of the response, once, in the order the response states them.",
  atomicFact: "The atomic fact, as a short standalone sentence.",
  reason: "A short reason, citing the text, given before the verdict.",
  verdict: "The verdict the factor's definition gives this fact.",
  reasons: "Brief reasons, citing the text, given before the answer.",
  rating: "A whole number from 1 to 5, as the factor's scale defines it.",
  comparison: '"a" if response A shows more of the factor, "b" if response B does, "same" if neither does.',
  items: "Each thing counted, one per item, in the order of the response.",
  count: "The number of items listed.",
  covered: "true when the response covers this checklist item, false when it does not.",
  checklist: "The checklist items, each a short standalone sentence.",
  perSide: "Under a for response A, under b for response B.",
} as const;

/** Says where a factor's answer goes, by the shape of its answer. */
export const ANSWER_TEXT = {
  rating: (id: string) => `Answer under "${id}": brief reasons, then the rating, a whole number from 1 to 5.`,
  comparison: (id: string) => `Answer under "${id}": brief reasons, then "a", "b" or "same".`,
  count: (id: string) =>
    `Answer under "${id}": each thing counted under "items", then their number under "count".`,
  checklist: (id: string) =>
    `Answer under "${id}": for each checklist item (item_1, item_2, ...), a short reason, then whether the response covers it.`,
  ledgerLabel: (id: string, verdicts: readonly string[]) =>
    `Label every atomic fact under "${id}": a short reason, then one verdict: ${quotedList(verdicts, "or")}.`,
  ledgerCount: () => `Counted from "atomic_facts": every atomic fact listed counts.`,
};

export const CHECKLIST_REMINDER = `Draw up the checklist from the inputs above, as the definition at the start says. Answer with one JSON object: the items under "items".`;

/** The closing line of a call: what to measure and the order of the answer's fields. */
export function reminderText(
  shape: "response" | "pair" | "pair-joint",
  fields: readonly string[],
  only: boolean,
): string {
  const subject = shape === "response" ? "the response above" : "response A and response B above";
  const sides =
    shape === "pair-joint"
      ? ' For a factor measured on each response, answer for response A under "a" and for response B under "b".'
      : "";
  const again = only
    ? "Some parts of an earlier answer were missing or invalid: answer these parts only. "
    : "";
  return `${again}Measure ${subject} as the definitions at the start say. Answer with one JSON object whose fields come in this order: ${quotedList(fields, "and")}.${sides} Judge each factor on its own.`;
}

export const RELABEL_TEXT = (ids: readonly string[]) =>
  `The atomic facts of the response were listed already, in <atomic_facts>: do not list them again. Give each of them the labels of ${quotedList(ids, "and")}, under fact_1, fact_2, ... in that order.`;

function quotedList(items: readonly string[], last: "and" | "or"): string {
  const quoted = items.map((item) => `"${item}"`);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${last} ${quoted.at(-1)}`;
}

function names(inputs: readonly ("source" | "prompt")[]): string[] {
  return [
    ...(inputs.includes("source") ? ["the source document"] : []),
    ...(inputs.includes("prompt") ? ["the prompt"] : []),
  ];
}

function spelled(shown: readonly string[]): string {
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
}

/** The line that tells the model what a factor reads. */
export function readsText(inputs: readonly ("source" | "prompt")[], level: "response" | "pair"): string {
  const shown = [
    ...names(inputs),
    ...(level === "response" ? ["the response"] : ["response A", "response B"]),
  ];
  const others =
    inputs.length < 2 ? " Other inputs shown are for other factors: leave them aside for this one." : "";
  return `Reads: ${spelled(shown)}.${others}`;
}

/** The line that tells the model what a checklist is drawn up from. */
export function checklistReadsText(inputs: readonly ("source" | "prompt")[]): string {
  return `Drawn up from: ${spelled(names(inputs))}.`;
}
