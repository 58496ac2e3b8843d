import type { Pair } from "@profilekit/spec";
import { optionalName, responseText } from "../coerce.js";
import { labelResolver, requireLabel } from "../label-mapping.js";
import { checkedPair, datasetFile, pairsFromRecords } from "./dataset-records.js";
import type { Preset } from "./preset.js";

const file = "pairwise_evaluation_results.json";
/** "Is the writer's summary better?": True → a (the writer), False → b (text-davinci-002). JSON booleans count too. */
const writerBetter = labelResolver({ a: ["True"], b: ["False"], tie: ["Equally Good"] });

/**
 * Zhang et al. (2023) news summarization: a freelance writer's summary (a)
 * against text-davinci-002's (b), judged overall by one evaluator.
 */
export const summNews: Preset = {
  name: "summ-news",
  title: "News summarization, writer vs text-davinci-002 (Zhang et al. 2023)",
  task: "summarization",
  description:
    "599 pairs over 76 news articles: a = writer_summary, b = text-davinci-002_summary, label from overall_writer_better (True → a, False → b, Equally Good → tie), source = article_text.",
  license: "no license (research data from Tiiiger/benchmark_llm_summarization); do not redistribute",
  files: [file],
  clusterLevel: "source",
  clusterReason:
    "The article: 599 pairs over 76 articles (about 8 each) are judged against one shared source. Writers and evaluators (6 each) cross the articles and are too few to cluster on.",
  async *read(path, context) {
    const data = await datasetFile(path, summNews, file);
    yield* pairsFromRecords(data, "json", summNews.name, context, (record, at) => {
      const label = requireLabel(writerBetter, record.overall_writer_better, "overall_writer_better", at);
      const articleId = optionalName(record.article_id, "article_id", at);
      const pair: Pair = {
        id: `summ-news:${at.index}`,
        task: context.task ?? "summarization",
        source: responseText(record.article_text, "article_text", at),
        a: responseText(record.writer_summary, "writer_summary", at),
        b: responseText(record["text-davinci-002_summary"], "text-davinci-002_summary", at),
        label,
        meta: {
          writerId: record.writer_id,
          evaluatorId: record.evaluator_id,
          informative: writerBetter.resolve(record.informative_writer_better),
        },
      };
      if (articleId !== undefined) pair.group = articleId;
      return [checkedPair(pair, at)];
    });
  },
};
