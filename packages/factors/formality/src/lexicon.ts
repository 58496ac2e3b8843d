import { createRequire } from "node:module";
import { ProfilekitError } from "@profilekit/spec";
import { z } from "zod";
import { type WordClass, wordClass } from "./part-of-speech.js";

/** compromise's model did not have the shape this package reads (an incompatible compromise). */
export class LexiconError extends ProfilekitError {
  override readonly name = "LexiconError";

  constructor(cause: unknown) {
    super("FORMALITY_LEXICON", "formality could not read compromise's lexicon", {
      hint: "install the compromise version that @profilekit/factor-formality depends on (^14.17)",
      cause,
      exitCode: 1,
    });
  }
}

// The parts of compromise's model (nlp.model()) that are read: the lexicon (word → tag or tags),
// the tag set (tag → ancestor tags) and the "switches" (word → its ambiguity, e.g. "Noun|Verb").
// The lexicon's 24,000 entries are checked one by one as they are read (a zod record of them
// would cost a tenth of a second at every start).
const CompromiseModelSchema = z.object({
  one: z.object({
    lexicon: z.record(z.string(), z.unknown()),
    tagSet: z.record(z.string(), z.object({ parents: z.array(z.string()) })),
  }),
  two: z.object({ switches: z.record(z.string(), z.unknown()) }),
});

/** Word classes from compromise's lexicon, and which listed words are nouns or verbs by context. */
export interface Lexicon {
  /** The class of each single word compromise lists, by its tags and their ancestors. */
  readonly classes: ReadonlyMap<string, WordClass>;
  /** Words compromise marks as either a noun or a verb ("help", "model", "questions"). */
  readonly nounOrVerb: ReadonlySet<string>;
}

const NOUN_OR_VERB = new Set(["Noun|Verb", "Plural|Verb"]);
let lexicon: Lexicon | undefined;

/** compromise's lexicon as word classes, built on first use (about 24,000 words). */
export function getLexicon(): Lexicon {
  if (lexicon === undefined) {
    // Loaded on first use, not on import: compromise takes 0.3–0.5 s to load, which a program that
    // imports this factor without running it should not pay. Its CommonJS build loads faster.
    const nlp: typeof import("compromise/two").default = createRequire(import.meta.url)("compromise/two");
    lexicon = lexiconFromModel(nlp.model());
  }
  return lexicon;
}

/** A lexicon entry's tags: one tag name or a list of them. */
function tagNames(word: string, entry: unknown): readonly string[] {
  if (typeof entry === "string") return [entry];
  if (Array.isArray(entry) && entry.every((tag) => typeof tag === "string")) return entry;
  throw new LexiconError(new Error(`the lexicon gives "${word}" the tags ${JSON.stringify(entry)}`));
}

/** Word classes from a compromise model (`nlp.model()`); a LexiconError if it has another shape. */
export function lexiconFromModel(model: unknown): Lexicon {
  const parsed = CompromiseModelSchema.safeParse(model);
  if (!parsed.success) throw new LexiconError(parsed.error);
  const { one, two } = parsed.data;
  const classes = new Map<string, WordClass>();
  for (const [word, tag] of Object.entries(one.lexicon)) {
    if (word.includes(" ")) continue; // multi-word entries ("of course") are not looked up
    const tags = new Set<string>();
    for (const name of tagNames(word, tag)) {
      tags.add(name);
      for (const parent of one.tagSet[name]?.parents ?? []) tags.add(parent);
    }
    classes.set(word, wordClass(tags, word));
  }
  const nounOrVerb = new Set<string>();
  for (const [word, kind] of Object.entries(two.switches)) {
    if (typeof kind === "string" && NOUN_OR_VERB.has(kind)) nounOrVerb.add(word);
  }
  return { classes, nounOrVerb };
}
