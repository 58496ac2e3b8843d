import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ReferenceFigure, ValidationMappingInput } from "@profilekit/spec";

// The declared mappings from factors to human labels, one table per bundled dataset. They are
// data: a caller passes a table of its own (or this one, extended) as a dataset's `mappings`.
// docs/validation.md explains every row.

/**
 * G-Eval and UniEval on all of SummEval: summary-level figures, so comparable in kind (not in
 * data) to ours. G-Eval's are Table 1's Spearman figures to two decimals, as issue 10 quotes them;
 * UniEval's are its repository's summary-level rows (docs/validation.md says what was checked).
 */
const summevalData = "SummEval, 1,600 summaries (100 articles x 16 systems)";
const geval = (spearman: number): ReferenceFigure => ({
  evaluator: "G-Eval (GPT-4)",
  citation: "Liu et al. 2023, Table 1 (summary-level)",
  data: summevalData,
  spearman,
});
const unieval = (spearman: number, kendallTauB: number): ReferenceFigure => ({
  evaluator: "UniEval",
  citation: "Zhong et al. 2022; maszhongming/UniEval reproduce/README.md (summary-level)",
  data: summevalData,
  spearman,
  kendallTauB,
});

const summaryLevel = { statistic: "summary-level" } as const;
const itemLevel = { statistic: "item-level" } as const;

/** SummEval's expert aspect ratings (mean of 3 experts, 1 to 5), within each article. */
export const summevalMappings: readonly ValidationMappingInput[] = [
  {
    factor: "coherence",
    labels: ["coherence"],
    direction: "same",
    role: "measure",
    ...summaryLevel,
    references: [geval(0.58), unieval(0.575, 0.442)],
    note: "SummEval's coherence: the collective quality of all sentences, well structured and organised.",
  },
  {
    factor: "hallucination",
    labels: ["consistency"],
    direction: "reversed",
    role: "measure",
    ...summaryLevel,
    references: [geval(0.51), unieval(0.446, 0.371)],
    note:
      "More unsupported facts, less consistent. SummEval's consistency is one rating of factual alignment " +
      "with the article, not a count of atomic facts; most summaries are rated fully consistent.",
  },
  {
    factor: "fluency",
    labels: ["fluency"],
    direction: "same",
    role: "measure",
    ...summaryLevel,
    references: [geval(0.46), unieval(0.449, 0.371)],
    note: "SummEval's fluency: the quality of individual sentences. Most summaries are rated near 5 (few ranks).",
  },
  {
    factor: "source-coverage",
    labels: ["relevance"],
    direction: "same",
    role: "measure",
    ...summaryLevel,
    references: [geval(0.55), unieval(0.426, 0.325)],
    note:
      "SummEval's relevance: the selection of important content, which also penalises redundant and " +
      "excess content; source-coverage measures only the share of key points covered.",
  },
  {
    factor: "readability",
    labels: ["fluency"],
    direction: "same",
    role: "proxy",
    ...summaryLevel,
    note: "Proxy: Flesch reading ease measures short words and sentences, not grammar or naturalness.",
  },
  {
    factor: "source-overlap",
    labels: ["relevance"],
    direction: "same",
    role: "proxy",
    ...summaryLevel,
    note: "Proxy: the share of the article's content words the summary uses, as ROUGE-1 recall against the source.",
  },
  {
    factor: "novelty",
    labels: ["consistency"],
    direction: "reversed",
    role: "proxy",
    ...summaryLevel,
    note: "Proxy: more word bigrams absent from the article, more room for unsupported content; abstraction is not error.",
  },
];

/** QA-Feedback's fine-grained feedback on prediction 1: spans per error type, missing information. */
export const qaFeedbackMappings: readonly ValidationMappingInput[] = [
  {
    factor: "hallucination",
    labels: ["unverifiable", "wrong-grounding"],
    direction: "same",
    role: "measure",
    ...itemLevel,
    note: "Spans the passages do not support (unverifiable) or that misread them (wrong-grounding).",
  },
  {
    factor: "off-focus",
    labels: ["irrelevant", "redundant"],
    direction: "same",
    role: "measure",
    ...itemLevel,
    note: "Spans off the question (irrelevant) or repeating earlier content (redundant).",
  },
  {
    factor: "source-coverage",
    labels: ["missing-answer", "missing-major-auxiliary", "missing-minor-auxiliary"],
    labelName: "missing info",
    direction: "reversed",
    role: "measure",
    ...itemLevel,
    note: "More of the key points covered, less information marked missing.",
  },
  {
    factor: "coherence",
    labels: ["incoherent"],
    direction: "reversed",
    role: "measure",
    ...itemLevel,
    note: "Better structured, fewer incoherent spans. Incoherent spans are rare (16 in the 500 dev answers).",
  },
  {
    factor: "novelty",
    labels: ["unverifiable", "wrong-grounding"],
    direction: "same",
    role: "proxy",
    ...itemLevel,
    note: "Proxy: word bigrams found in neither the question nor the passages, room for ungrounded content.",
  },
  {
    factor: "source-overlap",
    labels: ["missing-answer", "missing-major-auxiliary", "missing-minor-auxiliary"],
    labelName: "missing info",
    direction: "reversed",
    role: "proxy",
    ...itemLevel,
    note: "Proxy: the share of the passages' content words the answer uses, against information marked missing.",
  },
  {
    factor: "length",
    labels: ["irrelevant", "redundant"],
    direction: "same",
    role: "proxy",
    ...itemLevel,
    note:
      "Proxy and baseline: a longer answer has more room for off-focus spans; an off-focus extractor " +
      "should agree better than length does.",
  },
];

/** The bundled validation datasets: each one's file in the repository's data/ folder and its table. */
export const bundledValidationSets = {
  summeval: { file: "summeval-validation.jsonl.gz", mappings: summevalMappings },
  "qa-feedback": { file: "qa-feedback-validation.jsonl.gz", mappings: qaFeedbackMappings },
} as const;
export type BundledValidationSet = keyof typeof bundledValidationSets;
export const bundledValidationNames = Object.keys(bundledValidationSets) as [
  BundledValidationSet,
  ...BundledValidationSet[],
];

/**
 * The bundled validation file of a dataset, when profilekit runs from a checkout of its repository
 * (data/ is not part of the npm package); undefined otherwise.
 */
export function bundledValidationFile(name: BundledValidationSet): string | undefined {
  const path = fileURLToPath(new URL(`../../../data/${bundledValidationSets[name].file}`, import.meta.url));
  return existsSync(path) ? path : undefined;
}
