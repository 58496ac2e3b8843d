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
    instructions:
      "List the facts of the response that the source document does not support, then count them.",
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
    instructions: "List the key points of the source document and mark those the response covers.",
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
    instructions: 'Answer "a" if response A helps more with the prompt, "b" if response B does, else "same".',
  },
});

export const ALL = [fluency, hallucination, coverage, helpfulness];

/**
 * A scripted measure for createFakeModel: a response states its own values as
 * `factor=number` (e.g. "hallucination=2"); an absent factor reads 0.
 */
export function scripted(key: string, response: string): number {
  const found = new RegExp(`${key}=(\\d+)`).exec(response);
  return found ? Number(found[1]) : 0;
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
