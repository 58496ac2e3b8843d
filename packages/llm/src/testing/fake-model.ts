import { createHash } from "node:crypto";
import { extractFirstJsonObject } from "../structured-output.js";
import type { MockHandler, MockReply, MockRequest } from "./mock-server.js";

export interface FakeModelOptions {
  /**
   * The number the model reads in `response` for `key` (a factor id, or the
   * schema's name): an item count (clamped to 0..3, and to the facts listed for
   * a ledger factor), the number of atomic facts for "number-of-facts" (0..12),
   * a rating (1..5) or a percentage (0..100), as the answer asks; a comparison
   * or verdict chooses the response with the larger number. Default: drawn from
   * a hash of key and response, uniform over those ranges.
   */
  readonly measure?: (key: string, response: string) => number;
  /** Choose response A in every comparison and verdict, as a position-biased model does. */
  readonly positionBias?: boolean;
}

type JsonSchema = Readonly<Record<string, any>>;

/** The texts an answer can be about, read from the user messages. */
interface Subjects {
  readonly a: string | undefined;
  readonly b: string | undefined;
  /** The one response of a single-response request, else the whole message. */
  readonly single: string;
}

/** Items in a checklist it draws up (a percentage factor's key points). */
export const FAKE_PERCENTAGE_ITEMS = 4;

/** A uniform number in [0, 1) from the text: the same text always gives the same number. */
function unit(...parts: string[]): number {
  return createHash("sha256").update(parts.join("\u0000")).digest().readUInt32BE(0) / 2 ** 32;
}

function tagged(message: string, pattern: RegExp): string | undefined {
  return pattern.exec(message)?.[2];
}

function subjectsOf(request: MockRequest): Subjects {
  // The user messages before the first assistant turn (a re-ask quotes the answer after it).
  const assistant = request.messages.findIndex((entry) => entry.role === "assistant");
  const message = request.messages
    .slice(0, assistant < 0 ? request.messages.length : assistant)
    .filter((entry) => entry.role === "user")
    .map((entry) => entry.content)
    .join("\n\n");
  return {
    a: tagged(message, /^<([a-z]+)_a>\n([\s\S]*?)\n<\/\1_a>$/m),
    b: tagged(message, /^<([a-z]+)_b>\n([\s\S]*?)\n<\/\1_b>$/m),
    single: tagged(message, /^<(response|answer|summary)>\n([\s\S]*?)\n<\/\1>$/m) ?? message,
  };
}

/**
 * A deterministic stand-in for a model, as a handler for `startMockServer`.
 * Every answer is a function of the request's content (never of arrival
 * order or time), so a run is reproducible and the cache behaves as with a
 * real model at temperature 0. It reads the responses from the user messages
 * (before any re-ask), in tags on lines of their own: `<x_a>` … `</x_a>` and
 * `<x_b>` … `</x_b>` (any tag name: response_a, answer_a, summary_a) for two,
 * `<response>`, `<answer>` or `<summary>` for one.
 *
 * - **Structured requests** (OpenAI json_schema, an Anthropic tool, or a JSON
 *   schema quoted in the text as profilekit's `text` mode does) are answered
 *   from the schema, recognising profilekit's answer shapes: a fact ledger
 *   (`atomic_facts`: the measure of "number-of-facts" facts; for each labelling
 *   factor, its measure's number of them, at most all, with the factor's last
 *   verdict and the others with its first), labels for facts listed already
 *   (`fact_1`, ...: the same rule),
 *   checklist marks (`item_1`, ...: the measure's share covered), a checklist
 *   (`items` alone: 4 items, FAKE_PERCENTAGE_ITEMS), a count (`items` + `count`,
 *   consistent), a rating, `{a, b}` (each side about its own response), and any
 *   property whose enum holds "a" and "b" (a comparison or a judge's verdict: the
 *   response with the larger measure, "same"/"tie" when equal and allowed).
 *   Other fields get placeholder values that satisfy their schema. Since values
 *   follow the texts, not their positions, asking a pair swapped gives the
 *   mirrored answer, and every mode reads the same values.
 * - **Free-text requests** (generation, refinement) get a few sentences drawn
 *   from a hash of the messages; when the prompt asks for a quality level
 *   ("score 3"), the answer has that many sentences, so longer answers go
 *   with higher levels.
 */
