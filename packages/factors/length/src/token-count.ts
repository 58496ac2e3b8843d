import { createRequire } from "node:module";

type O200kBase = typeof import("gpt-tokenizer/encoding/o200k_base");

const require = createRequire(import.meta.url);
let tokenizer: O200kBase | undefined;
// Special-token strings such as "<|endoftext|>" are counted as ordinary text.
const plainText = { disallowedSpecial: new Set<string>() };

/**
 * The number of tokens in OpenAI's o200k_base encoding (GPT-4o, GPT-4.1, o-series),
 * via gpt-tokenizer. Its ranks (a few MB) are loaded on the first call, so the
 * other units never pay for them.
 */
export function countTokens(text: string): number {
  tokenizer ??= require("gpt-tokenizer/encoding/o200k_base") as O200kBase;
  return tokenizer.countTokens(text, plainText);
}
