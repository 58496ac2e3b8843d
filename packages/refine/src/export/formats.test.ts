import type { ChatMessage } from "@profilekit/spec";
import { describe, expect, it } from "vitest";
import { layouts } from "../__fixtures__/export-layouts.js";
import {
  axolotlDpo,
  axolotlStanza,
  formatWriters,
  llamaFactoryAlpaca,
  llamaFactoryDatasetInfo,
  llamaFactorySharegpt,
  openaiDpo,
  openaiSft,
  trlDpo,
  trlKto,
  trlSft,
} from "./formats.js";
import type { TrainingRecords } from "./training-records.js";

const prompt: ChatMessage[] = [
  { role: "system", content: "You write summaries." },
  { role: "user", content: "Summarise the article." },
];
const answer = (content: string): ChatMessage[] => [{ role: "assistant", content }];
const records: TrainingRecords = {
  preference: [
    {
      id: "input:1/s1vs2",
      inputId: "input:1",
      chosen: { prompt, answer: answer("The council approved the library.") },
      rejected: { prompt, answer: answer("Something happened.") },
    },
  ],
  sft: [
    { id: "input:1/s1", inputId: "input:1", prompt, answer: answer("The council approved the library.") },
  ],
  kto: [
    {
      id: "input:1/s1",
      inputId: "input:1",
      prompt,
      answer: answer("The council approved the library."),
      label: true,
    },
    { id: "input:1/s2", inputId: "input:1", prompt, answer: answer("Something happened."), label: false },
  ],
};

describe("the format writers", () => {
  it("writes every format in its documented layout, with no field of profilekit's own", () => {
    for (const writer of formatWriters) {
      const rows = writer.rows(records);
      expect(rows.length).toBeGreaterThan(0);
      for (const { row } of rows) layouts[writer.format].parse(row);
    }
    expect(formatWriters.map((w) => w.format).sort()).toEqual(Object.keys(layouts).sort());
  });

  it("puts the chosen text where each format expects the preferred answer", () => {
    const chosen = "The council approved the library.";
    const [dpo] = openaiDpo.rows(records);
    expect((dpo!.row as { preferred_output: { content: string }[] }).preferred_output[0]!.content).toBe(
      chosen,
    );
    expect((trlDpo.rows(records)[0]!.row as { chosen: { content: string }[] }).chosen[0]!.content).toBe(
      chosen,
    );
    expect((axolotlDpo.rows(records)[0]!.row as { chosen: { content: string } }).chosen.content).toBe(chosen);
    expect((llamaFactoryAlpaca.rows(records)[0]!.row as { chosen: string }).chosen).toBe(chosen);
    expect((llamaFactorySharegpt.rows(records)[0]!.row as { chosen: { value: string } }).chosen.value).toBe(
      chosen,
    );
    expect(openaiSft.rows(records)).toHaveLength(1);
    expect(trlSft.rows(records)).toHaveLength(1);
    expect(trlKto.rows(records).map(({ row }) => (row as { label: boolean }).label)).toEqual([true, false]);
  });

  it("leaves the system field out of LLaMA-Factory's rows and entries when no prompt has one", () => {
    const bare = {
      ...records,
      preference: records.preference.map((r) => ({ ...r, chosen: { ...r.chosen, prompt: [prompt[1]!] } })),
    };
    expect(llamaFactoryAlpaca.rows(bare)[0]!.row).not.toHaveProperty("system");
    expect(llamaFactoryDatasetInfo(false).profilekit_dpo_alpaca.columns).not.toHaveProperty("system");
  });

  it("registers both LLaMA-Factory files as ranking datasets, their columns naming the rows' fields", () => {
    const info = llamaFactoryDatasetInfo(true);
    expect(info.profilekit_dpo_alpaca).toEqual({
      file_name: "llamafactory-alpaca-dpo.json",
      ranking: true,
      columns: {
        prompt: "instruction",
        query: "input",
        chosen: "chosen",
        rejected: "rejected",
        system: "system",
      },
    });
    expect(info.profilekit_dpo_sharegpt).toEqual({
      file_name: "llamafactory-sharegpt-dpo.json",
      formatting: "sharegpt",
      ranking: true,
      columns: { messages: "conversations", chosen: "chosen", rejected: "rejected", system: "system" },
    });
  });

  it("gives Axolotl a DPO stanza for chat_template.default on the preference file", () => {
    const lines = axolotlStanza()
      .split("\n")
      .filter((line) => !line.startsWith("#"));
    expect(lines).toEqual(
      expect.arrayContaining([
        "rl: dpo",
        "sample_packing: false",
        "datasets:",
        "  - path: ./axolotl-dpo.jsonl",
        "    type: chat_template.default",
        "    field_messages: messages",
        "    field_chosen: chosen",
        "    field_rejected: rejected",
      ]),
    );
  });
});