export function createFakeModel(options: FakeModelOptions = {}): MockHandler {
  const { positionBias = false } = options;

  function amount(key: string, response: string, range: { min: number; max: number }): number {
    const raw = options.measure
      ? options.measure(key, response)
      : range.min + Math.floor(unit(key, response) * (range.max - range.min + 1));
    return Math.min(range.max, Math.max(range.min, Math.round(raw)));
  }

  function choose(key: string, choices: readonly string[], subjects: Subjects): string {
    if (positionBias) return "a";
    const [a, b] = [subjects.a ?? "", subjects.b ?? ""];
    const [measureA, measureB] = options.measure
      ? [options.measure(key, a), options.measure(key, b)]
      : [unit(key, a), unit(key, b)];
    if (measureA > measureB) return "a";
    if (measureA < measureB) return "b";
    const even = choices.find((choice) => choice === "same" || choice === "tie");
    // No tie allowed: decide by the two texts in a fixed order, so swapping does not change the winner.
    return even ?? (a <= b ? "a" : "b");
  }

  function answer(
    schema: JsonSchema,
    root: JsonSchema,
    key: string,
    subject: string,
    subjects: Subjects,
  ): unknown {
    const node = resolve(schema, root);
    if (node.anyOf) return answer(firstNonNull(node.anyOf), root, key, subject, subjects);
    const properties: Record<string, JsonSchema> = node.properties ?? {};
    const names = Object.keys(properties);
    const has = (...wanted: string[]) => wanted.every((name) => names.includes(name));
    if (node.type === "object") {
      const side = (name: string) => ["object", "array"].includes(resolve(properties[name]!, root).type);
      if (names.length === 2 && has("a", "b") && side("a") && side("b")) {
        return {
          a: answer(properties.a!, root, key, subjects.a ?? "", subjects),
          b: answer(properties.b!, root, key, subjects.b ?? "", subjects),
        };
      }
      if (names.length > 0 && names.every((name) => /^fact_\d+$/.test(name))) {
        const verdicts = verdictsOf(properties[names[0]!]!, root);
        const counted = amount(key, subject, { min: 0, max: 3 });
        return Object.fromEntries(
          names.map((name, i) => [
            name,
            { reason: `Fake reason for ${key}.`, verdict: labelled(verdicts, i < counted) },
          ]),
        );
      }
      if (names.length > 0 && names.every((name) => /^item_\d+$/.test(name))) {
        const covered = Math.round((amount(key, subject, { min: 0, max: 100 }) * names.length) / 100);
        return Object.fromEntries(
          names.map((name, i) => [name, { reason: `Fake reason for ${key}.`, covered: i < covered }]),
        );
      }
      if (names.length === 1 && has("items")) {
        return {
          items: Array.from({ length: FAKE_PERCENTAGE_ITEMS }, (_, i) => `key point ${i + 1} (${key})`),
        };
      }
      if (has("items", "count")) {
        const count = amount(key, subject, { min: 0, max: 3 });
        const items = Array.from({ length: count }, (_, i) => `item ${i + 1} (${key})`);
        return fill(node, root, key, subject, subjects, { items, count });
      }
      if (has("rating")) {
        return fill(node, root, key, subject, subjects, { rating: amount(key, subject, { min: 1, max: 5 }) });
      }
      const choice = names.find((name) => isChoice(resolve(properties[name]!, root)));
      if (choice) {
        const enumeration: string[] = resolve(properties[choice]!, root).enum;
        return fill(node, root, key, subject, subjects, { [choice]: choose(key, enumeration, subjects) });
      }
      return fill(node, root, key, subject, subjects, {});
    }
    if (isChoice(node)) return choose(key, node.enum, subjects);
    if (node.type === "array" && key === "atomic_facts")
      return ledger(resolve(node.items ?? {}, root), root, subject);
    return placeholder(node, root, key, subject, subjects);
  }

  /**
   * A fact ledger of the measure's number of facts (key "number-of-facts", 0..12), each
   * labelled by every factor: the measure's count of them (at most all) get the factor's last
   * verdict, the rest its first. The list does not depend on which factors label it, so every
   * mode reads the same counts.
   */
  function ledger(fact: JsonSchema, root: JsonSchema, subject: string): unknown[] {
    const labels = Object.keys(fact.properties ?? {}).filter((name) => name !== "atomic_fact");
    const facts = amount("number-of-facts", subject, { min: 0, max: 12 });
    const counts = new Map(labels.map((id) => [id, amount(id, subject, { min: 0, max: 3 })]));
    return Array.from({ length: facts }, (_, i) => ({
      atomic_fact: `Fact ${i + 1} of the response.`,
      ...Object.fromEntries(
        labels.map((id) => [
          id,
          {
            reason: `Fake reason for ${id}.`,
            verdict: labelled(verdictsOf(fact.properties[id], root), i < counts.get(id)!),
          },
        ]),
      ),
    }));
  }

  /** An object with the given fields, and every other property answered under its own name. */
  function fill(
    node: JsonSchema,
    root: JsonSchema,
    key: string,
    subject: string,
    subjects: Subjects,
    given: Record<string, unknown>,
  ): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const [name, property] of Object.entries<JsonSchema>(node.properties ?? {})) {
      result[name] =
        name in given
          ? given[name]
          : name === "reasons"
            ? `Fake reasons for ${key}.`
            : answer(property, root, name, subject, subjects);
    }
    return result;
  }

  function placeholder(
    node: JsonSchema,
    root: JsonSchema,
    key: string,
    subject: string,
    subjects: Subjects,
  ): unknown {
    const u = unit(key, subject);
    if (node.const !== undefined) return node.const;
    if (Array.isArray(node.enum)) return node.enum[Math.floor(u * node.enum.length)];
    switch (node.type) {
      case "string":
        return `Fake ${key}.`;
      case "boolean":
        return u < 0.5;
      case "integer": {
        const low = Math.ceil(node.minimum ?? 0);
        const high = Math.floor(Math.min(node.maximum ?? low + 10, low + 10));
        return low + Math.floor(u * (high - low + 1));
      }
      case "number": {
        const low = node.minimum ?? 0;
        return low + u * (Math.min(node.maximum ?? low + 10, low + 10) - low);
      }
      case "array": {
        const length = Math.max(node.minItems ?? 0, 1);
        return Array.from({ length }, (_, i) =>
          answer(node.items ?? {}, root, `${key}[${i}]`, subject, subjects),
        );
      }
      case "null":
        return null;
      default:
        return null;
    }
  }

  return (request: MockRequest): MockReply => {
    const subjects = subjectsOf(request);
    if (request.responseSchema) {
      const root = request.responseSchema.jsonSchema as JsonSchema;
      return { json: answer(root, root, request.responseSchema.name, subjects.single, subjects) };
    }
    // profilekit's `text` mode quotes the schema in the (first) user message.
    const withSchema = request.messages.find((message) => message.content.includes(SCHEMA_IN_TEXT))?.content;
    const schema = withSchema
      ? extractFirstJsonObject(withSchema.slice(withSchema.indexOf(SCHEMA_IN_TEXT)))
      : undefined;
    if (schema && typeof schema === "object") {
      const root = schema as JsonSchema;
      return { text: JSON.stringify(answer(root, root, "answer", subjects.single, subjects)) };
    }
    return { text: freeText(request) };
  };
}

