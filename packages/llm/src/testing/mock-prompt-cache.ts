import { createHash, type Hash } from "node:crypto";

/**
 * The providers' prompt caches, as the mock server reports them. A prompt is
 * its text in the order the provider caches it (the schema or tools, then
 * the system prompt, then the messages); tokens are characters / 4, as
 * everywhere in the mock.
 *
 * - OpenAI caches by itself: a prompt whose first 1,024 tokens or more were
 *   seen before (in steps of 128 tokens, per model) reports the longest such
 *   prefix as `cached_tokens`.
 * - Anthropic caches on request: each block marked with cache_control ends a
 *   prefix; the longest marked prefix seen before is a cache read, and the
 *   rest up to the last marked prefix, first seen now, a cache write. A
 *   prefix shorter than the minimum (1,024 tokens, as for Sonnet and Opus) is
 *   not cached.
 */
export interface PromptCacheOptions {
  /** Default 1,024 tokens. */
  readonly openaiMinTokens?: number;
  /** Default 1,024 tokens. */
  readonly anthropicMinTokens?: number;
}

/** OpenAI extends a cached prefix in steps of 128 tokens. */
const OPENAI_STEP_TOKENS = 128;
const CHARS_PER_TOKEN = 4;

export function tokensOf(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

export class MockPromptCache {
  readonly #seen = new Set<string>();
  readonly #openaiMin: number;
  readonly #anthropicMin: number;

  constructor(options: PromptCacheOptions = {}) {
    this.#openaiMin = options.openaiMinTokens ?? 1024;
    this.#anthropicMin = options.anthropicMinTokens ?? 1024;
  }

  /** Cached input tokens of an OpenAI prompt; remembers its prefixes for the next one. */
  openai(model: string, prompt: string): number {
    let cached = 0;
    const hash = seeded("openai", model);
    let done = 0;
    for (
      let tokens = this.#openaiMin;
      tokens * CHARS_PER_TOKEN <= prompt.length;
      tokens += OPENAI_STEP_TOKENS
    ) {
      const end = tokens * CHARS_PER_TOKEN;
      hash.update(prompt.slice(done, end));
      done = end;
      const id = hash.copy().digest("hex");
      if (this.#seen.has(id)) cached = tokens;
      else this.#seen.add(id);
    }
    return cached;
  }

  /**
   * An Anthropic prompt's cache reads and writes, given where its marked
   * prefixes end (character offsets into `prompt`, ascending).
   */
  anthropic(
    model: string,
    prompt: string,
    breakpoints: readonly number[],
  ): { read: number; written: number } {
    const eligible = breakpoints.filter((end) => tokensOf(end) >= this.#anthropicMin);
    if (eligible.length === 0) return { read: 0, written: 0 };
    const ids = eligible.map((end) => seeded("anthropic", model).update(prompt.slice(0, end)).digest("hex"));
    let readEnd = 0;
    eligible.forEach((end, i) => {
      if (this.#seen.has(ids[i]!)) readEnd = end;
    });
    const last = eligible.at(-1)!;
    const written = this.#seen.has(ids.at(-1)!) ? 0 : tokensOf(last) - tokensOf(readEnd);
    for (const id of ids) this.#seen.add(id);
    return { read: tokensOf(readEnd), written };
  }

  clear(): void {
    this.#seen.clear();
  }
}

function seeded(api: string, model: string): Hash {
  return createHash("sha256").update(`${api}\u0000${model}\u0000`);
}
