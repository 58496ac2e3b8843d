import type { FactorInput, FactorPlugin, Pair } from "@profilekit/spec";

/** Default source budget: about 6,000 tokens of English at 4 characters a token. */
export const DEFAULT_SOURCE_MAX_CHARS = 24_000;

/** The pair's source and prompt as a model call shows them: the source cut to the budget. */
export interface CallInputs {
  readonly source: string | undefined;
  readonly prompt: string | undefined;
}

/**
 * The inputs a factor reads besides the responses: exactly those its prompt declares, in every
 * mode. A call that measures several factors shows the union of what they read, and each
 * factor's definition says which of them are its own.
 */
export function inputsOf(factor: FactorPlugin): readonly FactorInput[] {
  return factor.prompt?.inputs ?? [];
}

/** What a call measuring `factors` on `pair` shows: the union of the inputs they read, the source cut. */
export function callInputs(
  factors: readonly FactorPlugin[],
  pair: Pair,
  maxChars: number,
): CallInputs & {
  readonly removed: number;
} {
  const read = new Set(factors.flatMap((factor) => [...inputsOf(factor)]));
  const cut = read.has("source") && pair.source ? cutSource(pair.source, maxChars) : undefined;
  return {
    source: cut?.text,
    prompt: read.has("prompt") && pair.prompt ? pair.prompt : undefined,
    removed: cut?.removed ?? 0,
  };
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