const SCHEMA_IN_TEXT = "JSON schema:\n";

/** The verdicts of a label (`{ reason, verdict }`). */
function verdictsOf(label: JsonSchema, root: JsonSchema): string[] {
  return resolve(resolve(label, root).properties?.verdict ?? {}, root).enum ?? [];
}

/** A ledger factor's verdicts list one that does not count first, and one that counts last. */
function labelled(verdicts: readonly string[], counted: boolean): string {
  return (counted ? verdicts.at(-1) : verdicts[0]) ?? "";
}

function isChoice(node: JsonSchema): boolean {
  return Array.isArray(node.enum) && node.enum.includes("a") && node.enum.includes("b");
}

function firstNonNull(options: readonly JsonSchema[]): JsonSchema {
  return options.find((option) => option.type !== "null") ?? options[0] ?? {};
}

/** Follows a local `$ref` (`#/$defs/...`). */
function resolve(node: JsonSchema, root: JsonSchema): JsonSchema {
  if (typeof node.$ref !== "string" || !node.$ref.startsWith("#/")) return node;
  let target: any = root;
  for (const part of node.$ref.slice(2).split("/")) target = target?.[part];
  return target ?? {};
}

const WORDS = [
  "the",
  "answer",
  "document",
  "states",
  "clearly",
  "that",
  "results",
  "improved",
  "over",
  "time",
  "because",
  "several",
  "careful",
  "studies",
  "found",
  "evidence",
];

/** A few deterministic sentences: as many as the level asked for ("score N"), else one to three. */
function freeText(request: MockRequest): string {
  const content = request.messages.map((message) => `${message.role}: ${message.content}`).join("\n");
  const level = /\bscore (\d+)\b/i.exec(content);
  const sentences = level ? Math.max(1, Number(level[1])) : 1 + Math.floor(unit("sentences", content) * 3);
  return Array.from({ length: sentences }, (_, s) => {
    const words = Array.from(
      { length: 6 },
      (_, w) => WORDS[Math.floor(unit(content, `${s}:${w}`) * WORDS.length)],
    );
    const sentence = words.join(" ");
    return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`;
  }).join(" ");
}
