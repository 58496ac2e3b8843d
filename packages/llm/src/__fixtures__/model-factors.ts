/**
 * Model factors for the extractor's tests, defined inline (the llm package
 * does not depend on the factor packages), one per output kind, with the
 * inputs the real ones require.
 */
import { defineModelFactor, type Pair } from "@profilekit/spec";

export const fluency = defineModelFactor({
  id: "fluency",
  title: "Fluency",
  definition: "More fluent.",
  level: "response",
  prompt: {
    version: "fluency@1",
    output: "rating",
    instructions: "Rate the fluency of the response from 1 to 5.",
  },
});

export const hallucination = defineModelFactor({
  id: "hallucination",
  title: "Hallucination",
  definition: "More unsupported facts.",
  level: "response",
  requires: ["source"],
  prompt: {
    version: "hallucination@1",
    output: "count",
    inputs: ["source"],
    facts: { label: { verdicts: ["supported", "unsupported"], counted: ["unsupported"] } },
    instructions: "Label each fact of the response by whether the source document supports it.",
  },
});

export const coverage = defineModelFactor({
  id: "source-coverage",
  title: "Source coverage",
  definition: "Covers more of the source's key points.",
  level: "response",
  requires: ["source"],
  prompt: {
    version: "source-coverage@1",
    output: "percentage",
    inputs: ["source", "prompt"],
    checklist: "List the key points of the source document that answer the prompt.",
    instructions: "Mark the key points of the source document the response covers.",
  },
});

export const helpfulness = defineModelFactor({
  id: "helpfulness",
  title: "Helpfulness",
  definition: "Helps more.",
  level: "pair",
  requires: ["prompt"],
  prompt: {
    version: "helpfulness@1",
    output: "comparison",
    inputs: ["prompt"],
    instructions: 'Answer "a" if response A helps more with the prompt, "b" if response B does, else "same".',
  },
});

export const numberOfFacts = defineModelFactor({
  id: "number-of-facts",
  title: "Number of facts",
  definition: "More facts.",
  level: "response",
  prompt: { version: "number-of-facts@1", output: "count", facts: {}, instructions: "Every fact counts." },
});

export const offFocus = defineModelFactor({
  id: "off-focus",
  title: "Off focus",
  definition: "More off-focus facts.",
  level: "response",
  requires: ["source"],
  prompt: {
    version: "off-focus@1",
    output: "count",
    inputs: ["source", "prompt"],
    facts: { label: { verdicts: ["on focus", "off focus"], counted: ["off focus"] } },
    instructions: "Label each fact of the response by whether it is about what the prompt asks.",
  },
});

/** Counts its own items, not from the ledger. */
export const examples = defineModelFactor({
  id: "examples",
  title: "Examples",
  definition: "More examples given.",
  level: "response",
  prompt: { version: "examples@1", output: "count", instructions: "List the examples the response gives." },
});

export const ALL = [fluency, hallucination, coverage, helpfulness];
/**
 * A scripted measure for createFakeModel: a response states its own values as
 * `factor=number` (e.g. "hallucination=2"); an absent factor reads 0, except the
 * number of facts, which reads 12 (so that no labelled count is clamped).
 */
export function scripted(key: string, response: string): number {
  const found = new RegExp(`${key}=(\\d+)`).exec(response);
  return found ? Number(found[1]) : key === "number-of-facts" ? 12 : 0;
}

export function pair(id: string, a: string, b: string, extra: Partial<Pair> = {}): Pair {
  return {
    id,
    task: "document-qa",
    source: "The source document.",
    prompt: "What does it say?",
    a,
    b,
    label: "a",
    ...extra,
  };
}
