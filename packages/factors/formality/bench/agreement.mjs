// Agreement of the formality factor with compromise's full tagger (lexicon, context rules and
// post-tagger, 20–28 pairs/s): Pearson and Spearman correlations of the F-scores of real responses.
// Usage: npm run build && node bench/agreement.mjs [pairs.jsonl] [first] [count]
// Default input: pairs 900–1199 of the Auto-J pairwise test set (600 responses), which were not
// looked at while the word-class rules were written.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import nlp from "compromise/two";
import { fScore } from "../dist/f-score.js";
import { wordClass } from "../dist/part-of-speech.js";
import { countWordClasses } from "../dist/word-classes.js";

const file =
  process.argv[2] ??
  fileURLToPath(
    new URL("../../../../../shared/data/autoj_pairwise_test/testdata_pairwise.jsonl", import.meta.url),
  );
const first = Number(process.argv[3] ?? 900);
const count = Number(process.argv[4] ?? 300);
const responses = readFileSync(file, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .slice(first, first + count)
  .flatMap((line) => {
    const row = JSON.parse(line);
    return [row.a ?? row["response 1"], row.b ?? row["response 2"]];
  });

// The full tagger: every term of compromise's tagger that has a letter or a digit, classed by
// its tags (a contraction counts as its expanded words).
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
function compromiseCounts(text) {
  const counts = { noun: 0, adjective: 0, preposition: 0, article: 0, pronoun: 0, verb: 0, adverb: 0 };
  Object.assign(counts, { interjection: 0, other: 0 });
  for (const sentence of nlp(text).docs) {
    for (const term of sentence) {
      const word = term.implicit?.toLowerCase() ?? term.normal;
      if (WORD_CHARACTER.test(word)) counts[wordClass(term.tags ?? new Set(), word)]++;
    }
  }
  return counts;
}

function pearson(x, y) {
  const mean = (v) => v.reduce((sum, value) => sum + value, 0) / v.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
// Ranks with ties at their mean rank, so Spearman is Pearson on ranks.
function ranks(values) {
  const order = values.map((value, index) => [value, index]).sort((a, b) => a[0] - b[0]);
  const out = new Array(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) out[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

const rows = responses
  .map((text) => {
    const full = compromiseCounts(text);
    return {
      words: Object.values(full).reduce((sum, n) => sum + n, 0),
      full: fScore(full),
      ours: fScore(countWordClasses(text)),
    };
  })
  .filter((row) => row.full !== null && row.ours !== null);

for (const minWords of [0, 50, 150]) {
  const kept = rows.filter((row) => row.words >= minWords);
  const x = kept.map((row) => row.ours);
  const y = kept.map((row) => row.full);
  const meanDifference = x.reduce((sum, value, i) => sum + value - y[i], 0) / x.length;
  console.log(
    `responses of ≥ ${minWords} words: n = ${kept.length}, Pearson ${pearson(x, y).toFixed(3)}, ` +
      `Spearman ${pearson(ranks(x), ranks(y)).toFixed(3)}, mean difference ${meanDifference.toFixed(2)}`,
  );
}
