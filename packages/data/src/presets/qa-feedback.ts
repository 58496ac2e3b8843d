import type { Pair } from "@profilekit/spec";
import { responseText } from "../coerce.js";
import { type RecordAt, recordError } from "../errors.js";
import { labelResolver, requireLabel } from "../label-mapping.js";
import { checkedPair, datasetFile, pairsFromRecords } from "./dataset-records.js";
import type { Preset } from "./preset.js";

const file = "dev_feedback.json";
/** The six comparisons of `preference`, in its order. */
const comparisons = [
  [1, 2],
  [1, 3],
  [1, 4],
  [2, 3],
  [2, 4],
  [3, 4],
] as const;
/** "1 means the first one is preferred and 2 means the second ... 0 means no preference." */
const preferred = labelResolver({ a: ["1"], b: ["2"], tie: ["0"] });

/** QA-Feedback (Wu et al. 2023): four answers per ASQA question, compared pairwise by people. */
export const qaFeedback: Preset = {
  name: "qa-feedback",
  title: "QA-Feedback dev set (Wu et al. 2023, FineGrainedRLHF)",
  task: "document-qa",
  description:
    "3000 pairs from 500 questions: for each question the 6 comparisons 1v2, 1v3, 1v4, 2v3, 2v4, 3v4 of prediction i (a) and prediction j (b); preference 1 → a, 2 → b, 0 → tie; prompt = question; source = question and passages; meta.passages = the passage titles.",
  license: "Apache-2.0 (allenai/FineGrainedRLHF)",
  files: [file],
  clusterLevel: "meta.passages",
  clusterReason:
    "The question's passages: a question's 6 pairs compare its 4 answers (each answer in 3 pairs), and a few questions are paraphrases grounded in the same passages (500 questions in 495 clusters); meta.passages holds the sorted passage titles.",
  async *read(path, context) {
    const data = await datasetFile(path, qaFeedback, file);
    yield* pairsFromRecords(data, "json", qaFeedback.name, context, (record, at) => {
      const question = responseText(record.question, "question", at);
      const source = `${question}${passagesText(record.passages, at)}`;
      const passages = passageTitles(record.passages as string[][], question);
      const predictions = [1, 2, 3, 4].map((i) =>
        responseText(record[`prediction ${i}`], `prediction ${i}`, at),
      );
      const preference = record.preference;
      if (!Array.isArray(preference) || preference.length !== comparisons.length) {
        throw recordError(preference === undefined ? "missing_field" : "invalid_field", at, {
          field: "preference",
          expected: "an array of 6 preferences (1v2, 1v3, 1v4, 2v3, 2v4, 3v4)",
          found: preference,
        });
      }
      const group = `qa-feedback:${at.index}`;
      return comparisons.map(([i, j], k): Pair => {
        const label = requireLabel(preferred, preference[k], `preference.${k}`, at);
        return checkedPair(
          {
            id: `${group}:${i}v${j}`,
            task: context.task ?? "document-qa",
            source,
            prompt: question,
            a: predictions[i - 1]!,
            b: predictions[j - 1]!,
            label,
            group,
            meta: { a: `prediction ${i}`, b: `prediction ${j}`, passages },
          },
          at,
        );
      });
    });
  },
};

/**
 * The question's passages as one cluster key: their titles, sorted and joined by " | " (the
 * same Wikipedia articles in another order are the same passages); a question without passages
 * (2 of 500) is its own cluster, "(no passages) <question>". Called after `passagesText` has
 * checked their shape.
 */
function passageTitles(passages: readonly (readonly string[])[], question: string): string {
  if (passages.length === 0) return `(no passages) ${question}`;
  return passages
    .map((passage) => passage[0]!)
    .sort()
    .join(" | ");
}

/**
 * The passages as they follow the question in `source`: each passage is
 * `[title, sentence, sentence, …]` and becomes a block "title\nsentence sentence …",
 * blocks separated by a blank line. When the first sentence repeats the title
 * as a heading ("Title\n\nSentence…", as in most of the file), the repeat is dropped.
 */
function passagesText(passages: unknown, at: RecordAt): string {
  const invalid = () =>
    recordError(passages === undefined || passages === null ? "missing_field" : "invalid_field", at, {
      field: "passages",
      expected: "an array of passages, each [title, sentence, …] of strings",
      found: passages,
    });
  if (!Array.isArray(passages)) throw invalid();
  let text = "";
  for (const passage of passages) {
    if (
      !Array.isArray(passage) ||
      passage.length === 0 ||
      !passage.every((part) => typeof part === "string")
    ) {
      throw invalid();
    }
    const [title, ...sentences] = passage as string[];
    const heading = `${title}\n\n`;
    if (sentences[0]?.startsWith(heading)) sentences[0] = sentences[0].slice(heading.length);
    text += `\n\n${title}\n${sentences.join(" ")}`;
  }
  return text;
}
