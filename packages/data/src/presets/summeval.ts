import { dirname, join } from "node:path";
import type { Pair } from "@profilekit/spec";
import { isRecord, optionalName, responseText } from "../coerce.js";
import { type RecordAt, recordError } from "../errors.js";
import { inspectPath } from "../input-file.js";
import { type ReadContext, reportInvalid } from "../read-context.js";
import { readRecords } from "../records.js";
import { checkedPair } from "./dataset-records.js";
import type { Preset } from "./preset.js";

const annotationsFile = "annotations.jsonl";
const articlesFile = "articles.jsonl";
const aspects = ["coherence", "consistency", "fluency", "relevance"] as const;

interface Summary {
  readonly at: RecordAt;
  readonly model: string;
  readonly text: string;
  /** Sum and count of the expert ratings; the score is their mean. */
  readonly sum: number;
  readonly count: number;
}

/**
 * SummEval (Fabbri et al. 2021): 12 systems' summaries of 100 CNN/DM articles,
 * each rated by 3 experts on 4 aspects. Pairs are derived: every two systems'
 * summaries of one article, the one with the higher mean expert rating preferred.
 */
export const summeval: Preset = {
  name: "summeval",
  title: "SummEval expert ratings, as derived pairs (Fabbri et al. 2021)",
  task: "summarization",
  description:
    "6600 derived pairs: for each article every two of its 12 system summaries (a, b in model-id order); the higher mean of the experts' coherence, consistency, fluency and relevance ratings is preferred, equal means tie; source = article text.",
  license: "MIT (Yale-LILY/SummEval); CNN/DailyMail article text for research use",
  files: [annotationsFile, articlesFile],
  clusterLevel: "source",
  clusterReason:
    "The article: its 66 pairs share its text and its 12 summaries, each summary in 11 pairs. The 12 systems cross the articles and are too few to cluster on.",
  async *read(path, context) {
    const hint = `--preset summeval reads the directory holding ${annotationsFile} and ${articlesFile} (or either file)`;
    const { isDirectory } = await inspectPath(path, hint);
    const directory = isDirectory ? path : dirname(path);
    const articles = await readArticles(join(directory, articlesFile), context, hint);
    const byArticle = await readSummaries(join(directory, annotationsFile), articles, context, hint);
    for (const [article, summaries] of byArticle) {
      yield articlePairs(article, articles.get(article)!, summaries, context);
    }
  },
};

async function readArticles(file: string, context: ReadContext, hint: string): Promise<Map<string, string>> {
  await inspectPath(file, hint);
  const articles = new Map<string, string>();
  for await (const batch of readRecords(file, "jsonl")) {
    for (const item of batch) {
      try {
        if (item.error) throw item.error;
        const record = objectAt(item.value, item.at);
        const id = requiredName(record.id, "id", item.at);
        if (articles.has(id)) {
          throw recordError("duplicate_record", item.at, {
            field: "id",
            expected: "each article once",
            found: id,
          });
        }
        articles.set(id, responseText(record.text, "text", item.at));
      } catch (error) {
        reportInvalid(context, error);
      }
    }
  }
  return articles;
}

async function readSummaries(
  file: string,
  articles: ReadonlyMap<string, string>,
  context: ReadContext,
  hint: string,
): Promise<Map<string, Summary[]>> {
  await inspectPath(file, hint);
  const byArticle = new Map<string, Summary[]>();
  for await (const batch of readRecords(file, "jsonl")) {
    for (const item of batch) {
      try {
        if (item.error) throw item.error;
        const record = objectAt(item.value, item.at);
        const article = requiredName(record.id, "id", item.at);
        if (!articles.has(article)) {
          throw recordError("invalid_record", item.at, {
            field: "id",
            expected: `an article id listed in ${articlesFile}`,
            found: article,
          });
        }
        const model = requiredName(record.model_id, "model_id", item.at);
        const summaries = byArticle.get(article) ?? [];
        if (summaries.some((summary) => summary.model === model)) {
          throw recordError("duplicate_record", item.at, {
            field: "model_id",
            expected: `one summary per system for article ${article}`,
            found: model,
          });
        }
        const text = responseText(record.decoded, "decoded", item.at);
        summaries.push({ at: item.at, model, text, ...expertRatings(record.expert_annotations, item.at) });
        byArticle.set(article, summaries);
      } catch (error) {
        reportInvalid(context, error);
      }
    }
  }
  return byArticle;
}

/** Sum and count of every expert's four aspect ratings; numeric strings count as numbers. */
function expertRatings(annotations: unknown, at: RecordAt): { sum: number; count: number } {
  const invalid = () =>
    recordError(annotations === undefined || annotations === null ? "missing_field" : "invalid_field", at, {
      field: "expert_annotations",
      expected: `a non-empty array of {${aspects.join(", ")}} ratings`,
      found: annotations,
    });
  if (!Array.isArray(annotations) || annotations.length === 0) throw invalid();
  let sum = 0;
  for (const annotation of annotations) {
    if (!isRecord(annotation)) throw invalid();
    for (const aspect of aspects) {
      const raw = annotation[aspect];
      const rating = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
      if (typeof rating !== "number" || !Number.isFinite(rating)) throw invalid();
      sum += rating;
    }
  }
  return { sum, count: annotations.length * aspects.length };
}

const byModel = new Intl.Collator("en", { numeric: true }).compare;

/** The C(n, 2) pairs of one article's summaries, in model-id order (M8 before M10). */
function articlePairs(
  article: string,
  text: string,
  summaries: readonly Summary[],
  context: ReadContext,
): Pair[] {
  const sorted = [...summaries].sort((x, y) => byModel(x.model, y.model));
  const pairs: Pair[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      // Compare the means sumA/countA and sumB/countB without dividing.
      const difference = a.sum * b.count - b.sum * a.count;
      const id = `summeval:${article}:${a.model}v${b.model}`;
      pairs.push(
        checkedPair(
          {
            id,
            task: context.task ?? "summarization",
            source: text,
            a: a.text,
            b: b.text,
            label: difference > 0 ? "a" : difference < 0 ? "b" : "tie",
            group: article,
            meta: { modelA: a.model, modelB: b.model, scoreA: a.sum / a.count, scoreB: b.sum / b.count },
          },
          a.at,
        ),
      );
    }
  }
  return pairs;
}

function objectAt(value: unknown, at: RecordAt): Record<string, unknown> {
  if (!isRecord(value)) throw recordError("invalid_record", at, { expected: "a JSON object", found: value });
  return value;
}

function requiredName(value: unknown, field: string, at: RecordAt): string {
  const name = optionalName(value, field, at);
  if (name === undefined)
    throw recordError("missing_field", at, { field, expected: "a non-empty id", found: value });
  return name;
}
