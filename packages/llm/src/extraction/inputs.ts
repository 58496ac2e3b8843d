import type { FactorInput, FactorPlugin, Pair } from "@profilekit/spec";

/** Default source budget: about 6,000 tokens of English at 4 characters a token. */
export const DEFAULT_SOURCE_MAX_CHARS = 24_000;

/** The pair's source and prompt as a model call shows them: the source cut to the budget. */
export interface CallInputs {
  readonly source: string | undefined;
  readonly prompt: string | undefined;
}

/**
 * The inputs a factor reads besides the responses. A pair-level factor judges
 * the two responses against their input, so it reads both the source and the
 * prompt; a response-level factor reads what it `requires` and what its
 * instructions name ("the source document", "the prompt", as the spec asks
 * instructions to call them).
 */
export function inputsRead(factor: FactorPlugin): ReadonlySet<FactorInput> {
  if (factor.level === "pair") return new Set(["source", "prompt"]);
  const read = new Set<FactorInput>(factor.requires ?? []);
  const instructions = factor.prompt?.instructions ?? "";
  if (instructions.includes("the source document")) read.add("source");
  if (instructions.includes("the prompt")) read.add("prompt");
  return read;
}

/** The first input a factor requires that the pair lacks, if any. */
export function missingInput(factor: FactorPlugin, pair: Pair): FactorInput | undefined {
  return (factor.requires ?? []).find((input) => pair[input] === undefined || pair[input] === "");
}

/** A source cut to the budget: its head, and a line saying how much was left out. */
export interface CutSource {
  readonly text: string;
  /** Characters left out (0 when the source fits). */
  readonly removed: number;
}

/**
 * Keeps the first `maxChars` characters (UTF-16 code units, never splitting a
 * surrogate pair) and marks the cut in the text, so the model knows that the
 * source goes on: a fact from the missing part must not read as unsupported
 * without warning.
 */
export function cutSource(source: string, maxChars: number): CutSource {
  if (source.length <= maxChars) return { text: source, removed: 0 };
  let end = maxChars;
  const last = source.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  const removed = source.length - end;
  return {
    text: `${source.slice(0, end)}\n[… the source document is cut here: its first ${end} of ${source.length} characters are shown, ${removed} are left out]`,
    removed,
  };
}
