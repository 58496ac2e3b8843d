import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { type ValidationItem, ValidationItemSchema } from "@profilekit/spec";
import { describe, expect, it } from "vitest";

// The bundled validation subsets (data/*-validation.jsonl.gz, made by bundle-data.mjs) hold the
// original datasets' human labels: read again here from ../shared/data, straight from the
// original files, when they are present.

const repo = fileURLToPath(new URL("..", import.meta.url));
const shared = join(repo, "..", "shared", "data");

function bundled(name: string): ValidationItem[] {
  return gunzipSync(readFileSync(join(repo, "data", name)))
    .toString("utf8")
    .trim()
    .split("\n")
    .map((line) => ValidationItemSchema.parse(JSON.parse(line)));
}

const jsonLines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));

describe.skipIf(!existsSync(join(shared, "summeval")))("data/summeval-validation.jsonl.gz", () => {
  it("is every summary of the first 20 articles with its experts' mean rating per aspect", () => {
    const items = bundled("summeval-validation.jsonl.gz");
    const annotations = jsonLines(join(shared, "summeval", "annotations.jsonl"));
    const articles = new Map(
      jsonLines(join(shared, "summeval", "articles.jsonl")).map((a) => [a.id, a.text]),
    );
    const first = [...new Set(annotations.map((row) => row.id as string))].slice(0, 20);
    const rows = annotations.filter((row) => first.includes(row.id));
    expect(items).toHaveLength(rows.length);
    expect(items).toHaveLength(240);
    for (const row of rows) {
      const item = items.find((i) => i.cluster === row.id && i.meta?.model === row.model_id)!;
      expect(item.response).toBe(row.decoded);
      expect(item.source).toBe(articles.get(row.id));
      for (const aspect of ["coherence", "consistency", "fluency", "relevance"]) {
        const ratings = row.expert_annotations.map((a: Record<string, number>) => a[aspect]);
        expect(ratings).toHaveLength(3);
        expect(item.labels[aspect]).toBeCloseTo((ratings[0] + ratings[1] + ratings[2]) / 3, 12);
      }
    }
  });
});

describe.skipIf(!existsSync(join(shared, "qa_feedback_dev")))("data/qa-feedback-validation.jsonl.gz", () => {
  it("is prediction 1 of the first 100 questions with its error spans and missing information counted", () => {
    const items = bundled("qa-feedback-validation.jsonl.gz");
    const records = JSON.parse(readFileSync(join(shared, "qa_feedback_dev", "dev_feedback.json"), "utf8"));
    expect(items).toHaveLength(100);
    const kinds = [
      ["irrelevant", "Irrelevant", "errors"],
      ["redundant", "Redundant", "errors"],
      ["incoherent", "Incoherent", "errors"],
      ["unverifiable", "Unverifiable", "errors"],
      ["wrong-grounding", "Wrong-Grounding", "errors"],
      ["missing-answer", "Missing-Answer", "missing-info"],
      ["missing-major-auxiliary", "Missing-Major-Auxiliary", "missing-info"],
      ["missing-minor-auxiliary", "Missing-Minor-Auxiliary", "missing-info"],
    ] as const;
    let spans = 0;
    for (const [index, item] of items.entries()) {
      const record = records[index];
      expect(item.cluster).toBe(`qa-feedback:${index}`);
      expect(item.prompt).toBe(record.question);
      expect(item.response).toBe(record["prediction 1"]);
      expect(item.source!.startsWith(`${record.question}\n\n${record.passages[0][0]}\n`)).toBe(true);
      for (const [label, type, list] of kinds) {
        const counted = record.feedback[list].filter(
          (entry: Record<string, unknown>) => entry["error type"] === type,
        );
        expect(item.labels[label], `${item.id} ${label}`).toBe(counted.length);
        spans += counted.length;
      }
    }
    // Every span and missing-information mark of these answers is one of the kinds above.
    const all = records
      .slice(0, 100)
      .reduce(
        (sum: number, r: { feedback: { errors: unknown[]; "missing-info": unknown[] } }) =>
          sum + r.feedback.errors.length + r.feedback["missing-info"].length,
        0,
      );
    expect(spans).toBe(all);
  });
});
