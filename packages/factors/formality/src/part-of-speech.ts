/** The word classes of the Heylighen–Dewaele F-score, plus `other` for the rest. */
export type WordClass =
  | "noun"
  | "adjective"
  | "preposition"
  | "article"
  | "pronoun"
  | "verb"
  | "adverb"
  | "interjection"
  | "other";

const ARTICLES = new Set(["a", "an", "the"]);
const INTERROGATIVE_PRONOUNS = new Set(["who", "whom", "whose", "what", "which"]);
const INTERROGATIVE_ADVERBS = new Set(["when", "where", "why", "how"]);

/**
 * The class of a word from its compromise tags, checked in this order (a term
 * can carry several tags; compromise tags every pronoun `Noun` too):
 * Pronoun → pronoun; Determiner a/an/the → article; Noun → noun; Adjective →
 * adjective; Preposition → preposition; Verb (auxiliaries, copulas, modals,
 * gerunds, particles of phrasal verbs) → verb; Adverb or Negative ("not") →
 * adverb; Expression → interjection; QuestionWord who/whom/whose/what/which →
 * pronoun and when/where/why/how → adverb. Everything else is `other`: other
 * determiners (this, some), conjunctions, numbers.
 */
export function wordClass(tags: ReadonlySet<string>, word: string): WordClass {
  if (tags.has("Pronoun")) return "pronoun";
  if (tags.has("Determiner")) return ARTICLES.has(word) ? "article" : "other";
  if (tags.has("Noun")) return "noun";
  if (tags.has("Adjective")) return "adjective";
  if (tags.has("Preposition")) return "preposition";
  if (tags.has("Verb")) return "verb";
  if (tags.has("Adverb") || tags.has("Negative")) return "adverb";
  if (tags.has("Expression")) return "interjection";
  if (tags.has("QuestionWord")) {
    if (INTERROGATIVE_PRONOUNS.has(word)) return "pronoun";
    if (INTERROGATIVE_ADVERBS.has(word)) return "adverb";
  }
  return "other";
}
