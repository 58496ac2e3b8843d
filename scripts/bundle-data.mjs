#!/usr/bin/env node
// Rebuilds the license-clean subsets in data/ from the shared datasets, through
// profilekit's own presets, as canonical JSONL (gzip), and the validation subsets (one rated
// response a line, docs/data-format.md "Validation items") of the same inputs. Run after a build:
//   node scripts/bundle-data.mjs [path to shared/data]
// Only Apache-2.0 / MIT datasets are bundled; see data/README.md for credits.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { readPairs } from "@profilekit/data";
import { ValidationItemSchema } from "@profilekit/spec";

const shared = resolve(process.argv[2] ?? "../shared/data");
const subsets = [
  // [preset, dataset folder, output name, keep(pair, index of its group)]
  { preset: "qa-feedback", folder: "qa_feedback_dev", out: "qa-feedback-dev-subset.jsonl.gz", groups: 100 },
  { preset: "summeval", folder: "summeval", out: "summeval-subset.jsonl.gz", groups: 20 },
  {
    preset: "hh-rlhf",
    folder: "hh_rlhf_harmless_base_test",
    out: "hh-rlhf-harmless-subset.jsonl.gz",
    groups: 500,
  },
];

/** gzip with a fixed header (no mtime), so a rebuild gives the same bytes. */
const gzipLines = (lines) => gzipSync(`${lines.join("\n")}\n`, { level: 9 });

await mkdir("data", { recursive: true });
/** The pairs of each bundled subset, by preset, for the validation subsets of the same inputs. */
const bundled = new Map();
for (const subset of subsets) {
  const groups = new Set();
  const lines = [];
  const pairs = [];
  for await (const pair of readPairs(join(shared, subset.folder), { preset: subset.preset, seed: 1 })) {
    const group = pair.group ?? pair.id;
    if (!groups.has(group)) {
      if (groups.size >= subset.groups) break;
      groups.add(group);
    }
    lines.push(JSON.stringify(pair));
    pairs.push(pair);
  }
  bundled.set(subset.preset, pairs);
  const body = gzipLines(lines);
  await writeFile(join("data", subset.out), body);
  console.log(
    `${subset.out}: ${lines.length} pairs from ${groups.size} inputs (${(body.length / 1024).toFixed(0)} KiB)`,
  );
}

// Validation subsets: the human factor-level labels of the same inputs, one response a line.
const summevalAspects = ["coherence", "consistency", "fluency", "relevance"];
const byModel = new Intl.Collator("en", { numeric: true }).compare;

/**
 * SummEval: every summary of the bundled 20 articles, with its article (source, as the preset
 * reads it), the article as its cluster, and the mean of the 3 experts' rating per aspect.
 */
async function summevalItems(pairs) {
  const sources = new Map(pairs.map((pair) => [pair.group, pair.source]));
  const text = await readFile(join(shared, "summeval", "annotations.jsonl"), "utf8");
  const rows = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line))
    .filter((row) => sources.has(row.id));
  const order = [...sources.keys()];
  rows.sort((x, y) => order.indexOf(x.id) - order.indexOf(y.id) || byModel(x.model_id, y.model_id));
  return rows.map((row) => ({
    id: `summeval:${row.id}:${row.model_id}`,
    task: "summarization",
    source: sources.get(row.id),
    response: row.decoded,
    cluster: row.id,
    labels: Object.fromEntries(
      summevalAspects.map((aspect) => [
        aspect,
        row.expert_annotations.reduce((sum, rating) => sum + Number(rating[aspect]), 0) /
          row.expert_annotations.length,
      ]),
    ),
    meta: { model: row.model_id },
  }));
}

const qaErrorTypes = ["Irrelevant", "Redundant", "Incoherent", "Unverifiable", "Wrong-Grounding"];
const qaMissingTypes = ["Missing-Answer", "Missing-Major-Auxiliary", "Missing-Minor-Auxiliary"];
const labelName = (type) => type.toLowerCase();

/**
 * QA-Feedback: prediction 1 of each bundled question (the only answer with fine-grained
 * feedback), with the question (prompt), question and passages (source, as the preset builds
 * it), the question as its cluster, and per error type the number of its spans, per kind of
 * missing information the number marked.
 */
async function qaFeedbackItems(pairs) {
  const records = JSON.parse(await readFile(join(shared, "qa_feedback_dev", "dev_feedback.json"), "utf8"));
  return pairs
    .filter((pair) => pair.id.endsWith(":1v2"))
    .map((pair) => {
      const index = Number(pair.group.slice("qa-feedback:".length));
      const { feedback } = records[index];
      const counted = (entries, types) =>
        Object.fromEntries(
          types.map((type) => [labelName(type), entries.filter((e) => e["error type"] === type).length]),
        );
      return {
        id: `${pair.group}:prediction-1`,
        task: "document-qa",
        source: pair.source,
        prompt: pair.prompt,
        response: pair.a,
        cluster: pair.group,
        labels: {
          ...counted(feedback.errors, qaErrorTypes),
          ...counted(feedback["missing-info"], qaMissingTypes),
        },
      };
    });
}

const validationSubsets = [
  { preset: "summeval", out: "summeval-validation.jsonl.gz", items: summevalItems },
  { preset: "qa-feedback", out: "qa-feedback-validation.jsonl.gz", items: qaFeedbackItems },
];
for (const subset of validationSubsets) {
  const items = (await subset.items(bundled.get(subset.preset))).map((item) =>
    ValidationItemSchema.parse(item),
  );
  const body = gzipLines(items.map((item) => JSON.stringify(item)));
  await writeFile(join("data", subset.out), body);
  const clusters = new Set(items.map((item) => item.cluster)).size;
  console.log(
    `${subset.out}: ${items.length} rated responses from ${clusters} inputs (${(body.length / 1024).toFixed(0)} KiB)`,
  );
}
