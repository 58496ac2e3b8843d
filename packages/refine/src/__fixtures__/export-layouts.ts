import { z } from "zod";

// Each format's layout, written from its documentation (docs/improvement.md names the pages), as
// strict schemas: a row with a field its format does not define fails, as strict validators do.
const message = (role: "system" | "user" | "assistant") =>
  z.strictObject({ role: z.literal(role), content: z.string().min(1) });
const promptMessages = z.tuple([message("system"), message("user")]);
const oneAssistant = z.tuple([message("assistant")]);
export const layouts = {
  "openai-sft": z.strictObject({
    messages: z.tuple([message("system"), message("user"), message("assistant")]),
  }),
  "openai-dpo": z.strictObject({
    input: z.strictObject({ messages: promptMessages }),
    preferred_output: oneAssistant,
    non_preferred_output: oneAssistant,
  }),
  "trl-dpo": z.strictObject({ prompt: promptMessages, chosen: oneAssistant, rejected: oneAssistant }),
  "trl-sft": z.strictObject({ prompt: promptMessages, completion: oneAssistant }),
  "trl-kto": z.strictObject({ prompt: promptMessages, completion: oneAssistant, label: z.boolean() }),
  "axolotl-dpo": z.strictObject({
    messages: promptMessages,
    chosen: message("assistant"),
    rejected: message("assistant"),
  }),
  "llamafactory-alpaca-dpo": z.strictObject({
    instruction: z.string().min(1),
    input: z.literal(""),
    chosen: z.string().min(1),
    rejected: z.string().min(1),
    system: z.string().min(1),
  }),
  "llamafactory-sharegpt-dpo": z.strictObject({
    conversations: z.tuple([z.strictObject({ from: z.literal("human"), value: z.string().min(1) })]),
    chosen: z.strictObject({ from: z.literal("gpt"), value: z.string().min(1) }),
    rejected: z.strictObject({ from: z.literal("gpt"), value: z.string().min(1) }),
    system: z.string().min(1),
  }),
} as const;
