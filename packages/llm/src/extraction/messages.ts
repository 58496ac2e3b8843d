import type { ChatMessage, FactorPlugin } from "@profilekit/spec";
import { outputOf } from "./answer-schemas.js";
import type { CallInputs } from "./inputs.js";

/**
 * Versions of the texts this module wraps around the factors' instructions.
 * Any change to a text below needs a new version: each is part of the
 * promptVersion (so of the cache key) of every call built with it.
 */
export const JOINT_TEMPLATE_VERSION = "joint-extraction@1";
export const SINGLE_TEMPLATE_VERSION = "factor-extraction@1";

const SYSTEM = `You are a careful annotator who measures quality factors of responses. Follow each factor's instructions exactly and judge each factor on its own, independently of the others. Base every judgement on the texts given, not on their order or on which response is called A or B. Answer with one JSON object that follows the given schema.`;

/** Which way a pair's responses are shown: as given (a as response A), or swapped (b as response A). */
export type Order = "given" | "swapped";

/** The promptVersion of a joint call: the template's version and the factors' prompt versions, by factor id. */
export function jointPromptVersion(factors: readonly FactorPlugin[]): string {
  return `${JOINT_TEMPLATE_VERSION}:${factors.map((factor) => factor.prompt!.version).join(",")}`;
}

/** The promptVersion of a call that asks for one factor. */
export function singlePromptVersion(factor: FactorPlugin): string {
  return `${SINGLE_TEMPLATE_VERSION}:${factor.prompt!.version}`;
}

function section(tag: string, text: string): string {
  return `<${tag}>\n${text}\n</${tag}>`;
}

/** Says where each text is, in the names the factors' instructions use. */
function intro(inputs: CallInputs, responses: "one" | "two"): string {
  const where = [
    ...(inputs.source === undefined ? [] : ["the source document in <source>"]),
    ...(inputs.prompt === undefined ? [] : ["the prompt in <prompt>"]),
    ...(responses === "one"
      ? ["the response in <response>"]
      : ["response A in <response_a>", "response B in <response_b>"]),
  ];
  if (where.length === 1) return `Here is ${where[0]}.`;
  return `Here are ${where.slice(0, -1).join(", ")} and ${where.at(-1)}.`;
}

function inputSections(inputs: CallInputs): string[] {
  return [
    ...(inputs.source === undefined ? [] : [section("source", inputs.source)]),
    ...(inputs.prompt === undefined ? [] : [section("prompt", inputs.prompt)]),
  ];
}

function factorBlock(factor: FactorPlugin, format?: string): string {
  const lines = [`### ${factor.id}: ${factor.title}`, factor.prompt!.instructions];
  if (format) lines.push(format);
  return lines.join("\n");
}

const SHARED_PERCENTAGE_FORMAT = `Answer format for this factor: list the things to consider (for example the source document's key points) once, under "items", since they come from the inputs and not from a response. Then, under "a" and under "b", give one mark per item in the same order: true when that response counts for the item (for example, covers the key point) and false when it does not. The percentage is computed from these marks: do not give one.`;

/**
 * One call for every factor of a pair. Response-level factors are answered
 * for each response (under "a" and "b"), pair-level factors compare the two.
 * `factors` are in the order of their ids.
 */
export function jointMessages(
  factors: readonly FactorPlugin[],
  inputs: CallInputs,
  responseA: string,
  responseB: string,
): ChatMessage[] {
  const perResponse = factors.filter((factor) => factor.level === "response");
  const comparisons = factors.filter((factor) => factor.level === "pair");
  const parts = [
    intro(inputs, "two"),
    ...inputSections(inputs),
    section("response_a", responseA),
    section("response_b", responseB),
    `Measure the factors below. Answer with one JSON object holding one field per factor, named by the factor's id (${factors.map((factor) => `"${factor.id}"`).join(", ")}).`,
  ];
  if (perResponse.length > 0) {
    parts.push(
      `## Factors measured on each response\nApply each factor's instructions to response A and, separately, to response B ("the response" in the instructions is the one being measured), and give the two answers under "a" and "b".`,
      ...perResponse.map((factor) =>
        factorBlock(factor, outputOf(factor) === "percentage" ? SHARED_PERCENTAGE_FORMAT : undefined),
      ),
    );
  }
  if (comparisons.length > 0) {
    parts.push(
      "## Factors that compare the two responses",
      ...comparisons.map((factor) => factorBlock(factor)),
    );
  }
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** One response-level factor, on one response. */
export function responseMessages(factor: FactorPlugin, inputs: CallInputs, response: string): ChatMessage[] {
  const parts = [
    intro(inputs, "one"),
    ...inputSections(inputs),
    section("response", response),
    "Measure this factor of the response:",
    factorBlock(factor),
  ];
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** One pair-level factor, comparing two responses. */
export function comparisonMessages(
  factor: FactorPlugin,
  inputs: CallInputs,
  responseA: string,
  responseB: string,
): ChatMessage[] {
  const parts = [
    intro(inputs, "two"),
    ...inputSections(inputs),
    section("response_a", responseA),
    section("response_b", responseB),
    "Compare the two responses on this factor:",
    factorBlock(factor),
  ];
  return [
    { role: "system", content: SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}
