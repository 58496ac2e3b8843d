// A token: a run of characters other than whitespace and dashes (— –), from its first to its last
// letter, mark or digit. So surrounding punctuation, quotes and brackets are dropped ("(GDP)," →
// gdp) while inner punctuation stays ("don't", "well-known", "3.14", "and/or", "example.com").
const TOKEN = /[\p{L}\p{M}\p{N}](?:[^\s—–]*[\p{L}\p{M}\p{N}])?/gu;

// Stems of "n't" whose verb is spelled differently: can't, won't, shan't, ain't.
const NOT_STEMS: Readonly<Record<string, string>> = { ca: "can", wo: "will", sha: "shall", ai: "is" };
// Clitics that stand for a verb of their own: I'm, you're, we've, they'll, she'd.
const CLITIC_VERBS: Readonly<Record<string, string>> = {
  m: "am",
  re: "are",
  ve: "have",
  ll: "will",
  d: "would",
};
// Words whose "'s" is "is" (it's, that's, there's); after any other word "'s" is a possessive
// ending and is dropped (the user's -> user, John's -> john).
const IS_BEFORE = new Set([
  ...["it", "he", "she", "that", "this", "there", "here", "what", "who", "where", "when", "why", "how"],
  ...["everything", "everyone", "everybody", "something", "someone", "somebody", "nothing", "nobody"],
]);

/** Adds the words of one lowercase token with an apostrophe, expanding contractions. */
function pushContraction(token: string, out: string[]): void {
  const normal = token.replaceAll("’", "'");
  if (normal.endsWith("n't")) {
    const stem = normal.slice(0, -3);
    out.push(NOT_STEMS[stem] ?? stem, "not");
    return;
  }
  const apostrophe = normal.lastIndexOf("'");
  const stem = normal.slice(0, apostrophe);
  const clitic = normal.slice(apostrophe + 1);
  if (clitic === "s") {
    if (stem === "let") out.push("let", "us");
    else if (IS_BEFORE.has(stem)) out.push(stem, "is");
    else out.push(stem);
  } else if (CLITIC_VERBS[clitic] !== undefined) {
    out.push(stem, CLITIC_VERBS[clitic]);
  } else {
    out.push(normal); // o'clock, rock'n'roll, l'été
  }
}

/**
 * The words of `text`, lowercased, in order. A contraction becomes the words it
 * stands for ("didn't" → did, not; "it's" → it, is; "I'm" → i, am; "let's" →
 * let, us; "cannot" → can, not); a possessive "'s" is dropped ("John's" → john).
 */
export function words(text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(lower); match !== null; match = TOKEN.exec(lower)) {
    const token = match[0];
    if (token.includes("'") || token.includes("’")) pushContraction(token, out);
    else if (token === "cannot") out.push("can", "not");
    else out.push(token);
  }
  return out;
}
