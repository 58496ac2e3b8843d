import { canonicalHash, type ChatMessage, type DropReason } from "@profilekit/spec";

// The one internal record of profilekit's training data, before any format: each format's writer
// (export/formats/) turns these into its own rows. Provenance stays beside the records (inputId,
// id) and goes to export/provenance.jsonl, never into a row.

/** One side of a preference record: the prompt it was asked with and the answer given. */
export interface Side {
  readonly prompt: readonly ChatMessage[];
  readonly answer: readonly ChatMessage[];
}

/** A preference (DPO) record: the evaluator's winner and loser for one input. */
export interface PreferenceRecord {
  /** The judged pair: `<input id>/s<i>vs<j>`. */
  readonly id: string;
  readonly inputId: string;
  readonly chosen: Side;
  readonly rejected: Side;
}

/** A completion record: an answer to a prompt (SFT), marked desirable or not for KTO. */
export interface CompletionRecord {
  /** The sample: `<input id>/s<i>`. */
  readonly id: string;
  readonly inputId: string;
  readonly prompt: readonly ChatMessage[];
  readonly answer: readonly ChatMessage[];
  /** KTO only: whether the answer is desirable. */
  readonly label?: boolean;
}

/** Every record an export is made from. */
export interface TrainingRecords {
  readonly preference: readonly PreferenceRecord[];
  readonly sft: readonly CompletionRecord[];
  readonly kto: readonly CompletionRecord[];
}

/** The records kept, and how many of each kind were dropped, per reason. */
export interface ValidatedRecords extends TrainingRecords {
  readonly dropped: Record<DropReason, number>;
}

const isEmpty = (messages: readonly ChatMessage[]) =>
  messages.some((message) => message.content.trim() === "");
const oneAssistant = (answer: readonly ChatMessage[]) =>
  answer.length === 1 && answer[0]!.role === "assistant";
const systemOf = (prompt: readonly ChatMessage[]) =>
  prompt.filter((message) => message.role === "system").map((message) => message.content);

/**
 * The rows a fine-tuning stack will accept, in order, and the others counted per reason, checked
 * in this order: `empty-text` (a message with no text), `assistant-messages` (an output that is
 * not exactly one assistant message), `same-text` (chosen and rejected are the same text, after
 * trimming), `system-prompt-differs` (the two sides were asked under different system prompts),
 * `duplicate` (a row already kept: the same prompt and outputs, by canonical hash).
 */
export function validateRecords(records: TrainingRecords): ValidatedRecords {
  const dropped: Record<DropReason, number> = {
    "empty-text": 0,
    "assistant-messages": 0,
    "same-text": 0,
    "system-prompt-differs": 0,
    duplicate: 0,
  };
  const seen = new Set<string>();
  const keep = (reason: DropReason | undefined, key: unknown): boolean => {
    if (reason !== undefined) {
      dropped[reason]++;
      return false;
    }
    const hash = canonicalHash(key);
    if (seen.has(hash)) {
      dropped.duplicate++;
      return false;
    }
    seen.add(hash);
    return true;
  };
  const preference = records.preference.filter(({ chosen, rejected }) => {
    const reason = [chosen.prompt, chosen.answer, rejected.prompt, rejected.answer].some(isEmpty)
      ? "empty-text"
      : !oneAssistant(chosen.answer) || !oneAssistant(rejected.answer)
        ? "assistant-messages"
        : chosen.answer[0]!.content.trim() === rejected.answer[0]!.content.trim()
          ? "same-text"
          : canonicalHash(systemOf(chosen.prompt)) !== canonicalHash(systemOf(rejected.prompt))
            ? "system-prompt-differs"
            : undefined;
    return keep(reason, ["preference", chosen, rejected]);
  });
  const completions = (kind: "sft" | "kto", list: readonly CompletionRecord[]) =>
    list.filter((record) => {
      const reason = [record.prompt, record.answer].some(isEmpty)
        ? "empty-text"
        : !oneAssistant(record.answer)
          ? "assistant-messages"
          : undefined;
      return keep(reason, [kind, record.prompt, record.answer, record.label ?? null]);
    });
  return { preference, sft: completions("sft", records.sft), kto: completions("kto", records.kto), dropped };
}
