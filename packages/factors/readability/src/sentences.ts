/**
 * Where a sentence ends: a run of `.`, `!`, `?` or `…`, optionally followed by
 * closing quotes or brackets, then whitespace or the end of the text; or a
 * blank line (a paragraph break, so headings and list blocks without final
 * punctuation end too). "3.14" and "example.com" do not end a sentence;
 * abbreviations such as "Dr. Smith" or "e.g. this" do (a known limit).
 */
const SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s|$)|\n[^\S\n]*\n/u;
const LETTER = /\p{L}/u;

/** The number of sentences: the pieces between sentence ends that contain a letter. */
export function countSentences(text: string): number {
  return text.split(SENTENCE_END).filter((piece) => LETTER.test(piece)).length;
}
