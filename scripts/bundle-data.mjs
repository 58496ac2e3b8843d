#!/usr/bin/env node
// Rebuilds the license-clean subsets in data/ from the shared datasets, through
// profilekit's own presets, as canonical JSONL (gzip). Run after a build:
//   node scripts/bundle-data.mjs [path to shared/data]
// Only Apache-2.0 / MIT datasets are bundled; see data/README.md for credits.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { readPairs } from "@profilekit/data";

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

await mkdir("data", { recursive: true });
for (const subset of subsets) {
  const groups = new Set();
  const lines = [];
  for await (const pair of readPairs(join(shared, subset.folder), { preset: subset.preset, seed: 1 })) {
    const group = pair.group ?? pair.id;
    if (!groups.has(group)) {
      if (groups.size >= subset.groups) break;
      groups.add(group);
    }
    lines.push(JSON.stringify(pair));
  }
  const body = gzipSync(`${lines.join("\n")}\n`, { level: 9 });
  // A fixed gzip header (no mtime) keeps the bundle byte-identical across rebuilds.
  await writeFile(join("data", subset.out), body);
  console.log(
    `${subset.out}: ${lines.length} pairs from ${groups.size} inputs (${(body.length / 1024).toFixed(0)} KiB)`,
  );
}
