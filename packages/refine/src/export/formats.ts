import type { ChatMessage, ExportFormat } from "@profilekit/spec";
import type { CompletionRecord, PreferenceRecord, TrainingRecords } from "./training-records.js";

// One writer per fine-tuning format: what a row of each looks like, from the one internal record.
// The layouts follow each stack's documentation (docs/improvement.md names the pages): a row
// holds the fields its format defines and nothing else, since strict validators reject unknown keys.

/** A format's writer: its file under export/, the records it reads, and a row per record. */
export interface FormatWriter {
  readonly format: ExportFormat;
  readonly file: string;
  /** `jsonl`: one row per line; `json`: one JSON array (LLaMA-Factory's examples). */
  readonly layout: "jsonl" | "json";
  /** The rows, in the records' order, each with the record it came from. */
  rows(records: TrainingRecords): { row: unknown; record: { id: string; inputId: string } }[];
}

const message = ({ role, content }: ChatMessage) => ({ role, content });
const system = (prompt: readonly ChatMessage[]) => prompt.find((m) => m.role === "system")?.content;
const user = (prompt: readonly ChatMessage[]) => prompt.filter((m) => m.role === "user").at(-1)!.content;
const text = (answer: readonly ChatMessage[]) => answer[0]!.content;

function preferenceWriter(
  format: ExportFormat,
  file: string,
  row: (record: PreferenceRecord) => unknown,
  layout: FormatWriter["layout"] = "jsonl",
): FormatWriter {
  return {
    format,
    file,
    layout,
    rows: (records) => records.preference.map((record) => ({ row: row(record), record })),
  };
}

function completionWriter(
  format: ExportFormat,
  file: string,
  kind: "sft" | "kto",
  row: (record: CompletionRecord) => unknown,
): FormatWriter {
  return {
    format,
    file,
    layout: "jsonl",
    rows: (records) => records[kind].map((record) => ({ row: row(record), record })),
  };
}

/** OpenAI supervised fine-tuning: `{"messages": [system?, user, assistant]}`. */
export const openaiSft = completionWriter("openai-sft", "openai-sft.jsonl", "sft", (r) => ({
  messages: [...r.prompt, ...r.answer].map(message),
}));

/**
 * OpenAI preference fine-tuning (DPO): `{"input": {"messages": [...]}, "preferred_output": [assistant],
 * "non_preferred_output": [assistant]}`; Together, Fireworks and Azure OpenAI take the same layout.
 */
export const openaiDpo = preferenceWriter("openai-dpo", "openai-dpo.jsonl", (r) => ({
  input: { messages: r.chosen.prompt.map(message) },
  preferred_output: r.chosen.answer.map(message),
  non_preferred_output: r.rejected.answer.map(message),
}));

/** TRL preference, conversational with an explicit prompt (DPOTrainer, ORPO, CPO). */
export const trlDpo = preferenceWriter("trl-dpo", "trl-dpo.jsonl", (r) => ({
  prompt: r.chosen.prompt.map(message),
  chosen: r.chosen.answer.map(message),
  rejected: r.rejected.answer.map(message),
}));

/** TRL supervised, conversational prompt-completion (SFTTrainer). */
export const trlSft = completionWriter("trl-sft", "trl-sft.jsonl", "sft", (r) => ({
  prompt: r.prompt.map(message),
  completion: r.answer.map(message),
}));

/** TRL unpaired preference (KTOTrainer): a completion and whether it is desirable. */
export const trlKto = completionWriter("trl-kto", "trl-kto.jsonl", "kto", (r) => ({
  prompt: r.prompt.map(message),
  completion: r.answer.map(message),
  label: r.label!,
}));

/** Axolotl `rl: dpo` with `type: chat_template.default`: the prompt's messages, one chosen and one rejected message. */
export const axolotlDpo = preferenceWriter("axolotl-dpo", "axolotl-dpo.jsonl", (r) => ({
  messages: r.chosen.prompt.map(message),
  chosen: message(r.chosen.answer[0]!),
  rejected: message(r.rejected.answer[0]!),
}));

/** LLaMA-Factory alpaca preference (`ranking: true`): instruction, input, chosen, rejected, and the system prompt. */
export const llamaFactoryAlpaca = preferenceWriter(
  "llamafactory-alpaca-dpo",
  "llamafactory-alpaca-dpo.json",
  (r) => {
    const prompt = system(r.chosen.prompt);
    return {
      instruction: user(r.chosen.prompt),
      input: "",
      chosen: text(r.chosen.answer),
      rejected: text(r.rejected.answer),
      ...(prompt === undefined ? {} : { system: prompt }),
    };
  },
  "json",
);

/** LLaMA-Factory sharegpt preference (`formatting: sharegpt`, `ranking: true`). */
export const llamaFactorySharegpt = preferenceWriter(
  "llamafactory-sharegpt-dpo",
  "llamafactory-sharegpt-dpo.json",
  (r) => {
    const prompt = system(r.chosen.prompt);
    return {
      conversations: [{ from: "human", value: user(r.chosen.prompt) }],
      chosen: { from: "gpt", value: text(r.chosen.answer) },
      rejected: { from: "gpt", value: text(r.rejected.answer) },
      ...(prompt === undefined ? {} : { system: prompt }),
    };
  },
  "json",
);

/** Every writer, in the order export.json lists them. */
export const formatWriters: readonly FormatWriter[] = [
  openaiSft,
  openaiDpo,
  trlDpo,
  trlSft,
  trlKto,
  axolotlDpo,
  llamaFactoryAlpaca,
  llamaFactorySharegpt,
];

/** LLaMA-Factory's dataset_info.json entries of the two preference files (columns name the fields). */
export function llamaFactoryDatasetInfo(withSystem: boolean) {
  const systemColumn = withSystem ? { system: "system" } : {};
  return {
    profilekit_dpo_alpaca: {
      file_name: llamaFactoryAlpaca.file,
      ranking: true,
      columns: {
        prompt: "instruction",
        query: "input",
        chosen: "chosen",
        rejected: "rejected",
        ...systemColumn,
      },
    },
    profilekit_dpo_sharegpt: {
      file_name: llamaFactorySharegpt.file,
      formatting: "sharegpt",
      ranking: true,
      columns: { messages: "conversations", chosen: "chosen", rejected: "rejected", ...systemColumn },
    },
  };
}

/** Axolotl's config lines for the preference file: `rl: dpo`, no sample packing, and its `datasets:` stanza. */
export function axolotlStanza(): string {
  return `# Axolotl: DPO on profilekit's preference rows (docs/improvement.md). Merge into your config;
# the path is relative to where axolotl runs.
rl: dpo
sample_packing: false
datasets:
  - path: ./${axolotlDpo.file}
    ds_type: json
    split: train
    type: chat_template.default
    field_messages: messages
    field_chosen: chosen
    field_rejected: rejected
    message_property_mappings:
      role: role
      content: content
`;
}
